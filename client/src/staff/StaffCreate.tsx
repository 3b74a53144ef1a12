import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import {
  Create,
  PasswordInput,
  RadioButtonGroupInput,
  SimpleForm,
  TextInput,
  useNotify,
  useRedirect,
} from 'react-admin';
import {
  FormMessage,
  formLevelMessage,
  roleChoices,
  StaffFormToolbar,
  validateEmail,
  validateName,
  validateNewPassword,
  validateRole,
} from './staffForm';

/** A new staff member: name, email, role, and a first password (at least 12 characters). */
export const StaffCreate = () => {
  const notify = useNotify();
  const redirect = useRedirect();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <Create
      title="Add staff member"
      mutationOptions={{
        onSuccess: () => {
          setMessage(null);
          notify('Staff member added. They can sign in now.', { type: 'success' });
          redirect('list', 'staff');
        },
        onError: (error: unknown) => setMessage(formLevelMessage(error)),
      }}
      sx={{ maxWidth: 640 }}
    >
      <SimpleForm toolbar={<StaffFormToolbar label="Add staff member" />} defaultValues={{ role: 'analyst' }}>
        <FormMessage message={message} />
        <TextInput source="name" label="Name" validate={validateName} fullWidth autoComplete="off" />
        <TextInput source="email" label="Email" type="email" validate={validateEmail} fullWidth autoComplete="off" />
        <RadioButtonGroupInput source="role" label="Role" choices={roleChoices} validate={validateRole} />
        <Box sx={{ width: '100%' }}>
          <PasswordInput
            source="password"
            label="First password"
            validate={validateNewPassword}
            fullWidth
            autoComplete="new-password"
            helperText="At least 12 characters. Share it with them in person; they sign in with it."
          />
        </Box>
        <Typography variant="caption" color="text.secondary">
          The new member appears on the audit trail as created by you.
        </Typography>
      </SimpleForm>
    </Create>
  );
};
