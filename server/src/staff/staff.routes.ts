import type { Kysely } from 'kysely';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { createStaff, listStaffMembers, updateStaff } from './staff.service.js';

export function staffRoutes(db: Kysely<Database>): Pick<RouteHandlers, 'listStaff' | 'createStaff' | 'updateStaff'> {
  return {
    // The desk has a few dozen staff at most: one page holds them all.
    listStaff: async () => ({ status: 200, body: { data: await listStaffMembers(db), nextCursor: null } }),
    createStaff: async ({ body, req }) => ({ status: 201, body: await createStaff(db, body, staffActor(req)) }),
    updateStaff: async ({ params, body, req }) => ({
      status: 200,
      body: await updateStaff(db, params.id, body, staffActor(req)),
    }),
  };
}
