import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { getDashboard } from './dashboard.service.js';

export function dashboardRoutes(db: Kysely<Database>): Router {
  const router = Router();
  router.get('/dashboard', async (_req, res) => {
    res.json(await getDashboard(db));
  });
  return router;
}
