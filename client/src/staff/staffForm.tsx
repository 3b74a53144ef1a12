import { privilegedRoles, roleLabels, staffRoles } from '@desk/shared';
import Alert from '@mui/material/Alert';
import type { ReactNode } from 'react';
import { email, HttpError, minLength, required, SaveButton, Toolbar } from 'react-admin';

export const roleChoices = staffRoles.map((role) => ({ id: role, name: roleLabels[role] }));

/** Which roles wait for a second admin, in a sentence (from the permission matrix's privileged roles). */
export const privilegedRoleNote = `The roles that can reveal identification numbers, resolve escalations or manage staff (${privilegedRoles
  .map((role) => roleLabels[role])
  .join(', ')}) take effect only once a second admin approves them.`;

export const validateName = [required('Enter a name'), minLength(1)];
export const validateEmail = [required('Enter an email address'), email('Enter a valid email address')];
export const validateRole = required('Choose a role');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * What a failed save says beyond its field errors (which the form shows under each field):
 * the server's message for a stale version, a taken address or a refusal, or null.
 */
export function formLevelMessage(error: unknown): string | null {
  if (!(error instanceof HttpError)) return error instanceof Error ? error.message : null;
  const body: unknown = error.body;
  const errors = isRecord(body) && isRecord(body.errors) ? body.errors : null;
  if (!errors) return error.message;
  const root = errors.root;
  if (isRecord(root) && typeof root.serverError === 'string') return root.serverError;
  return null;
}

/** True when the save was refused because someone changed the member since the page read it. */
export function isStaleVersion(error: unknown): boolean {
  return error instanceof HttpError && isRecord(error.body) && error.body.code === 'stale_version';
}

/** The server's word on a failed save, above the form. */
export const FormMessage = ({ message, action }: { message: string | null; action?: ReactNode }) =>
  message === null ? null : (
    <Alert severity="error" data-testid="staff-form-error" action={action} sx={{ mb: 1.5 }}>
      {message}
    </Alert>
  );

/** Save only: staff are deactivated, never deleted. */
export const StaffFormToolbar = ({ label }: { label: string }) => (
  <Toolbar>
    <SaveButton label={label} data-testid="staff-save" />
  </Toolbar>
);
