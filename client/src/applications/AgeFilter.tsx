import { SelectField } from '../common/SelectField';
import { ageThresholds } from './applicationFilter';
import { useApplicationFilter } from './useApplicationFilter';

/** "Older than N days", sent as `createdTo = now − N days`. */
export const AgeFilter = () => {
  const { filter, change } = useApplicationFilter();
  return (
    <SelectField
      label="Age"
      value={filter.olderThanDays === null ? '' : String(filter.olderThanDays)}
      onChange={(chosen) => {
        const days = ageThresholds.find((n) => String(n) === chosen);
        change({ olderThanDays: days ?? null });
      }}
      sx={{ width: 150 }}
    >
      <option value="">Any age</option>
      {ageThresholds.map((days) => (
        <option key={days} value={String(days)}>
          Older than {days} {days === 1 ? 'day' : 'days'}
        </option>
      ))}
    </SelectField>
  );
};
