import { Router } from 'express';
import type { Kysely } from 'kysely';
import { applicationIdParamsSchema, applicationListQuerySchema, applicationStatsQuerySchema } from '@desk/shared';
import type { Database } from '../db/schema.js';
import type { ProviderRegistry } from '../providers/provider-registry.js';
import { parseRequest } from '../http/validate.js';
import { viewerOf } from '../auth/access-control.js';
import { getApplication, getApplicationStats, listApplications } from './application.service.js';

export function applicationRoutes(db: Kysely<Database>, providers: ProviderRegistry): Router {
  const router = Router();

  router.get('/applications', async (req, res) => {
    const query = parseRequest(applicationListQuerySchema, req.query, 'query');
    res.json(await listApplications(db, query, viewerOf(req)));
  });

  router.get('/applications/stats', async (req, res) => {
    const query = parseRequest(applicationStatsQuerySchema, req.query, 'query');
    res.json(await getApplicationStats(db, query, viewerOf(req)));
  });

  router.get('/applications/:id', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    res.json(await getApplication(db, providers, id));
  });

  return router;
}
