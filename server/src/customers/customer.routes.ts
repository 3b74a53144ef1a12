import type { Kysely } from 'kysely';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { getCustomer, revealField } from './customer.service.js';
import { searchCustomers } from './customer-search.js';

export function customerRoutes(ctx: {
  db: Kysely<Database>;
  pii: PiiVault;
}): Pick<RouteHandlers, 'searchCustomers' | 'getCustomer' | 'revealCustomerField'> {
  return {
    searchCustomers: async ({ query }) => ({
      status: 200,
      body: { ...(await searchCustomers(ctx.db, ctx.pii, query)), nextCursor: null },
    }),
    getCustomer: async ({ params, req }) => ({
      status: 200,
      body: await getCustomer(ctx, params.id, staffActor(req)),
    }),
    revealCustomerField: async ({ params, body, req }) => ({
      status: 200,
      body: await revealField(ctx, params.id, body, staffActor(req)),
    }),
  };
}
