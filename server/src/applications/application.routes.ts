import type { Kysely } from 'kysely';
import { viewerOf } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { PiiVault } from '../pii/pii-vault.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { getApplication, getApplicationStats, listApplications } from './application.service.js';

export function applicationRoutes(
  db: Kysely<Database>,
  providers: ProviderRegistry,
  pii: PiiVault,
): Pick<RouteHandlers, 'listApplications' | 'getApplicationStats' | 'getApplication'> {
  return {
    listApplications: async ({ query, req }) => ({
      status: 200,
      body: await listApplications({ db, pii }, query, viewerOf(req)),
    }),
    getApplicationStats: async ({ query, req }) => ({
      status: 200,
      body: await getApplicationStats({ db, pii }, query, viewerOf(req)),
    }),
    getApplication: async ({ params }) => ({ status: 200, body: await getApplication(db, providers, params.id) }),
  };
}
