import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { getDashboard } from './dashboard.service.js';

export function dashboardRoutes(db: Kysely<Database>): Pick<RouteHandlers, 'getDashboard'> {
  return {
    getDashboard: async () => ({ status: 200, body: await getDashboard(db) }),
  };
}
