import { providerLabels, providers, type StaffSummary } from '@desk/shared';
import FilterAltOff from '@mui/icons-material/FilterAltOff';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useGetList } from 'react-admin';
import { resources } from '../dataProvider';
import { RfiStatusFilter } from './RfiStatusFilter';
import { defaultRfiStatuses, dueWithinChoices, dueWithinLabels, toRfiFilterValues } from './rfiFilter';
import { useRfiFilter } from './useRfiFilter';

const anyValue = '';
const selectProps = { select: { displayEmpty: true }, inputLabel: { shrink: true } } as const;

/** The filter bar above the RFI grid: status chips, provider, assignee, due before. */
export const RfiFilters = () => {
  const { filter, change } = useRfiFilter();
  const { data: staff, error: staffError } = useGetList<StaffSummary>(
    resources.staff,
    { pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' } },
    { staleTime: 5 * 60_000, retry: false },
  );
  const assignee = filter.assignee ?? anyValue;
  const orphan = assignee !== anyValue && assignee !== 'none' && !staff?.some((s) => s.id === assignee);
  const cleared = { status: [...defaultRfiStatuses], provider: null, assignee: null, dueWithin: null };
  const isClear =
    !('status' in toRfiFilterValues(filter)) &&
    filter.provider === null &&
    filter.assignee === null &&
    filter.dueWithin === null;

  return (
    <Box
      sx={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: 1,
        px: 1.5,
        pt: 1.75,
        pb: 1,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <RfiStatusFilter />
      <TextField
        select
        label="Provider"
        value={filter.provider ?? anyValue}
        onChange={(event) => change({ provider: providers.find((p) => p === event.target.value) ?? null })}
        sx={{ minWidth: 130 }}
        slotProps={{ ...selectProps, htmlInput: { 'data-testid': 'rfi-provider-filter' } }}
      >
        <MenuItem value={anyValue}>All providers</MenuItem>
        {providers.map((provider) => (
          <MenuItem key={provider} value={provider}>
            {providerLabels[provider]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Assignee"
        value={assignee}
        onChange={(event) => change({ assignee: event.target.value === anyValue ? null : event.target.value })}
        sx={{ minWidth: 150 }}
        helperText={staffError ? 'Staff list unavailable' : undefined}
        slotProps={{ ...selectProps, htmlInput: { 'data-testid': 'rfi-assignee-filter' } }}
      >
        <MenuItem value={anyValue}>Anyone</MenuItem>
        <MenuItem value="none">Unassigned</MenuItem>
        {orphan && <MenuItem value={assignee}>Staff {assignee.slice(0, 8)}…</MenuItem>}
        {[...(staff ?? [])]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((member) => (
            <MenuItem key={member.id} value={member.id}>
              {member.name}
            </MenuItem>
          ))}
      </TextField>
      <TextField
        select
        label="Due before"
        value={filter.dueWithin === null ? anyValue : String(filter.dueWithin)}
        onChange={(event) =>
          change({ dueWithin: dueWithinChoices.find((n) => String(n) === event.target.value) ?? null })
        }
        sx={{ minWidth: 130 }}
        slotProps={{ ...selectProps, htmlInput: { 'data-testid': 'rfi-due-filter' } }}
      >
        <MenuItem value={anyValue}>Any time</MenuItem>
        {dueWithinChoices.map((days) => (
          <MenuItem key={days} value={String(days)}>
            {dueWithinLabels[days]}
          </MenuItem>
        ))}
      </TextField>
      <Box sx={{ flex: 1 }} />
      <Button startIcon={<FilterAltOff />} disabled={isClear} onClick={() => change(cleared)}>
        Clear filters
      </Button>
    </Box>
  );
};
