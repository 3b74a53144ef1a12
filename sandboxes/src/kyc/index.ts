/**
 * The built-in generic KYC provider sandbox: an Express router that is the provider's
 * customer API (same paths, shapes, auth and error bodies as its KYC integration guide),
 * following the guide's sandbox rules, so the desk runs and is tested offline. All state
 * lives in the `sandbox.kyc_*` tables (the `sandbox` schema of the desk database, created by
 * this package's own migrations); it survives a restart and several processes may serve it
 * at once.
 *
 * Where the guide is silent, the choices are written where they are made:
 *   router.ts            routes, check order, where documents come from
 *   http.ts              auth, error bodies and codes
 *   validation.ts        field rules, merge-patch semantics, the 400 message
 *   kyc-data.ts          the data shape, enumerations and document types
 *   customer-states.ts   the state machine (pure)
 *   review-rules.ts      the sandbox test emails, review delays and RFI contents (pure)
 *   document-images.ts   image format and size checks at review; images are fetched only
 *                        from the partner's file origin, never through a redirect
 *   customer.mapper.ts   the customer's response shape; the identification number masked
 *   webhook-events.ts    the event shape; signing.ts its signature; webhook-outbox.ts its
 *                        headers (delivery, retries and backoff: ../shared/webhook-outbox.ts)
 */

import type { Database, Logger } from '@desk/server';
import type express from 'express';
import type { Kysely } from 'kysely';
import type { KycSandboxContext } from './customer.service.js';
import { reviewDueCustomers } from './review.service.js';
import { createKycSandboxRouter } from './router.js';
import type { KycSandboxDatabase } from './sandbox.tables.js';
import { kycWebhookOutbox, webhookPolicy } from './webhook-outbox.js';
import { createKycSandboxWorker } from './worker.js';

export type { KycCustomer } from './customer.mapper.js';
export { delayedReviewFactor, type RequiredDocument, sandboxTestEmails } from './review-rules.js';
export { signKycWebhook } from './signing.js';
export {
  type KycStateChangedPayload,
  type KycWebhookEvent,
  kycWebhookEventTypes,
  kycWebhookHeaders,
} from './webhook-events.js';

export type KycSandboxOptions = {
  /** The desk database; the sandbox keeps to its own `sandbox.kyc_*` tables in it. */
  db: Kysely<Database>;
  /** The API key partners send as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Where events go (the desk's /api/webhooks/kyc; null: nowhere) and the key that signs them. */
  webhook: { url: string | null; secret: string };
  /**
   * UNDER_REVIEW → outcome delay, default `kycSandboxReviewDelayMs` (the guide's "~30 seconds
   * (simulated)"); tests make it short. test-delay@example.com takes 10 × this.
   */
  reviewDelayMs?: number;
  /**
   * Where the partner's document images are: the only origin (scheme, host and port) the
   * review fetches from, e.g. the desk's public URL. Any other image URL is a review problem.
   * Instances sharing a database review each other's customers, so they share this too.
   */
  documentOrigin: string;
  logger: Logger;
};

export type KycSandbox = { router: express.Router; start(): void; stop(): Promise<void> };

const reviewBatchSize = 10;

/** The generic provider's guide: in its sandbox a submitted review is decided in "~30 seconds (simulated)". */
export const kycSandboxReviewDelayMs = 30_000;

export function createKycSandbox(options: KycSandboxOptions): KycSandbox {
  const reviewDelayMs = options.reviewDelayMs ?? kycSandboxReviewDelayMs;
  if (!Number.isFinite(reviewDelayMs) || reviewDelayMs < 0) {
    throw new Error(`reviewDelayMs must be a non-negative number of milliseconds, not ${reviewDelayMs}`);
  }
  if (!URL.canParse(options.documentOrigin))
    throw new Error(`documentOrigin must be a URL, not ${options.documentOrigin}`);
  const documentOrigin = new URL(options.documentOrigin).origin;
  const db = options.db.withTables<KycSandboxDatabase>();
  const logger = options.logger.child({ component: 'kyc-sandbox' });
  const ctx: KycSandboxContext = { db, webhookUrl: options.webhook.url, reviewDelayMs, documentOrigin };

  const outbox = kycWebhookOutbox(options.db);

  const worker = createKycSandboxWorker(
    {
      reviews: async () => {
        const reviewed = await reviewDueCustomers(ctx, reviewBatchSize);
        if (reviewed > 0) worker.eventRaised();
        return reviewed === reviewBatchSize;
      },
      deliveries: async () => (await outbox.deliverDueEvents(options.webhook, logger)) === webhookPolicy.batchSize,
    },
    logger,
  );

  const router = createKycSandboxRouter({
    ctx,
    apiKey: options.apiKey,
    logger,
    onReviewScheduled: (delayMs) => worker.reviewDueIn(delayMs),
    onEventsRaised: () => worker.eventRaised(),
  });

  return { router, start: () => worker.start(), stop: () => worker.stop() };
}
