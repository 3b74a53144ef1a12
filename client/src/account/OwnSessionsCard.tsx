import type { StaffSession } from '@desk/shared';
import DevicesOutlined from '@mui/icons-material/DevicesOutlined';
import Alert from '@mui/material/Alert';
import Skeleton from '@mui/material/Skeleton';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useLogout } from 'react-admin';
import { Section } from '../applications/Section';
import type { DeskDataProvider } from '../dataProvider';
import { ConfirmedActionButton } from './ConfirmedActionButton';
import { SessionTable } from './SessionTable';

const ownSessionsQueryKey = ['account', 'sessions'] as const;

/**
 * Where you are signed in: each live session with its browser and address, and a way to end
 * any of them — one left open on a shared computer, or this one (which signs you out here).
 */
export const OwnSessionsCard = () => {
  const dataProvider = useDataProvider<DeskDataProvider>();
  const queryClient = useQueryClient();
  const logout = useLogout();
  const sessions = useQuery({
    queryKey: ownSessionsQueryKey,
    queryFn: ({ signal }) => dataProvider.listOwnSessions(signal),
  });

  const endAction = (session: StaffSession) => (
    <ConfirmedActionButton
      label={session.current ? 'Sign out here' : 'End'}
      testId="session-end"
      title={session.current ? 'Sign out of this browser?' : 'End this session?'}
      content={
        session.current
          ? 'This is the session of the browser you are using: ending it signs you out here at once.'
          : 'That browser is signed out at once; whoever uses it must sign in again.'
      }
      confirmLabel={session.current ? 'Sign out' : 'End session'}
      action={() => dataProvider.endOwnSession(session.id)}
      successMessage={session.current ? undefined : 'Session ended.'}
      onDone={() => {
        if (session.current) void logout({}, undefined, false);
        else void queryClient.invalidateQueries({ queryKey: ownSessionsQueryKey });
      }}
    />
  );

  return (
    <Section
      title="Where you are signed in"
      icon={<DevicesOutlined fontSize="small" />}
      testId="account-sessions"
      flush
    >
      {sessions.isPending ? (
        <Skeleton variant="text" width="60%" sx={{ mx: 1.5, my: 1 }} />
      ) : sessions.isError ? (
        <Alert severity="error" sx={{ m: 1.5 }}>
          Your sessions could not be read: {sessions.error.message}
        </Alert>
      ) : (
        <SessionTable sessions={sessions.data} endAction={endAction} empty="No live session." />
      )}
    </Section>
  );
};
