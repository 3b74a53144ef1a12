import { isPrivilegedRole, roleLabels, type StaffInvitation, type StaffMember, type StaffSession } from '@desk/shared';
import DevicesOutlined from '@mui/icons-material/DevicesOutlined';
import LinkOutlined from '@mui/icons-material/LinkOutlined';
import PhonelinkLockOutlined from '@mui/icons-material/PhonelinkLockOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useDataProvider, useEditContext } from 'react-admin';
import { ConfirmedActionButton } from '../account/ConfirmedActionButton';
import { SessionTable } from '../account/SessionTable';
import { Section } from '../applications/Section';
import { DateTime } from '../common/DateTime';
import type { DeskDataProvider } from '../dataProvider';
import { InvitationDialog } from './InvitationDialog';
import { pendingGrantsQueryKey, pendingWhat } from './PendingGrants';

const sessionsQueryKey = (id: string) => ['staff', id, 'sessions'] as const;

/**
 * What an admin does about a member's access, each step confirmed first: a grant waiting for
 * a second admin, a new set-password link (shown once), resetting a lost second factor (never
 * reading it), and the member's live sessions, ended one by one or all at once.
 */
export const MemberAccess = ({ member }: { member: StaffMember }) => (
  <Box
    sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 2, alignContent: 'start' }}
    data-testid="member-access"
  >
    <PendingGrantNote member={member} />
    <SetPasswordLink member={member} />
    <SecondFactor member={member} />
    <MemberSessions member={member} />
  </Box>
);

/** The grant this member waits for, if any (decided on the Staff page by another admin). */
const PendingGrantNote = ({ member }: { member: StaffMember }) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const grants = useQuery({
    queryKey: pendingGrantsQueryKey,
    queryFn: ({ signal }) => dataProvider.listRoleGrants('pending', signal),
  });
  const grant = grants.data?.find((g) => g.staff.id === member.id);
  if (!grant) return null;
  return (
    <Alert severity="info" data-testid="member-pending-grant">
      {pendingWhat(grant, member.name)} is waiting for a second admin’s approval (asked by {grant.requestedBy.name},{' '}
      <DateTime value={grant.requestedAt} />
      ). Another admin approves or refuses it on the Staff page.
    </Alert>
  );
};

/** A privileged member's link or reset waits for a second admin: what the confirmation says about it. */
function secondAdminNote(member: StaffMember): string {
  return isPrivilegedRole(member.role)
    ? ` As ${member.name} is ${roleLabels[member.role]}, another admin must approve this first.`
    : '';
}

const SetPasswordLink = ({ member }: { member: StaffMember }) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const { refetch } = useEditContext<StaffMember>();
  const [issued, setIssued] = useState<StaffInvitation | null>(null);
  const reissue = async () => {
    const answer = await dataProvider.reissueInvitation(member.id);
    // A privileged member: the request waits for a second admin, then the link is taken from the Staff page.
    if ('grant' in answer) await queryClient.invalidateQueries({ queryKey: ['staff'] });
    else setIssued(answer);
  };
  return (
    <Section
      title="Set-password link"
      icon={<LinkOutlined fontSize="small" />}
      testId="member-invitation"
      action={
        <ConfirmedActionButton
          label="New set-password link"
          testId="member-reissue-invitation"
          title={`Issue a new set-password link for ${member.name}?`}
          content={`Any link ${member.name} was given before stops working at once. Their current password, if they have one, keeps working until they use the new link. The new link is shown once, for you to pass on.${secondAdminNote(member)}`}
          confirmLabel={isPrivilegedRole(member.role) ? 'Ask for a new link' : 'Issue a new link'}
          confirmColor="primary"
          action={reissue}
          successMessage={
            isPrivilegedRole(member.role)
              ? 'Asked: once another admin approves, show the link from the Staff page.'
              : undefined
          }
        />
      }
    >
      <Typography variant="body2" data-testid="member-invitation-status">
        {member.invitationExpiresAt ? (
          <>
            A link is open until <DateTime value={member.invitationExpiresAt} />.
          </>
        ) : (
          'No link is open.'
        )}{' '}
        A new link is also how a forgotten password is replaced.
      </Typography>
      {issued && (
        <InvitationDialog
          title="New set-password link"
          member={member}
          invitation={issued}
          grant={null}
          onClose={() => {
            setIssued(null);
            void refetch();
          }}
        />
      )}
    </Section>
  );
};

