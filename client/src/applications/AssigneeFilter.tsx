import type { StaffSummary } from '@desk/shared';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useGetList } from 'react-admin';
import { resources } from '../dataProvider';
import { useApplicationFilter } from './useApplicationFilter';

const any = '';
const unassigned = 'none';

/** Unassigned, or one member of staff (`listStaff`). */
export const AssigneeFilter = () => {
  const { filter, change } = useApplicationFilter();
  const { data: staff, error } = useGetList<StaffSummary>(
    resources.staff,
    { pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' } },
    { staleTime: 5 * 60_000, retry: false },
  );
  const value = filter.assignee ?? any;
  // A staff id from the URL is kept selectable while the staff list loads or if it fails.
  const orphan = value !== any && value !== unassigned && !staff?.some((s) => s.id === value);

  return (
    <TextField
      select
      label="Assignee"
      value={value}
      onChange={(event) => change({ assignee: event.target.value === any ? null : event.target.value })}
      sx={{ minWidth: 150 }}
      helperText={error ? 'Staff list unavailable' : undefined}
      slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
    >
      <MenuItem value={any}>Anyone</MenuItem>
      <MenuItem value={unassigned}>Unassigned</MenuItem>
      {orphan && <MenuItem value={value}>Staff {value.slice(0, 8)}…</MenuItem>}
      {[...(staff ?? [])]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((member) => (
          <MenuItem key={member.id} value={member.id}>
            {member.name}
          </MenuItem>
        ))}
    </TextField>
  );
};
