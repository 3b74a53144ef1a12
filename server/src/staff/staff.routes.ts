import type { Kysely } from 'kysely';
import { ownOrigin, staffActor } from '../auth/access-control.js';
import type { AuthSettings } from '../auth/auth.service.js';
import { endAllMemberSessions, endMemberSession, listMemberSessions } from '../auth/session.service.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { decideGrant, listGrants, takeGrantLink } from './grants.js';
import { updateOwnPreferences } from './preferences.js';
import {
  type InvitationOptions,
  inviteStaff,
  listStaffMembers,
  reissueInvitation,
  resetMemberSecondFactor,
  updateStaff,
} from './staff.service.js';

type StaffRouteName =
  | 'listStaff'
  | 'createStaff'
  | 'updateStaff'
  | 'reissueInvitation'
  | 'listRoleGrants'
  | 'approveRoleGrant'
  | 'refuseRoleGrant'
  | 'takeGrantLink'
  | 'resetStaffSecondFactor'
  | 'listStaffSessions'
  | 'endStaffSessions'
  | 'endStaffSession'
  | 'updateOwnPreferences';

export function staffRoutes(db: Kysely<Database>, settings: AuthSettings): Pick<RouteHandlers, StaffRouteName> {
  const invitation = (req: Parameters<typeof ownOrigin>[0]): InvitationOptions => {
    const origin = ownOrigin(req);
    if (!origin) throw new AppError('validation_failed', 'The request names no host to build a link on');
    return { ttlSeconds: settings.invitationTtlSeconds, origin, issue: settings.passwordSignIn };
  };
  return {
    updateOwnPreferences: async ({ body, req }) => ({
      status: 200,
      body: await updateOwnPreferences(db, staffActor(req), body),
    }),
    // The desk has a few dozen staff at most: one page holds them all.
    listStaff: async () => ({ status: 200, body: { data: await listStaffMembers(db), nextCursor: null } }),
    createStaff: async ({ body, req }) => ({
      status: 201,
      body: await inviteStaff(db, body, staffActor(req), invitation(req)),
    }),
    updateStaff: async ({ params, body, req }) => {
      const result = await updateStaff(db, params.id, body, staffActor(req));
      return 'applied' in result ? { status: 200, body: result.applied } : { status: 202, body: result.pending };
    },
    reissueInvitation: async ({ params, req }) => {
      const result = await reissueInvitation(db, params.id, staffActor(req), invitation(req));
      return 'applied' in result
        ? { status: 201, body: result.applied }
        : { status: 202, body: { grant: result.pending } };
    },
    listRoleGrants: async ({ query }) => ({
      status: 200,
      body: { data: await listGrants(db, query.state), nextCursor: null },
    }),
    approveRoleGrant: async ({ params, req }) => ({
      status: 200,
      body: await decideGrant(db, params.id, { kind: 'approve' }, staffActor(req)),
    }),
    refuseRoleGrant: async ({ params, body, req }) => ({
      status: 200,
      body: await decideGrant(db, params.id, { kind: 'refuse', reason: body.reason ?? null }, staffActor(req)),
    }),
    takeGrantLink: async ({ params, req }) => ({
      status: 201,
      body: await takeGrantLink(db, params.id, staffActor(req), invitation(req)),
    }),
    resetStaffSecondFactor: async ({ params, req }) => {
      const result = await resetMemberSecondFactor(db, params.id, staffActor(req));
      return 'applied' in result ? { status: 204 } : { status: 202, body: { grant: result.pending } };
    },
    listStaffSessions: async ({ params, req }) => ({
      status: 200,
      body: {
        data: await listMemberSessions(db, params.id, settings, req.staff?.sessionHandle ?? null),
        nextCursor: null,
      },
    }),
    endStaffSessions: async ({ params, req }) => {
      await endAllMemberSessions(db, params.id, settings, staffActor(req));
      return { status: 204 };
    },
    endStaffSession: async ({ params, req }) => {
      await endMemberSession(db, params.id, params.sessionId, settings, staffActor(req));
      return { status: 204 };
    },
  };
}
