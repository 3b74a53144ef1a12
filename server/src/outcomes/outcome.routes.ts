import { Router } from 'express';
import type { Kysely } from 'kysely';
import { applicationIdParamsSchema, newOutcomeSchema } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { staffActor } from '../auth/access-control.js';
import { parseRequest } from '../http/validate.js';
import { recordOutcome } from './outcome.service.js';

export function outcomeRoutes(db: Kysely<Database>): Router {
  const router = Router();
  router.post('/applications/:id/outcomes', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    const body = parseRequest(newOutcomeSchema, req.body, 'body');
    res.status(201).json(await recordOutcome(db, id, body, staffActor(req)));
  });
  return router;
}
