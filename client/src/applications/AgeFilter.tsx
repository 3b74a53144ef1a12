import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { ageThresholds } from './applicationFilter';
import { useApplicationFilter } from './useApplicationFilter';

/** "Older than N days", sent as `createdTo = now − N days`. */
export const AgeFilter = () => {
  const { filter, change } = useApplicationFilter();
  return (
    <TextField
      select
      label="Age"
      value={filter.olderThanDays === null ? '' : String(filter.olderThanDays)}
      onChange={(event) => {
        const days = ageThresholds.find((n) => String(n) === event.target.value);
        change({ olderThanDays: days ?? null });
      }}
      sx={{ minWidth: 140 }}
      slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
    >
      <MenuItem value="">Any age</MenuItem>
      {ageThresholds.map((days) => (
        <MenuItem key={days} value={String(days)}>
          Older than {days} {days === 1 ? 'day' : 'days'}
        </MenuItem>
      ))}
    </TextField>
  );
};
