/**
 * Who may do what: the one permission matrix. The server checks every API route against
 * `apiRoutes` (a route missing from the table is refused), and the client's `canAccess`
 * reads the same matrix, so the UI never offers what the server would refuse.
 */
import { z } from 'zod';
import { staffRoleSchema, type StaffRole } from './staff.js';

export const permissions = [
  /** The review queue, case pages, counts. */
  'applications.read',
  /** Create an application at a provider (intake). */
  'applications.create',
  /** Claim, release, "next case"; upload documents, re-apply, refresh, retry provider actions. */
  'applications.work',
  /** Assign cases to others (bulk too), take a case from whoever holds it. */
  'applications.assign',
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
  auditor: ['applications.read', 'rfis.read', 'customers.read', 'audit.read', 'exports.read', 'staff.read', 'dashboard.read'],
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

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * How a route is reached: `public` needs nothing (health, sign-in, provider webhooks, which
 * carry their own signatures), `signedIn` any staff member, otherwise one permission.
 */
export type RouteAccess = 'public' | 'signedIn' | Permission;

export type ApiRoute = { method: HttpMethod; path: string; access: RouteAccess };

/** Every route under /api, with what it takes to call it. Paths use `:param` segments. */
export const apiRoutes: readonly ApiRoute[] = [
  { method: 'GET', path: '/api/openapi.json', access: 'public' },
  { method: 'POST', path: '/api/auth/login', access: 'public' },
  { method: 'POST', path: '/api/auth/logout', access: 'signedIn' },
  { method: 'GET', path: '/api/auth/me', access: 'signedIn' },
  { method: 'POST', path: '/api/webhooks/:provider', access: 'public' },

  { method: 'GET', path: '/api/staff', access: 'staff.read' },
  { method: 'POST', path: '/api/staff', access: 'staff.manage' },
  { method: 'PATCH', path: '/api/staff/:id', access: 'staff.manage' },

  { method: 'GET', path: '/api/applications', access: 'applications.read' },
  { method: 'POST', path: '/api/applications', access: 'applications.create' },
  { method: 'GET', path: '/api/applications/stats', access: 'applications.read' },
  { method: 'GET', path: '/api/applications/next', access: 'applications.work' },
  { method: 'GET', path: '/api/dashboard', access: 'dashboard.read' },
  { method: 'GET', path: '/api/applications/:id', access: 'applications.read' },
  { method: 'POST', path: '/api/applications/:id/documents', access: 'applications.work' },
  { method: 'POST', path: '/api/applications/:id/reapply', access: 'applications.work' },
  { method: 'POST', path: '/api/applications/:id/refresh', access: 'applications.work' },
  { method: 'POST', path: '/api/applications/:id/actions/:actionId/retry', access: 'applications.work' },
  { method: 'POST', path: '/api/applications/:id/outcomes', access: 'outcomes.record' },
  { method: 'POST', path: '/api/applications/:id/claim', access: 'applications.work' },
  { method: 'POST', path: '/api/applications/:id/release', access: 'applications.work' },
  { method: 'POST', path: '/api/applications/:id/assign', access: 'applications.assign' },
  { method: 'POST', path: '/api/applications/:id/notes', access: 'notes.write' },
  { method: 'GET', path: '/api/saved-filters', access: 'signedIn' },
  { method: 'POST', path: '/api/saved-filters', access: 'signedIn' },
  { method: 'DELETE', path: '/api/saved-filters/:id', access: 'signedIn' },
  { method: 'GET', path: '/api/applications/:id/audit-events', access: 'audit.read' },
  { method: 'GET', path: '/api/applications/:id/audit-report', access: 'audit.read' },

  { method: 'GET', path: '/api/rfis', access: 'rfis.read' },
  { method: 'GET', path: '/api/rfis/:id', access: 'rfis.read' },
  { method: 'POST', path: '/api/applications/:id/rfis', access: 'rfis.raise' },
  { method: 'POST', path: '/api/rfis/:id/answers', access: 'rfis.answer' },
  { method: 'POST', path: '/api/rfis/:id/close', access: 'rfis.close' },

  { method: 'GET', path: '/api/customers', access: 'customers.read' },
  { method: 'GET', path: '/api/customers/:id', access: 'customers.read' },
  { method: 'POST', path: '/api/customers/:id/reveal', access: 'customers.reveal' },

  { method: 'GET', path: '/api/audit-events', access: 'audit.read' },
  { method: 'GET', path: '/api/audit-events/verify', access: 'audit.read' },
  { method: 'GET', path: '/api/exports', access: 'exports.read' },
  { method: 'GET', path: '/api/exports/status-history', access: 'exports.read' },
  { method: 'GET', path: '/api/exports/consents', access: 'exports.read' },
  { method: 'GET', path: '/api/exports/:id/manifest', access: 'exports.read' },
];

/** Splits a path into segments once, for matching. */
function segments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

const compiled = apiRoutes.map((route) => ({ route, parts: segments(route.path) }));

/**
 * The route a request reaches, literal segments preferred over parameters
 * (`/api/applications/stats` is not `/api/applications/:id`).
 */
export function matchApiRoute(method: string, path: string): ApiRoute | null {
  const parts = segments(path);
  let best: { route: ApiRoute; literals: number } | null = null;
  for (const candidate of compiled) {
    if (candidate.route.method !== method || candidate.parts.length !== parts.length) continue;
    let literals = 0;
    const matches = candidate.parts.every((part, i) => {
      if (part.startsWith(':')) return parts[i] !== '';
      literals += 1;
      return part === parts[i];
    });
    if (matches && (!best || literals > best.literals)) best = { route: candidate.route, literals };
  }
  return best?.route ?? null;
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
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;
