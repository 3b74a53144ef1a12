import { type RoleGrant, roleLabels } from '@desk/shared';
import HowToRegOutlined from '@mui/icons-material/HowToRegOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import DialogContentText from '@mui/material/DialogContentText';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useDataProvider } from 'react-admin';
import { ConfirmedActionButton } from '../account/ConfirmedActionButton';
import { Section } from '../applications/Section';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import { DateTime } from '../common/DateTime';
import type { DeskDataProvider } from '../dataProvider';

/** Under the staff resource's key: react-admin's refresh after a staff change reads it again too. */
export const pendingGrantsQueryKey = ['staff', 'grants', 'pending'] as const;

/**
 * Privileged roles asked for by one admin, waiting for another's decision. Every admin sees
 * them; the one who asked (or the member concerned) is told why they cannot approve, and the
 * one who asked may withdraw. Nothing shows when nothing waits.
 */
export const PendingGrants = () => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const grants = useQuery({
    queryKey: pendingGrantsQueryKey,
    queryFn: ({ signal }) => dataProvider.listRoleGrants('pending', signal),
  });
  if (grants.isError) {
    return <Alert severity="error">The role grants could not be read: {grants.error.message}</Alert>;
  }
  if (!grants.data || grants.data.length === 0) return null;
  return (
    <Section
      title="Waiting for a second admin"
      icon={<HowToRegOutlined fontSize="small" />}
      testId="pending-grants"
      flush
    >
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {grants.data.map((grant) => (
          <GrantRow key={grant.id} grant={grant} />
        ))}
      </Box>
    </Section>
  );
};

/** Why the signed-in admin may not approve this grant, or null when they may. */
function approvalRefusal(grant: RoleGrant, me: string | undefined): string | null {
  if (me === grant.requestedBy.id)
    return 'You asked for this grant: another admin must approve it. You may withdraw it.';
  if (me === grant.staff.id) return 'This grant is for your own role: another admin decides it.';
  return null;
}

const GrantRow = ({ grant }: { grant: RoleGrant }) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const { identity } = useDeskIdentity();
  const [reason, setReason] = useState('');
  const refusal = approvalRefusal(grant, identity?.id);
  const own = identity?.id === grant.requestedBy.id;
  const name = grant.staff.name;
  const wanted = roleLabels[grant.role];
  // The grant and the member both changed: the staff list and every grant list read again.
  const reload = () => void queryClient.invalidateQueries({ queryKey: ['staff'] });

  return (
    <Box
      component="li"
      data-testid="grant-row"
      data-grant-id={grant.id}
      sx={{
        display: 'flex',
        gap: 2,
        alignItems: 'center',
        flexWrap: 'wrap',
        px: 1.5,
        py: 1.25,
        '& + &': { borderTop: 1, borderColor: 'divider' },
      }}
    >
      <Box sx={{ flex: 1, minWidth: 260 }}>
        <Typography variant="body2" data-testid="grant-summary">
          <b>{name}</b> ({grant.staff.email}): {roleLabels[grant.staff.role]} → <b>{wanted}</b>
          {grant.activates ? ', and activated' : ''}
        </Typography>
        <Typography variant="caption" color="text.secondary" component="p">
          Asked by {grant.requestedBy.name}, <DateTime value={grant.requestedAt} />
        </Typography>
        {refusal && (
          <Typography variant="caption" color="warning.main" component="p" data-testid="grant-own-note">
            {refusal}
          </Typography>
        )}
      </Box>
      <Box sx={{ display: 'flex', gap: 1 }}>
        <ConfirmedActionButton
          label={own ? 'Withdraw' : 'Refuse'}
          testId="grant-refuse"
          title={own ? `Withdraw your request to make ${name} ${wanted}?` : `Refuse making ${name} ${wanted}?`}
          content={
            <>
              <DialogContentText sx={{ mb: 1.5 }}>
                {name} keeps the role {roleLabels[grant.staff.role]}
                {grant.activates ? ' and stays inactive' : ''}. The request is closed; a new one can be made later.
              </DialogContentText>
              <TextField
                label="Reason (optional, kept on the audit trail)"
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                fullWidth
                multiline
                minRows={2}
                slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'grant-refuse-reason' } }}
              />
            </>
          }
          confirmLabel={own ? 'Withdraw' : 'Refuse'}
          action={() => dataProvider.refuseRoleGrant(grant.id, reason.trim() || undefined)}
          successMessage={own ? 'Request withdrawn.' : `Refused: ${name} stays ${roleLabels[grant.staff.role]}.`}
          onDone={reload}
        />
        <ConfirmedActionButton
          label="Approve"
          testId="grant-approve"
          variant="contained"
          color="primary"
          title={`Make ${name} ${wanted}?`}
          content={`${name} becomes ${wanted}${grant.activates ? ' and is activated' : ''} at once; their sessions end and they sign in again with the new role. ${grant.requestedBy.name} asked for it; your approval is recorded on the audit trail.`}
          confirmLabel="Approve"
          confirmColor="primary"
          action={() => dataProvider.approveRoleGrant(grant.id)}
          successMessage={`Approved: ${name} is now ${wanted}.`}
          onDone={reload}
          disabledReason={refusal}
        />
      </Box>
    </Box>
  );
};
