import { roleLabels, type StaffMember } from '@desk/shared';
import Chip from '@mui/material/Chip';
import { CreateButton, DataTable, List, TopToolbar } from 'react-admin';
import { DateTime } from '../common/DateTime';

const ActiveChip = ({ member }: { member: StaffMember }) =>
  member.active ? (
    <Chip label="Active" color="success" variant="outlined" />
  ) : (
    <Chip label="Deactivated" variant="outlined" sx={{ color: 'text.secondary' }} />
  );

const Column = DataTable.Col<StaffMember>;

const StaffListActions = () => (
  <TopToolbar>
    <CreateButton label="Add staff member" data-testid="staff-create-button" />
  </TopToolbar>
);

/** Who works the desk, in which role, and when they last signed in. Admins only. */
export const StaffList = () => (
  <List<StaffMember>
    title="Staff"
    sort={{ field: 'name', order: 'ASC' }}
    perPage={200}
    pagination={false}
    actions={<StaffListActions />}
  >
    <DataTable<StaffMember> rowClick="edit" bulkActionButtons={false} data-testid="staff-list">
      <Column source="name" label="Name" />
      <Column source="email" label="Email" />
      <Column source="role" label="Role" render={(member) => roleLabels[member.role]} />
      <Column source="active" label="Status" render={(member) => <ActiveChip member={member} />} />
      <Column
        source="lastSignInAt"
        label="Last sign-in"
        render={(member) => <DateTime value={member.lastSignInAt} />}
      />
    </DataTable>
  </List>
);
