/**
 * The routes of the provider's customer API as the sandbox serves them. Mounted anywhere
 * (the desk mounts it at /sandbox/kyc); paths below are relative to the mount.
 *
 *   POST  /api/v1/customers              → 201 customer (CREATED) | 400 | 401
 *   GET   /api/v1/customers/:customerId  → 200 customer | 401 | 404
 *   PATCH /api/v1/customers/:customerId  → 200 customer (UNDER_REVIEW) | 400 BAD_REQUEST |
 *                                          400 PATCH_NOT_ALLOWED | 401 | 404
 *
 * A trailing slash is accepted. Every route needs `Authorization: Bearer <API key>` (401
 * first, before the body is looked at). JSON bodies are read whatever their Content-Type,
 * at most 1 MB (413). Documents are not uploaded to this API: as the guide says, the
 * partner stores the images and sends their URLs in `kycData.documents`, and the review
 * fetches and checks them (document-images.ts).
 */

import type { Logger } from '@desk/server';
import express, { type Request, type Router } from 'express';
import { createCustomer, getCustomer, type KycSandboxContext, submitKycData } from './customer.service.js';
import { jsonBodyOf, KycError, kycErrorHandler, kycNotFound, rawBody, requireApiKey } from './http.js';
import { parseCreateCustomerBody } from './validation.js';

export type RouterDependencies = {
  ctx: KycSandboxContext;
  apiKey: string;
  logger: Logger;
  /** Called after a commit that made a review due or raised a webhook event. */
  onReviewScheduled(delayMs: number): void;
  onEventsRaised(): void;
};

/** The `:customerId` path parameter; anything but one plain string names no customer. */
function customerIdOf(req: Request): string {
  const id: unknown = req.params.customerId;
  if (typeof id !== 'string') throw KycError.notFound('Customer');
  return id;
}

export function createKycSandboxRouter(deps: RouterDependencies): Router {
  const { ctx } = deps;
  const router = express.Router();
  router.use('/api/v1', requireApiKey(deps.apiKey));

  router.post('/api/v1/customers', rawBody(), async (req, res) => {
    const body = parseCreateCustomerBody(jsonBodyOf(req));
    res.status(201).json(await createCustomer(ctx, body));
  });

  router.get('/api/v1/customers/:customerId', async (req, res) => {
    res.status(200).json(await getCustomer(ctx, customerIdOf(req)));
  });

  router.patch('/api/v1/customers/:customerId', rawBody(), async (req, res) => {
    const { customer, reviewDueInMs } = await submitKycData(ctx, customerIdOf(req), jsonBodyOf(req));
    res.status(200).json(customer);
    deps.onEventsRaised();
    deps.onReviewScheduled(reviewDueInMs);
  });

  router.use(kycNotFound());
  router.use(kycErrorHandler(deps.logger));
  return router;
}
