import { type RoleGrant, roleLabels, type StaffInvitation } from '@desk/shared';
import HowToRegOutlined from '@mui/icons-material/HowToRegOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
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
import { InvitationDialog } from './InvitationDialog';

/** Under the staff resource's key: react-admin's refresh after a staff change reads it again too. */
export const pendingGrantsQueryKey = ['staff', 'grants', 'pending'] as const;
const approvedGrantsQueryKey = ['staff', 'grants', 'approved'] as const;

/** What a pending request asks for, as a sentence's subject. */
export function pendingWhat(grant: RoleGrant, name: string): string {
  switch (grant.kind) {
    case 'invitation':
      return `A new set-password link for ${name}`;
    case 'second_factor_reset':
      return `Resetting ${name}’s second factor`;
    default:
      return `${grant.activates ? 'Activating' : 'Making'} ${name} ${roleLabels[grant.role]}`;
  }
}

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
  if (!grants.data || grants.data.length === 0) return <ReadyLinks />;
  return (
    <>
      <ReadyLinks />
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
    </>
  );
};

/**
 * Set-password links another admin approved for the signed-in admin's request: each is issued
 * and shown once, when they ask for it here (the approver never sees it).
 */
const ReadyLinks = () => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const { identity } = useDeskIdentity();
  const [shown, setShown] = useState<{ grant: RoleGrant; invitation: StaffInvitation } | null>(null);
  const approved = useQuery({
    queryKey: approvedGrantsQueryKey,
    queryFn: ({ signal }) => dataProvider.listRoleGrants('approved', signal),
  });
  const ready = (approved.data ?? []).filter((g) => g.linkAvailable && g.requestedBy.id === identity?.id);
  if (ready.length === 0 && !shown) return null;
  return (
    <Section
      title="Approved set-password links"
      icon={<HowToRegOutlined fontSize="small" />}
      testId="ready-links"
      flush
    >
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {ready.map((grant) => (
          <Box
            component="li"
            key={grant.id}
            data-testid="ready-link-row"
            sx={{ display: 'flex', gap: 2, alignItems: 'center', px: 1.5, py: 1.25 }}
          >
            <Typography variant="body2" sx={{ flex: 1 }}>
              A new set-password link for <b>{grant.staff.name}</b> ({grant.staff.email}), approved by{' '}
              {grant.decidedBy?.name}. It is shown once.
            </Typography>
            <Button
              variant="contained"
              data-testid="ready-link-show"
              onClick={() =>
                void dataProvider.takeGrantLink(grant.id).then((invitation) => setShown({ grant, invitation }))
              }
            >
              Show the link
            </Button>
          </Box>
        ))}
      </Box>
      {shown && (
        <InvitationDialog
          title="New set-password link"
          member={shown.grant.staff}
          invitation={shown.invitation}
          grant={null}
          onClose={() => {
            setShown(null);
            void queryClient.invalidateQueries({ queryKey: ['staff'] });
          }}
        />
      )}
    </Section>
  );
};

/** What approving a request does, said in its confirmation. */
function approvalEffect(grant: RoleGrant): string {
  const name = grant.staff.name;
  switch (grant.kind) {
    case 'invitation':
      return `${grant.requestedBy.name} gets a new set-password link for ${name}, shown once to them (not to you); ${name}'s open links stop working.`;
    case 'second_factor_reset':
      return `${name}'s authenticator app and recovery codes are removed at once and their sessions end.`;
    default: {
      const wanted = roleLabels[grant.role];
      return `${name} becomes ${wanted}${grant.activates ? ' and is activated' : ''} at once; their sessions end and they sign in again with the new role.`;
    }
  }
}

/** Why the signed-in admin may not approve this grant, or null when they may. */
function approvalRefusal(grant: RoleGrant, me: string | undefined): string | null {
  if (me === grant.requestedBy.id) return 'You asked for this: another admin must approve it. You may withdraw it.';
  if (me === grant.staff.id) return 'This is about your own account: another admin decides it.';
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
  const what = grant.kind === 'role' ? `make ${name} ${wanted}` : pendingWhat(grant, name).toLowerCase();
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
          {grant.kind === 'role' ? (
            <>
              <b>{name}</b> ({grant.staff.email}): {roleLabels[grant.staff.role]} → <b>{wanted}</b>
              {grant.activates ? ', and activated' : ''}
            </>
          ) : (
            <>
              <b>{pendingWhat(grant, name)}</b> ({grant.staff.email}, {roleLabels[grant.staff.role]})
            </>
          )}
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
          title={own ? `Withdraw your request: ${what}?` : `Refuse: ${what}?`}
          content={
            <>
              <DialogContentText sx={{ mb: 1.5 }}>
                {grant.kind === 'role'
                  ? `${name} keeps the role ${roleLabels[grant.staff.role]}${grant.activates ? ' and stays inactive' : ''}.`
                  : 'Nothing changes for the member.'}{' '}
                The request is closed; a new one can be made later.
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
          successMessage={own ? 'Request withdrawn.' : 'Refused.'}
          onDone={reload}
        />
        <ConfirmedActionButton
          label="Approve"
          testId="grant-approve"
          variant="contained"
          color="primary"
          title={`Approve: ${what}?`}
          content={`${approvalEffect(grant)} ${grant.requestedBy.name} asked for it; your approval is recorded on the audit trail.`}
          confirmLabel="Approve"
          confirmColor="primary"
          action={() => dataProvider.approveRoleGrant(grant.id)}
          successMessage={grant.kind === 'role' ? `Approved: ${name} is now ${wanted}.` : 'Approved.'}
          onDone={reload}
          disabledReason={refusal}
        />
      </Box>
    </Box>
  );
};
