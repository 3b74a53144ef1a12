import { Router } from 'express';
import type { Kysely } from 'kysely';
import { customerIdParamsSchema, revealRequestSchema } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { staffActor } from '../auth/access-control.js';
import { parseRequest } from '../http/validate.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { revealField } from './customer.service.js';

export function customerRoutes(ctx: { db: Kysely<Database>; pii: PiiVault }): Router {
  const router = Router();
  router.post('/customers/:id/reveal', async (req, res) => {
    const { id } = parseRequest(customerIdParamsSchema, req.params, 'params');
    const body = parseRequest(revealRequestSchema, req.body, 'body');
    // The clear value must not linger in caches.
    res.set('cache-control', 'no-store');
    res.json(await revealField(ctx, id, body, staffActor(req)));
  });
  return router;
}
