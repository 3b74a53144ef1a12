import { Router } from 'express';
import type { Kysely } from 'kysely';
import { loginRequestSchema } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { parseRequest } from '../http/validate.js';
import { AppError } from '../http/app-error.js';
import { endSession } from './sessions.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './cookies.js';
import { meOf, signIn, signOut, type AuthSettings } from './auth.service.js';
import { sessionIdOf } from './sessions.js';

export function authRoutes(db: Kysely<Database>, settings: AuthSettings): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const body = parseRequest(loginRequestSchema, req.body, 'body');
    const client = { ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null };
    const { token, me } = await signIn(db, settings, body, client);
    // A new session id at every sign-in: whatever session the browser held before ends.
    const previous = readSessionCookie(req);
    if (previous) await endSession(db, sessionIdOf(previous));
    setSessionCookie(req, res, token, settings.absoluteTimeoutSeconds);
    res.json(me);
  });

  router.post('/auth/logout', async (req, res) => {
    if (!req.staff) throw new AppError('unauthenticated', 'Sign in to continue');
    await signOut(db, req.staff, req.ip ?? null);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/auth/me', (req, res) => {
    if (!req.staff) throw new AppError('unauthenticated', 'Sign in to continue');
    res.json(meOf(req.staff));
  });

  return router;
}
