import type { StaffSummary } from '@desk/shared';
import { useGetList } from 'react-admin';
import { SelectField } from '../common/SelectField';
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
    <SelectField
      label="Assignee"
      value={value}
      onChange={(chosen) => change({ assignee: chosen === any ? null : chosen })}
      sx={{ width: 160 }}
      helperText={error ? 'Staff list unavailable' : undefined}
    >
      <option value={any}>Anyone</option>
      <option value={unassigned}>Unassigned</option>
      {orphan && <option value={value}>Staff {value.slice(0, 8)}…</option>}
      {[...(staff ?? [])]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
          </option>
        ))}
    </SelectField>
  );
};
