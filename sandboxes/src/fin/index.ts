/**
 * The built-in Fin.com sandbox: an Express router that is Fin.com's individual-customer API
 * (V2 and V1, same paths and shapes as the guide), so the desk runs and is tested offline. All state
 * lives in the `sandbox.fin_*` tables (the `sandbox` schema of the desk database, created by
 * this package's own migrations); it survives a restart and several processes may serve it
 * at once.
 *
 * Where the guide is silent, the choices are written where they are made:
 *   router.ts              routes, check order, no idempotency
 *   http.ts                error bodies (400 / 423 / { error: { code, message } }), `{ data, meta }`
 *   auth.ts                the bearer access token, 401
 *   customer-validation.ts every rule of the create body
 *   v1-validation.ts       every rule of the V1 create and attach bodies (V1 differences)
 *   attach-validation.ts   every rule of the attach body
 *   upload.ts              file types, sizes and uris
 *   customer-rules.ts      the state machine and the deterministic review outcomes (pure)
 *   customer.service.ts    timing of attach processing and reviews (V1: synchronous attach)
 *   wire.ts                required actions, RFIs and their answer
 *   webhook-events.ts      event types and payloads; signing.ts, the signature
 *   webhook-outbox.ts      headers and delivery order (retries and backoff: ../shared/webhook-outbox.ts)
 */

import type { Database, Logger } from '@desk/server';
import type express from 'express';
import type { Kysely } from 'kysely';
import { type FinContext, settleDueCustomers } from './customer.service.js';
import { createFinRouter } from './router.js';
import type { FinSandboxDatabase } from './sandbox.tables.js';
import { finWebhookOutbox, webhookPolicy } from './webhook-outbox.js';
import { createSandboxWorker } from './worker.js';

export type { FinSandboxDatabase } from './sandbox.tables.js';
export { signFinWebhook } from './signing.js';
export { type FinWebhookEvent, type FinWebhookEventType, finWebhookEventTypes } from './webhook-events.js';

export type FinSandboxOptions = {
  /** The desk database; the sandbox keeps to its own `sandbox.fin_*` tables in it. */
  db: Kysely<Database>;
  /** The Bearer access token partners send (Authorization: Bearer <token>). */
  apiToken: string;
  /** Where events go (the desk's /api/webhooks/fin; null: nowhere) and the key that signs them. */
  webhook: { url: string | null; secret: string };
  /** Attach queued → REVIEWING, and REVIEWING → outcome, delay; default 300 ms. */
  reviewDelayMs?: number;
  /** Client configuration: a SELFIE entry is required on attach (default false). */
  requireSelfie?: boolean;
  /** Client configuration: RELIANCE verification is enabled (default false → 423). */
  relianceEnabled?: boolean;
  logger: Logger;
};

export type FinSandbox = { router: express.Router; start(): void; stop(): Promise<void> };

const settleBatchSize = 20;

export function createFinSandbox(options: FinSandboxOptions): FinSandbox {
  const reviewDelayMs = options.reviewDelayMs ?? 300;
  if (!Number.isFinite(reviewDelayMs) || reviewDelayMs < 0) {
    throw new Error(`reviewDelayMs must be a non-negative number of milliseconds, not ${reviewDelayMs}`);
  }
  const db = options.db.withTables<FinSandboxDatabase>();
  const logger = options.logger.child({ component: 'fin-sandbox' });
  const ctx: FinContext = {
    db,
    webhookUrl: options.webhook.url,
    reviewDelayMs,
    requireSelfie: options.requireSelfie ?? false,
    relianceEnabled: options.relianceEnabled ?? false,
  };

  const outbox = finWebhookOutbox(options.db);

  const worker = createSandboxWorker(
    {
      decisions: async () => {
        const settled = await settleDueCustomers(ctx, settleBatchSize);
        if (settled > 0) {
          worker.eventRaised();
          // A processed attach makes a review due later.
          worker.decisionDueIn(reviewDelayMs);
        }
        return settled === settleBatchSize;
      },
      deliveries: async () => (await outbox.deliverDueEvents(options.webhook, logger)) === webhookPolicy.batchSize,
      housekeeping: async () => {
        await outbox.forgetOldEvents();
        return false;
      },
    },
    logger,
  );

  const router = createFinRouter({
    ctx,
    apiToken: options.apiToken,
    logger,
    onWorkScheduled: (delayMs) => worker.decisionDueIn(delayMs),
    onEventsRaised: () => worker.eventRaised(),
  });

  return { router, start: () => worker.start(), stop: () => worker.stop() };
}
