/**
 * What each screen and button of the SPA needs, in terms of the one permission matrix of
 * `@desk/shared`: react-admin asks `canAccess({ resource, action })`, this table names the
 * permission, and the signed-in role either holds it or not. Anything not in the table is
 * refused, like a route missing from the server's table.
 */
import { can, type Me, type Permission } from '@desk/shared';

/** The resources react-admin knows, plus the custom pages and the case page's parts. */
export const accessResources = {
  applications: 'applications',
  rfis: 'rfis',
  staff: 'staff',
  audit: 'audit',
  exports: 'exports',
  customers: 'customers',
  outcomes: 'outcomes',
  dashboard: 'dashboard',
} as const;

/** resource → action → the permission it takes. */
const accessTable: Readonly<Record<string, Readonly<Record<string, Permission>>>> = {
  applications: {
    list: 'applications.read',
    show: 'applications.read',
    create: 'applications.create',
    /** Claim, release, next case; upload documents, re-apply, refresh, retry a provider action. */
    work: 'applications.work',
    assign: 'applications.assign',
    notes: 'notes.write',
    /** Open a stored document's content (the document viewer). */
    viewDocuments: 'documents.view',
  },
  dashboard: { list: 'dashboard.read' },
  outcomes: {
    list: 'applications.read',
    create: 'outcomes.record',
    /** Resolve an escalated case (four-eyes). */
    review: 'outcomes.review',
  },
  rfis: {
    list: 'rfis.read',
    show: 'rfis.read',
    create: 'rfis.raise',
    raise: 'rfis.raise',
    answer: 'rfis.answer',
    close: 'rfis.close',
  },
  // The staff resource's pages are the admin page; the directory behind the assignee
  // filters is read with `staff.read` and needs no page.
  staff: {
    list: 'staff.manage',
    show: 'staff.manage',
    create: 'staff.manage',
    edit: 'staff.manage',
    read: 'staff.read',
  },
  audit: { list: 'audit.read', show: 'audit.read' },
  exports: { list: 'exports.read', show: 'exports.read' },
  customers: { list: 'customers.read', show: 'customers.read', read: 'customers.read', reveal: 'customers.reveal' },
};

/** The permission a resource/action needs, or null when nothing grants it. */
export function permissionFor(resource: string, action: string): Permission | null {
  return accessTable[resource]?.[action] ?? null;
}

/** Whether the signed-in staff member may use the resource/action (deny by default). */
export function mayAccess(me: Pick<Me, 'role'> | null, resource: string, action: string): boolean {
  if (!me) return false;
  const permission = permissionFor(resource, action);
  return permission !== null && can(me.role, permission);
}
