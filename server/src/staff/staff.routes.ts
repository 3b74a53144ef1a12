import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { ListResponse, StaffSummary } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { listStaff } from './staff.repository.js';

export function staffRoutes(db: Kysely<Database>): Router {
  const router = Router();
  // The desk has a few dozen staff at most: one page holds them all.
  router.get('/staff', async (_req, res) => {
    const body: ListResponse<StaffSummary> = { data: await listStaff(db), nextCursor: null };
    res.json(body);
  });
  return router;
}
