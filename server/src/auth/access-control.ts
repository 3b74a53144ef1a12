/**
 * The gate in front of every API route, deny by default: the route must be in the
 * permission table of `@desk/shared` (`apiRoutes`), state-changing requests must come from
 * the desk's own pages (CSRF), and anything not public needs a live session whose role
 * holds the route's permission.
 */
import type { Request, RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { can, matchApiRoute } from '@desk/shared';
import type { Database } from '../db/schema.js';
import type { StaffActor } from '../audit/audit-log.js';
import { AppError } from '../http/app-error.js';
import { readSessionCookie } from './cookies.js';
import { resumeSession, type SessionSettings, type SignedInStaff } from './sessions.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own extension point
  namespace Express {
    interface Request {
      /** The signed-in staff member (set by the gate on every non-public route). */
      staff?: SignedInStaff;
    }
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a browser names where a request comes from. Refuse what a
 * browser says is cross-site; requests without those headers are not from a browser page
 * (and the SameSite=Strict cookie would not ride on a cross-site one anyway).
 */
export function crossSiteReason(req: Request): string | null {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site}`;
  const origin = req.get('origin');
  if (origin === undefined) return null;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return 'Origin is not a URL';
  }
  return host === req.get('host') ? null : `Origin ${origin} is not this desk`;
}

export function accessControl(db: Kysely<Database>, sessions: SessionSettings): RequestHandler {
  return async (req, _res, next) => {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = matchApiRoute(method, req.originalUrl.split('?')[0] ?? '');
    if (!route) throw new AppError('not_found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`);
    if (!safeMethods.has(req.method)) {
      const reason = crossSiteReason(req);
      if (reason) throw new AppError('forbidden', `Cross-site request refused (${reason})`);
    }
    if (route.access === 'public') return next();
    const token = readSessionCookie(req);
    const staff = token ? await resumeSession(db, token, sessions) : null;
    if (!staff) throw new AppError('unauthenticated', 'Sign in to continue');
    req.staff = staff;
    if (route.access !== 'signedIn' && !can(staff.role, route.access)) {
      throw new AppError('forbidden', `Your role (${staff.role}) does not allow this (it needs ${route.access})`);
    }
    next();
  };
}

/** Who is looking, for "assigned to me" filters. */
export function viewerOf(req: Request): { staffId: string } | null {
  return req.staff ? { staffId: req.staff.staffId } : null;
}

/** The signed-in staff member as the actor of what the request changes. */
export function staffActor(req: Request): StaffActor {
  const staff = req.staff;
  if (!staff) throw new AppError('unauthenticated', 'Sign in to continue');
  return { kind: 'staff', staffId: staff.staffId, email: staff.email, role: staff.role, ip: req.ip ?? null };
}
