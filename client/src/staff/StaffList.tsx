import { roleLabels, type StaffMember } from '@desk/shared';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { CreateButton, DataTable, List, TopToolbar } from 'react-admin';
import { DateTime } from '../common/DateTime';
import { PendingGrants } from './PendingGrants';

const ActiveChip = ({ member }: { member: StaffMember }) =>
  member.active ? (
    <Chip label="Active" color="success" variant="outlined" />
  ) : (
    <Chip label="Deactivated" variant="outlined" sx={{ color: 'text.secondary' }} />
  );

/** How the member signs in, in short: a second factor, a set-password link still open. */
const SignInChips = ({ member }: { member: StaffMember }) => (
  <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
    {member.secondFactorEnrolled && <Chip label="Second factor" variant="outlined" />}
    {member.invitationExpiresAt && <Chip label="Link open" color="warning" variant="outlined" />}
  </Box>
);

const Column = DataTable.Col<StaffMember>;

const StaffListActions = () => (
  <TopToolbar>
    <CreateButton label="Add staff member" data-testid="staff-create-button" />
  </TopToolbar>
);

/**
 * Who works the desk, in which role, how they sign in and when they last did; above them, the
 * role grants waiting for a second admin. Admins only.
 */
export const StaffList = () => (
  <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 2, alignContent: 'start', pt: 2 }}>
    <Typography variant="h5" component="h1">
      Staff
    </Typography>
    <PendingGrants />
    <List<StaffMember>
      title="Staff"
      sort={{ field: 'name', order: 'ASC' }}
      perPage={200}
      pagination={false}
      actions={<StaffListActions />}
      sx={{ '& .RaList-main': { mt: -1 } }}
    >
      <DataTable<StaffMember> rowClick="edit" bulkActionButtons={false} data-testid="staff-list">
        <Column source="name" label="Name" />
        <Column source="email" label="Email" />
        <Column source="role" label="Role" render={(member) => roleLabels[member.role]} />
        <Column source="active" label="Status" render={(member) => <ActiveChip member={member} />} />
        <Column label="Sign-in" disableSort render={(member) => <SignInChips member={member} />} />
        <Column
          source="lastSignInAt"
          label="Last sign-in"
          render={(member) => <DateTime value={member.lastSignInAt} />}
        />
      </DataTable>
    </List>
  </Box>
);
