import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Create, RadioButtonGroupInput, SimpleForm, TextInput, useRedirect } from 'react-admin';
import { InvitationDialog } from './InvitationDialog';
import type { CreatedStaffMember } from './staffApi';
import {
  FormMessage,
  formLevelMessage,
  privilegedRoleNote,
  roleChoices,
  StaffFormToolbar,
  validateEmail,
  validateName,
  validateRole,
} from './staffForm';

/**
 * A new staff member: name, email, role. No password: the desk answers a one-time
 * set-password link, shown here once for the admin to pass on. A role that can reveal
 * identification numbers, resolve escalations or manage staff waits for a second admin.
 */
export const StaffCreate = () => {
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedStaffMember | null>(null);
  return (
    <>
      <Create<CreatedStaffMember>
        title="Add staff member"
        mutationOptions={{
          onSuccess: (member) => {
            setMessage(null);
            setCreated(member);
            // The link is shown from this page's state only: no copy stays in react-admin's cache.
            queryClient.removeQueries({ queryKey: ['staff', 'getOne', { id: String(member.id) }] });
          },
          onError: (error: unknown) => setMessage(formLevelMessage(error)),
        }}
        sx={{ maxWidth: 640 }}
      >
        <SimpleForm toolbar={<StaffFormToolbar label="Add staff member" />} defaultValues={{ role: 'analyst' }}>
          <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
            Add a staff member
          </Typography>
          <FormMessage message={message} />
          <TextInput source="name" label="Name" validate={validateName} fullWidth autoComplete="off" />
          <TextInput source="email" label="Email" type="email" validate={validateEmail} fullWidth autoComplete="off" />
          <RadioButtonGroupInput source="role" label="Role" choices={roleChoices} validate={validateRole} />
          <Typography variant="caption" color="text.secondary">
            You never choose their password: the desk gives you a one-time link for them to set it. {privilegedRoleNote}{' '}
            The new member appears on the audit trail as created by you.
          </Typography>
        </SimpleForm>
      </Create>
      {created && (
        <InvitationDialog
          title={`${created.name} is added`}
          member={created}
          invitation={created.invitation}
          grant={created.grant}
          onClose={() => {
            setCreated(null);
            redirect('list', 'staff');
          }}
        />
      )}
    </>
  );
};
