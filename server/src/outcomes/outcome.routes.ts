import type { Kysely } from 'kysely';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { recordOutcome } from './outcome.service.js';

export function outcomeRoutes(db: Kysely<Database>): Pick<RouteHandlers, 'recordOutcome'> {
  return {
    recordOutcome: async ({ params, body, req }) => ({
      status: 201,
      body: await recordOutcome(db, params.id, body, staffActor(req)),
    }),
  };
}
