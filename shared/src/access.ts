/**
 * Who may do what: the one permission matrix. Each route of the route table (`api/routes.ts`)
 * names the permission it takes; the server checks it on every request, and the client's
 * `canAccess` reads the same matrix, so the UI never offers what the server would refuse.
 */
import { z } from 'zod';
import { type StaffRole, staffRoleSchema, staffRoles } from './staff.js';

export const permissions = [
  /** The review queue, case pages, counts. */
  'applications.read',
  /** Create an application at a provider (intake). */
  'applications.create',
  /** Claim, release, "next case"; upload documents, re-apply, refresh, retry provider actions. */
  'applications.work',
  /** Assign cases to others (bulk too), take a case from whoever holds it. */
  'applications.assign',
  /**
   * Open the content of a case's stored documents and of files answering its RFIs (images,
   * PDFs); every opening is audited.
   * Analysts and senior analysts review with them, auditors check what was reviewed; support
   * sees that a document exists (type, size, hash) but not its content, and admins manage
   * staff, not cases.
   */
  'documents.view',
  /** Add notes to a case. */
  'notes.write',
  /** Queue health: the dashboard. */
  'dashboard.read',
  /** Record an internal review outcome. */
  'outcomes.record',
  /** Resolve an escalated case (four-eyes: never the person who escalated it). */
  'outcomes.review',
  'rfis.read',
  'rfis.raise',
  'rfis.answer',
  'rfis.close',
  /** Customers with their identification numbers masked. */
  'customers.read',
  /** The clear identification number, with a reason; always audited. */
  'customers.reveal',
  'audit.read',
  'exports.read',
  /** The staff directory (names and roles, for assignees and authors). */
  'staff.read',
  /** Create staff, change roles, deactivate. */
  'staff.manage',
] as const;
export type Permission = (typeof permissions)[number];
export const permissionSchema = z.enum(permissions);

const analyst: Permission[] = [
  'applications.read',
  'applications.create',
  'applications.work',
  'documents.view',
  'notes.write',
  'outcomes.record',
  'rfis.read',
  'rfis.raise',
  'rfis.answer',
  'rfis.close',
  'customers.read',
  'staff.read',
];

export const rolePermissions: Record<StaffRole, readonly Permission[]> = {
  analyst,
  senior_analyst: [...analyst, 'applications.assign', 'outcomes.review', 'customers.reveal', 'dashboard.read'],
  support: ['applications.read', 'rfis.read', 'customers.read', 'notes.write', 'staff.read'],
  auditor: [
    'applications.read',
    'documents.view',
    'rfis.read',
    'customers.read',
    'audit.read',
    'exports.read',
    'staff.read',
    'dashboard.read',
  ],
  admin: ['applications.read', 'audit.read', 'staff.read', 'staff.manage', 'dashboard.read'],
};

export const roleLabels: Record<StaffRole, string> = {
  analyst: 'Analyst',
  senior_analyst: 'Senior analyst',
  support: 'Support agent',
  auditor: 'Auditor',
  admin: 'Admin',
};

export function can(role: StaffRole, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/**
 * What makes a role privileged: revealing identification numbers, resolving escalations,
 * managing staff. Granting a privileged role takes a second admin's approval, and a privileged
 * role signs in with a second factor where the policy asks for one.
 */
export const privilegedPermissions = [
  'customers.reveal',
  'outcomes.review',
  'staff.manage',
] as const satisfies readonly Permission[];

/** The roles holding any privileged permission, read from the matrix above. */
export const privilegedRoles: readonly StaffRole[] = staffRoles.filter((role) =>
  privilegedPermissions.some((permission) => can(role, permission)),
);

export function isPrivilegedRole(role: StaffRole): boolean {
  return privilegedRoles.includes(role);
}

// ---- Sign-in ----

export const loginRequestSchema = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address')).pipe(z.string().max(254)),
  password: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters'),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const meSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: staffRoleSchema,
    permissions: z.array(permissionSchema),
    /** The zone the member reads times in; null: their browser's. */
    timeZone: z.string().nullable(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;
