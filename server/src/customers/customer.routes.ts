import { Router } from 'express';
import type { Kysely } from 'kysely';
import { customerIdParamsSchema, customerSearchQuerySchema, revealRequestSchema, type CustomerSearchResult } from '@desk/shared';
import type { Database } from '../db/schema.js';
import { staffActor } from '../auth/access-control.js';
import { parseRequest } from '../http/validate.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { getCustomer, revealField } from './customer.service.js';
import { searchCustomers } from './customer-search.js';

export function customerRoutes(ctx: { db: Kysely<Database>; pii: PiiVault }): Router {
  const router = Router();
  router.get('/customers', async (req, res) => {
    const query = parseRequest(customerSearchQuerySchema, req.query, 'query');
    const body: CustomerSearchResult = { data: await searchCustomers(ctx.db, ctx.pii, query), nextCursor: null };
    res.json(body);
  });

  router.get('/customers/:id', async (req, res) => {
    const { id } = parseRequest(customerIdParamsSchema, req.params, 'params');
    res.json(await getCustomer(ctx.db, id));
  });

  router.post('/customers/:id/reveal', async (req, res) => {
    const { id } = parseRequest(customerIdParamsSchema, req.params, 'params');
    const body = parseRequest(revealRequestSchema, req.body, 'body');
    // The clear value must not linger in caches.
    res.set('cache-control', 'no-store');
    res.json(await revealField(ctx, id, body, staffActor(req)));
  });
  return router;
}