const SecondFactor = ({ member }: { member: StaffMember }) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const { refetch } = useEditContext<StaffMember>();
  return (
    <Section
      title="Second factor"
      icon={<PhonelinkLockOutlined fontSize="small" />}
      testId="member-second-factor"
      action={
        <ConfirmedActionButton
          label="Reset second factor"
          testId="member-reset-second-factor"
          title={`Reset ${member.name}’s second factor?`}
          content={`Their authenticator app and recovery codes are removed and every session of theirs ends. They sign in with their password alone, or set up a new authenticator at their next sign-in where their role needs one. Do this when they have lost their phone; nobody ever sees the factor itself.${secondAdminNote(member)}`}
          confirmLabel={isPrivilegedRole(member.role) ? 'Ask for a reset' : 'Reset'}
          action={() => dataProvider.resetStaffSecondFactor(member.id)}
          successMessage={
            isPrivilegedRole(member.role)
              ? 'Asked: the reset happens once another admin approves it on the Staff page.'
              : `${member.name}’s second factor is reset and their sessions ended.`
          }
          onDone={() => {
            void refetch();
            void queryClient.invalidateQueries({ queryKey: ['staff'] });
          }}
          disabledReason={member.secondFactorEnrolled ? null : 'They have no second factor to reset.'}
        />
      }
    >
      <Typography variant="body2" data-testid="member-second-factor-status">
        {member.secondFactorEnrolled
          ? 'Signs in with an authenticator app as well as their password.'
          : 'No second factor: they have no authenticator app set up.'}
      </Typography>
    </Section>
  );
};

const MemberSessions = ({ member }: { member: StaffMember }) => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: sessionsQueryKey(member.id),
    queryFn: ({ signal }) => dataProvider.listStaffSessions(member.id, signal),
  });
  const reload = () => void queryClient.invalidateQueries({ queryKey: sessionsQueryKey(member.id) });
  const live = sessions.data ?? [];

  const endOne = (session: StaffSession) => (
    <ConfirmedActionButton
      label="End"
      testId="session-end"
      title={`End this session of ${member.name}?`}
      content={
        session.current
          ? 'This is your own session in this browser: ending it signs you out here.'
          : 'That browser is signed out at once; they must sign in again there.'
      }
      confirmLabel="End session"
      action={() => dataProvider.endStaffSession(member.id, session.id)}
      successMessage="Session ended."
      onDone={reload}
    />
  );

  return (
    <Section
      title="Live sessions"
      icon={<DevicesOutlined fontSize="small" />}
      testId="member-sessions"
      flush
      action={
        <ConfirmedActionButton
          label="End all sessions"
          testId="member-end-sessions"
          title={`End every session of ${member.name}?`}
          content={`Every browser where ${member.name} is signed in is signed out at once (${live.length === 1 ? '1 session' : `${live.length} sessions`}). They can sign in again unless you also deactivate them.`}
          confirmLabel="End all sessions"
          action={() => dataProvider.endStaffSessions(member.id)}
          successMessage={`Every session of ${member.name} ended.`}
          onDone={reload}
          disabledReason={live.length === 0 ? 'They have no live session.' : null}
        />
      }
    >
      {sessions.isPending ? (
        <Skeleton variant="text" width="60%" sx={{ mx: 1.5, my: 1 }} />
      ) : sessions.isError ? (
        <Alert severity="error" sx={{ m: 1.5 }}>
          The sessions could not be read: {sessions.error.message}
        </Alert>
      ) : (
        <SessionTable sessions={live} endAction={endOne} empty={`${member.name} is not signed in anywhere.`} />
      )}
    </Section>
  );
};
