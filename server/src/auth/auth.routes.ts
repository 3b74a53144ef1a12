import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { timeZoneOf } from '../staff/preferences.js';
import { staffActor } from './access-control.js';
import {
  type AuthSettings,
  beginOwnEnrolment,
  beginSignInEnrolment,
  type Client,
  confirmOwnEnrolment,
  confirmSignInEnrolment,
  meOf,
  ownSecondFactor,
  passwordSignInOff,
  renewOwnRecoveryCodes,
  type SignedIn,
  signIn,
  signInWithSecondFactor,
  signOut,
} from './auth.service.js';
import {
  clearChallengeCookie,
  clearSessionCookie,
  clearSsoCookie,
  readChallengeCookie,
  readDeviceCookie,
  readSessionCookie,
  readSsoCookie,
  setChallengeCookie,
  setDeviceCookie,
  setSessionCookie,
  setSsoCookie,
} from './cookies.js';
import { acceptInvitation, inspectInvitation } from './invitations.js';
import { createSingleSignOn, ssoSeconds } from './oidc.js';
import { endMemberSession, listMemberSessions } from './session.service.js';
import { endSession, sessionIdOf } from './sessions.js';
import { challengeSeconds } from './sign-in-challenges.js';

type AuthRouteName =
  | 'signIn'
  | 'signInSecondFactor'
  | 'beginSignInEnrolment'
  | 'confirmSignInEnrolment'
  | 'getSignInOptions'
  | 'startSingleSignOn'
  | 'completeSingleSignOn'
  | 'signOut'
  | 'getMe'
  | 'inspectInvitation'
  | 'acceptInvitation'
  | 'getOwnSecondFactor'
  | 'beginOwnEnrolment'
  | 'confirmOwnEnrolment'
  | 'renewOwnRecoveryCodes'
  | 'listOwnSessions'
  | 'endOwnSession';

const clientOf = (req: Request): Client => ({
  ip: req.ip ?? 'unknown',
  userAgent: req.get('user-agent') ?? null,
  deviceToken: readDeviceCookie(req),
});

const signedInStaff = (req: Request) => {
  if (!req.staff) throw new AppError('unauthenticated', 'Sign in to continue');
  return req.staff;
};

