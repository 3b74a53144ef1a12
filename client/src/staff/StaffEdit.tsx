import { roleLabels, type StaffMember } from '@desk/shared';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import {
  BooleanInput,
  EditBase,
  RadioButtonGroupInput,
  SimpleForm,
  TextInput,
  Title,
  useEditContext,
  useNotify,
  useRedirect,
  useSaveContext,
} from 'react-admin';
import { ActionEffects, ConfirmActionDialog } from '../account/ConfirmedActionButton';
import { useDeskIdentity } from '../auth/useDeskIdentity';
import { DateTime } from '../common/DateTime';
import { PageLoading } from '../layout/lazyPage';
import { MemberAccess } from './MemberAccess';
import type { SavedStaffMember } from './staffApi';
import {
  FormMessage,
  formLevelMessage,
  isStaleVersion,
  roleChoices,
  StaffFormToolbar,
  validateName,
  validateRole,
} from './staffForm';

const Summary = () => {
  const { record } = useEditContext<StaffMember>();
  if (!record) return null;
  return (
    <Box sx={{ mb: 1 }}>
      <Typography variant="h5" component="h1" data-testid="staff-edit-name">
        {record.name}
      </Typography>
      <Typography variant="body2" color="text.secondary" data-testid="staff-edit-summary">
        {record.email} · {roleLabels[record.role]} · last signed in <DateTime value={record.lastSignInAt} />
      </Typography>
    </Box>
  );
};

/** Reads the member again after a stale-version refusal, so the next save carries the new version. */
const ReloadButton = ({ onReloaded }: { onReloaded: () => void }) => {
  const { refetch } = useEditContext<StaffMember>();
  return (
    <Button
      color="inherit"
      size="small"
      data-testid="staff-reload"
      onClick={() => {
        void refetch().then(onReloaded);
      }}
    >
      Reload
    </Button>
  );
};

/** Role and status, except on one's own record: nobody changes their own role or deactivates themselves. */
const RoleAndStatus = () => {
  const { record } = useEditContext<StaffMember>();
  const { identity } = useDeskIdentity();
  const own = record !== undefined && identity?.id === record.id;
  return (
    <>
      <RadioButtonGroupInput
        source="role"
        label="Role"
        choices={roleChoices}
        validate={validateRole}
        disabled={own}
        helperText={own ? 'Nobody changes their own role: another admin must.' : undefined}
      />
      <BooleanInput
        source="active"
        label="Active (may sign in)"
        disabled={own}
        helperText={own ? 'Another admin must deactivate you.' : undefined}
      />
    </>
  );
};

/** A save that would take an active member's access away. */
function deactivates(member: StaffMember, values: Partial<StaffMember>): boolean {
  return member.active && values.active === false;
}

/** What deactivating a member does, for its confirmation. */
const DeactivationEffects = ({ member }: { member: StaffMember }) => (
  <ActionEffects
    effects={[
      {
        where: `For ${member.name}`,
        what: `Every browser where ${member.name} is signed in is signed out at once, and they cannot sign in again — by password or single sign-on — until an admin activates them.`,
      },
      {
        where: 'On the desk',
        what: 'Their name stays on everything they did (cases, outcomes, the audit trail); cases assigned to them stay assigned until someone reassigns them. A role change waiting for approval is withdrawn.',
      },
    ]}
  />
);

/** The form and the access panels, once the member is read (the form starts from their values). */
const StaffEditView = ({
  message,
  stale,
  onReloaded,
}: {
  message: string | null;
  stale: boolean;
  onReloaded: () => void;
}) => {
  const { record, error } = useEditContext<StaffMember>();
  const { save } = useSaveContext();
  const formCard = useRef<HTMLDivElement>(null);
  /** Set once the admin confirmed the deactivation: the next submission goes through. */
  const confirmed = useRef(false);
  const [confirming, setConfirming] = useState(false);
  if (error) return <FormMessage message={error instanceof Error ? error.message : 'This member could not be read.'} />;
  if (!record) return <PageLoading />;
  return (
    <Box
      sx={{
        maxWidth: 880,
        mt: 2,
        display: 'grid',
        gridTemplateColumns: 'minmax(0, 1fr)',
        gap: 2,
        alignContent: 'start',
      }}
    >
      <Card ref={formCard}>
        <SimpleForm
          toolbar={<StaffFormToolbar label="Save" />}
          onSubmit={(values: Partial<StaffMember>) => {
            if (deactivates(record, values) && !confirmed.current) {
              setConfirming(true);
              return undefined;
            }
            confirmed.current = false;
            return save?.(values);
          }}
        >
          <Summary />
          <FormMessage message={message} action={stale ? <ReloadButton onReloaded={onReloaded} /> : undefined} />
          <TextInput source="name" label="Name" validate={validateName} fullWidth autoComplete="off" />
          <RoleAndStatus />
        </SimpleForm>
      </Card>
      <MemberAccess member={record} />
      <ConfirmActionDialog
        open={confirming}
        testId="staff-deactivate"
        title={`Deactivate ${record.name}?`}
        content={<DeactivationEffects member={record} />}
        confirmLabel={`Deactivate ${record.name}`}
        onConfirm={() => {
          setConfirming(false);
          confirmed.current = true;
          // The form submits as it would have: its checks, then the save with the version read.
          formCard.current?.querySelector('form')?.requestSubmit();
        }}
        onCancel={() => setConfirming(false)}
      />
    </Box>
  );
};

/**
 * A member's page: their name, role and status (the save carries the version the page read;
 * if someone changed the member meanwhile the server refuses and says so here), then their
 * access — the set-password link, the second factor, the live sessions. A privileged role
 * waits for a second admin: the save says so and the Staff page lists it.
 */
export const StaffEdit = () => {
  const notify = useNotify();
  const redirect = useRedirect();
  const [message, setMessage] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  return (
    <EditBase<SavedStaffMember>
      // The page reads the member itself and opens the form on that read alone. The list leaves
      // a copy of each member for this page to start from, and the page reads them again; a form
      // opened on the copy would be reset by that read landing while the admin types, and their
      // edit lost with it. Its own key keeps the copy away; after this, only Reload reads again.
      queryOptions={{ meta: { read: 'own' } }}
      mutationMode="pessimistic"
      mutationOptions={{
        onSuccess: (saved: SavedStaffMember) => {
          setMessage(null);
          setStale(false);
          const grant = saved.pendingGrant;
          if (grant) {
            notify(
              `Saved. Making ${saved.name} ${roleLabels[grant.role]} is waiting for a second admin’s approval; until then they stay ${roleLabels[saved.role]}.`,
              { type: 'info', multiLine: true },
            );
          } else {
            notify('Staff member saved. A new role or a deactivation ends their sessions.', { type: 'success' });
          }
          redirect('list', 'staff');
        },
        onError: (error: unknown) => {
          setMessage(formLevelMessage(error));
          setStale(isStaleVersion(error));
        },
      }}
    >
      <Title title="Edit staff member" />
      <StaffEditView
        message={message}
        stale={stale}
        onReloaded={() => {
          setMessage(null);
          setStale(false);
        }}
      />
    </EditBase>
  );
};
