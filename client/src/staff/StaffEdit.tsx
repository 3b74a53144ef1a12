import { roleLabels, type StaffMember } from '@desk/shared';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import {
  BooleanInput,
  Edit,
  PasswordInput,
  RadioButtonGroupInput,
  SimpleForm,
  TextInput,
  useEditContext,
  useNotify,
  useRedirect,
} from 'react-admin';
import { DateTime } from '../common/DateTime';
import {
  FormMessage,
  formLevelMessage,
  isStaleVersion,
  passwordRule,
  roleChoices,
  StaffFormToolbar,
  validateName,
  validateRole,
} from './staffForm';

const Summary = () => {
  const { record } = useEditContext<StaffMember>();
  if (!record) return null;
  return (
    <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }} data-testid="staff-edit-summary">
      {record.email} · {roleLabels[record.role]} · last signed in <DateTime value={record.lastSignInAt} />
    </Typography>
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

/**
 * Change a member's name, role, status or password. The save carries the version the page
 * read; if someone changed the member meanwhile the server refuses and says so here.
 */
export const StaffEdit = () => {
  const notify = useNotify();
  const redirect = useRedirect();
  const [message, setMessage] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  return (
    <Edit
      title="Edit staff member"
      mutationMode="pessimistic"
      mutationOptions={{
        onSuccess: () => {
          setMessage(null);
          setStale(false);
          notify('Staff member saved. A new role, password or deactivation ends their sessions.', { type: 'success' });
          redirect('list', 'staff');
        },
        onError: (error: unknown) => {
          setMessage(formLevelMessage(error));
          setStale(isStaleVersion(error));
        },
      }}
      sx={{ maxWidth: 640 }}
    >
      <SimpleForm toolbar={<StaffFormToolbar label="Save" />}>
        <Summary />
        <FormMessage
          message={message}
          action={
            stale ? (
              <ReloadButton
                onReloaded={() => {
                  setMessage(null);
                  setStale(false);
                }}
              />
            ) : undefined
          }
        />
        <TextInput source="name" label="Name" validate={validateName} fullWidth autoComplete="off" />
        <RadioButtonGroupInput source="role" label="Role" choices={roleChoices} validate={validateRole} />
        <BooleanInput source="active" label="Active (may sign in)" />
        <PasswordInput
          source="password"
          label="New password"
          validate={passwordRule}
          fullWidth
          autoComplete="new-password"
          helperText="Leave empty to keep the current password. At least 12 characters."
        />
      </SimpleForm>
    </Edit>
  );
};