export function authRoutes(
  db: Kysely<Database>,
  settings: AuthSettings,
  vault: PiiVault,
): Pick<RouteHandlers, AuthRouteName> {
  const sso = settings.oidc ? createSingleSignOn(settings.oidc) : null;
  const requireSso = () => {
    if (!sso) throw new AppError('not_found', 'Single sign-on is not configured on this desk');
    return sso;
  };
  /** Whatever session the browser held ends: each sign-in starts a new session id. */
  const endPrevious = async (req: Request): Promise<void> => {
    const previous = readSessionCookie(req);
    if (previous) await endSession(db, sessionIdOf(previous));
  };
  /** A completed sign-in: a new session id, the device trusted. */
  const startSession = async (req: Request, res: Response, done: SignedIn): Promise<void> => {
    await endPrevious(req);
    // The session cookie first: simple clients read only the first Set-Cookie.
    setSessionCookie(req, res, done.token, settings.absoluteTimeoutSeconds);
    setDeviceCookie(req, res, done.deviceToken);
    if (readChallengeCookie(req)) clearChallengeCookie(req, res);
  };
  return {
    signIn: async ({ body, req, res }) => {
      const outcome = await signIn(db, settings, body, clientOf(req));
      if (outcome.kind === 'step') {
        setChallengeCookie(req, res, outcome.challengeToken, challengeSeconds);
        return { status: 202, body: outcome.step };
      }
      await startSession(req, res, outcome);
      return { status: 200, body: outcome.me };
    },
    signInSecondFactor: async ({ body, req, res }) => {
      const done = await signInWithSecondFactor(db, settings, vault, readChallengeCookie(req), body, clientOf(req));
      await startSession(req, res, done);
      return { status: 200, body: done.me };
    },
    beginSignInEnrolment: async ({ req }) => ({
      status: 201,
      body: await beginSignInEnrolment(db, vault, readChallengeCookie(req), req.ip ?? null),
    }),
    confirmSignInEnrolment: async ({ body, req, res }) => {
      const done = await confirmSignInEnrolment(
        db,
        settings,
        vault,
        readChallengeCookie(req),
        body.code,
        clientOf(req),
      );
      await startSession(req, res, done);
      return { status: 200, body: { me: done.me, recoveryCodes: done.recoveryCodes } };
    },
    getSignInOptions: async () => ({
      status: 200,
      body: { passwordSignIn: settings.passwordSignIn, singleSignOn: sso ? { name: sso.settings.name } : null },
    }),
    startSingleSignOn: async ({ req, res }) => {
      const started = await requireSso().start(db);
      setSsoCookie(req, res, started.token, ssoSeconds);
      return { status: 200, body: { authorizationUrl: started.authorizationUrl } };
    },
    completeSingleSignOn: async ({ body, req, res }) => {
      const token = readSsoCookie(req);
      // The pending sign-in is used up whatever the outcome: its cookie goes either way.
      const done = await requireSso()
        .complete(
          db,
          settings,
          { token, query: body.query },
          { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null },
        )
        .catch((err: unknown) => {
          if (token) clearSsoCookie(req, res);
          throw err;
        });
      await endPrevious(req);
      // The session cookie first: simple clients read only the first Set-Cookie.
      setSessionCookie(req, res, done.token, settings.absoluteTimeoutSeconds);
      if (token) clearSsoCookie(req, res);
      const timeZone = await timeZoneOf(db, done.member.id);
      return { status: 200, body: meOf({ staffId: done.member.id, ...done.member, timeZone }) };
    },
    signOut: async ({ req, res }) => {
      await signOut(db, signedInStaff(req), req.ip ?? null);
      clearSessionCookie(req, res);
      return { status: 204 };
    },
    getMe: async ({ req }) => {
      const staff = signedInStaff(req);
      return { status: 200, body: meOf({ ...staff, timeZone: await timeZoneOf(db, staff.staffId) }) };
    },
    inspectInvitation: async ({ body, req }) => ({
      status: 200,
      body: await inspectInvitation(db, body.token, req.ip ?? null),
    }),
    acceptInvitation: async ({ body, req }) => {
      if (!settings.passwordSignIn) throw passwordSignInOff(settings);
      return { status: 200, body: await acceptInvitation(db, body, req.ip ?? null) };
    },
    getOwnSecondFactor: async ({ req }) => ({
      status: 200,
      body: await ownSecondFactor(db, settings, signedInStaff(req)),
    }),
    beginOwnEnrolment: async ({ req }) => ({
      status: 201,
      body: await beginOwnEnrolment(db, vault, signedInStaff(req), req.ip ?? null),
    }),
    confirmOwnEnrolment: async ({ body, req }) => ({
      status: 200,
      body: await confirmOwnEnrolment(db, settings, vault, signedInStaff(req), body.code, clientOf(req)),
    }),
    renewOwnRecoveryCodes: async ({ body, req }) => ({
      status: 200,
      body: await renewOwnRecoveryCodes(db, settings, vault, signedInStaff(req), body.code, clientOf(req)),
    }),
    listOwnSessions: async ({ req }) => {
      const actor = staffActor(req);
      return {
        status: 200,
        body: {
          data: await listMemberSessions(db, actor.staffId, settings, req.staff?.sessionHandle ?? null),
          nextCursor: null,
        },
      };
    },
    endOwnSession: async ({ params, req, res }) => {
      const actor = staffActor(req);
      await endMemberSession(db, actor.staffId, params.id, settings, actor);
      if (params.id === req.staff?.sessionHandle) clearSessionCookie(req, res);
      return { status: 204 };
    },
  };
}
