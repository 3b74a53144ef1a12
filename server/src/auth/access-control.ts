/**
 * The gate, run by the dispatcher for the one route a request matched (never for another):
 * state-changing requests must come from the desk's own pages (CSRF), and anything not public
 * needs a live session whose role holds the route's permission.
 */

import { can, isStateChanging, type RouteSpec } from '@desk/shared';
import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { readSessionCookie } from './cookies.js';
import { resumeSession, type SessionSettings, type SignedInStaff } from './sessions.js';

declare global {
  namespace Express {
    interface Request {
      /** The signed-in staff member (set by the gate on every non-public route). */
      staff?: SignedInStaff;
    }
  }
}

/** This desk's origin as the request reached it: scheme, host and port. */
export function ownOrigin(req: Request): string | null {
  const host = req.get('host');
  if (!host) return null;
  try {
    return new URL(`${req.protocol}://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Cross-site request forgery: a browser names where a request comes from. Refuse what a
 * browser says is cross-site, and an `Origin` that is not exactly this desk's (scheme, host
 * and port). Requests without those headers are not from a browser page (and the
 * SameSite=Strict cookie would not ride on a cross-site one anyway).
 */
export function crossSiteReason(req: Request): string | null {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site}`;
  const origin = req.get('origin');
  if (origin === undefined) return null;
  let given: string;
  try {
    given = new URL(origin).origin;
  } catch {
    return 'Origin is not a URL';
  }
  return given !== 'null' && given === ownOrigin(req) ? null : `Origin ${origin.slice(0, 100)} is not this desk`;
}

/** Refuses the request unless it may reach `spec`; sets `req.staff` for signed-in routes. */
export async function authorize(
  db: Kysely<Database>,
  sessions: SessionSettings,
  req: Request,
  spec: RouteSpec,
): Promise<void> {
  if (isStateChanging(spec.method)) {
    const reason = crossSiteReason(req);
    if (reason) throw new AppError('forbidden', `Cross-site request refused (${reason})`);
  }
  if (spec.access === 'public') return;
  const token = readSessionCookie(req);
  const staff = token ? await resumeSession(db, token, sessions) : null;
  if (!staff) throw new AppError('unauthenticated', 'Sign in to continue');
  req.staff = staff;
  if (spec.access !== 'signedIn' && !can(staff.role, spec.access)) {
    throw new AppError('forbidden', `Your role (${staff.role}) does not allow this (it needs ${spec.access})`);
  }
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
