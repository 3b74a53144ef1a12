import { Router } from 'express';
import type { Kysely } from 'kysely';
import { applicationIdParamsSchema, applicationListQuerySchema } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { parseRequest } from '../http/validate.js';
import { getApplication, getApplicationStats, listApplications } from './application.service.js';

export function applicationRoutes(db: Kysely<Database>): Router {
  const router = Router();

  router.get('/applications', async (req, res) => {
    const query = parseRequest(applicationListQuerySchema, req.query, 'query');
    res.json(await listApplications(db, query, null));
  });

  router.get('/applications/stats', async (_req, res) => {
    res.json(await getApplicationStats(db));
  });

  router.get('/applications/:id', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    res.json(await getApplication(db, id));
  });

  return router;
}
