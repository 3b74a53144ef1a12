import type { Kysely } from 'kysely';
import { viewerOf } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { getApplication, getApplicationStats, listApplications } from './application.service.js';

export function applicationRoutes(
  db: Kysely<Database>,
  providers: ProviderRegistry,
): Pick<RouteHandlers, 'listApplications' | 'getApplicationStats' | 'getApplication'> {
  return {
    listApplications: async ({ query, req }) => ({
      status: 200,
      body: await listApplications(db, query, viewerOf(req)),
    }),
    getApplicationStats: async ({ query, req }) => ({
      status: 200,
      body: await getApplicationStats(db, query, viewerOf(req)),
    }),
    getApplication: async ({ params }) => ({ status: 200, body: await getApplication(db, providers, params.id) }),
  };
}
