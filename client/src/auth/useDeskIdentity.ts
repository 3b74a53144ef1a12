import { roleLabels, type StaffRole, staffRoles } from '@desk/shared';
import { useGetIdentity } from 'react-admin';
import type { DeskIdentity } from './authProvider';

function isRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (staffRoles as readonly string[]).includes(value);
}

/** The signed-in staff member (id, name, email, role), once known. */
export function useDeskIdentity(): { identity: DeskIdentity | undefined; isPending: boolean } {
  const { identity, isPending } = useGetIdentity();
  if (!identity) return { identity: undefined, isPending };
  const { id, fullName, email, role } = identity;
  if (typeof id !== 'string' || typeof fullName !== 'string' || typeof email !== 'string' || !isRole(role)) {
    return { identity: undefined, isPending };
  }
  return { identity: { id, fullName, email, role, roleLabel: roleLabels[role] }, isPending };
}
