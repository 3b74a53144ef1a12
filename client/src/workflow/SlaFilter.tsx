import { type SlaState, slaStates } from '@desk/shared';
import { useApplicationFilter } from '../applications/useApplicationFilter';
import { SelectField } from '../common/SelectField';

const labels: Record<SlaState, string> = { breached: 'Breached', due_soon: 'Due soon', on_track: 'On track' };

/** Cases by the service level of their stage. */
export const SlaFilter = () => {
  const { filter, change } = useApplicationFilter();
  return (
    <SelectField
      label="SLA"
      value={filter.sla ?? ''}
      onChange={(chosen) => change({ sla: slaStates.find((s) => s === chosen) ?? null })}
      sx={{ width: 120 }}
      testId="sla-filter"
    >
      <option value="">Any</option>
      {slaStates.map((state) => (
        <option key={state} value={state}>
          {labels[state]}
        </option>
      ))}
    </SelectField>
  );
};
