import { type SlaState, slaStates } from '@desk/shared';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useApplicationFilter } from '../applications/useApplicationFilter';

const labels: Record<SlaState, string> = { breached: 'Breached', due_soon: 'Due soon', on_track: 'On track' };

/** Cases by the service level of their stage. */
export const SlaFilter = () => {
  const { filter, change } = useApplicationFilter();
  return (
    <TextField
      select
      label="SLA"
      value={filter.sla ?? ''}
      onChange={(event) => change({ sla: slaStates.find((s) => s === event.target.value) ?? null })}
      sx={{ minWidth: 120 }}
      slotProps={{
        select: { displayEmpty: true },
        inputLabel: { shrink: true },
        htmlInput: { 'data-testid': 'sla-filter' },
      }}
    >
      <MenuItem value="">Any</MenuItem>
      {slaStates.map((state) => (
        <MenuItem key={state} value={state}>
          {labels[state]}
        </MenuItem>
      ))}
    </TextField>
  );
};
