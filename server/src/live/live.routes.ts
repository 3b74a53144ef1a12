import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { LiveHub } from './live-hub.js';

/** The live-update stream (`GET /api/events`). */
export function liveRoutes(hub: LiveHub): Pick<RouteHandlers, 'streamEvents'> {
  return {
    streamEvents: async ({ query, req, res }) => {
      const staff = req.staff;
      if (!staff) throw new AppError('unauthenticated', 'Sign in to continue');
      await hub.open(req, res, staff, query.lastEventId);
      return { status: 200, sent: true };
    },
  };
}
