import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { type AuthSettings, meOf, signIn, signOut } from './auth.service.js';
import {
  clearSessionCookie,
  readDeviceCookie,
  readSessionCookie,
  setDeviceCookie,
  setSessionCookie,
} from './cookies.js';
import { endSession, sessionIdOf } from './sessions.js';

export function authRoutes(
  db: Kysely<Database>,
  settings: AuthSettings,
): Pick<RouteHandlers, 'signIn' | 'signOut' | 'getMe'> {
  return {
    signIn: async ({ body, req, res }) => {
      const client = {
        ip: req.ip ?? 'unknown',
        userAgent: req.get('user-agent') ?? null,
        deviceToken: readDeviceCookie(req),
      };
      const { token, me, deviceToken } = await signIn(db, settings, body, client);
      // A new session id at every sign-in: whatever session the browser held before ends.
      const previous = readSessionCookie(req);
      if (previous) await endSession(db, sessionIdOf(previous));
      setSessionCookie(req, res, token, settings.absoluteTimeoutSeconds);
      setDeviceCookie(req, res, deviceToken);
      return { status: 200, body: me };
    },
    signOut: async ({ req, res }) => {
      if (!req.staff) throw new AppError('unauthenticated', 'Sign in to continue');
      await signOut(db, req.staff, req.ip ?? null);
      clearSessionCookie(req, res);
      return { status: 204 };
    },
    getMe: async ({ req }) => {
      if (!req.staff) throw new AppError('unauthenticated', 'Sign in to continue');
      return { status: 200, body: meOf(req.staff) };
    },
  };
}
