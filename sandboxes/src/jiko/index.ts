/**
 * The built-in Jiko sandbox: an Express router that is Jiko's Partner API (same paths, same
 * shapes, same auth, idempotency and signatures), following the guides' sandbox rules, so
 * the desk runs and is tested offline. All state lives in the `sandbox.jiko_*` tables (the
 * `sandbox` schema of the desk database, created by this package's own migrations); it
 * survives a restart and several processes may serve it at once.
 *
 * The operator route that resolves a manual review (not Jiko's API) takes the sandbox's own
 * credentials: a bearer token from `login/` with the partner's username and password, as
 * every Partner API route does; without one it is 401 and nothing changes (router.ts).
 *
 * Where the guides are silent, the choices are written where they are made:
 *   router.ts              routes, check order, upload types and limits
 *   auth.ts                login body, token lifetime, 401 bodies
 *   idempotency.ts         what a key remembers, replays, conflicts
 *   validation.ts          field rules and enumerations of the create body, 422 shape
 *   application.service.ts decisions, documents rounds, when uploads are refused
 *   webhook-outbox.ts      events raised and their headers (delivery, retries and backoff:
 *                          ../shared/webhook-outbox.ts); webhook-events.ts, event types
 *   sandbox-rules.ts       the sandbox table itself (pure)
 */

import type { Database, Logger } from '@desk/server';
import type express from 'express';
import type { Kysely } from 'kysely';
import { decideDueApplications, type SandboxContext } from './application.service.js';
import { forgetExpiredTokens } from './auth.js';
import { forgetOldIdempotencyKeys } from './idempotency.js';
import { createSandboxRouter } from './router.js';
import type { SandboxDatabase } from './sandbox.tables.js';
import { jikoWebhookOutbox, webhookPolicy } from './webhook-outbox.js';
import { createSandboxWorker } from './worker.js';

export { signJikoRequest, signJikoWebhook } from './signing.js';
export { type JikoWebhookEvent, type JikoWebhookEventType, jikoWebhookEventTypes } from './webhook-events.js';

export type JikoSandboxOptions = {
  /** The desk database; the sandbox keeps to its own `sandbox.jiko_*` tables in it. */
  db: Kysely<Database>;
  credentials: { username: string; password: string };
  /** HMAC key of x-jiko-signature on partner requests. */
  signingSecret: string;
  /** Where events go (the desk's /api/webhooks/jiko; null: nowhere) and the key that signs them. */
  webhook: { url: string | null; secret: string };
  /** SUBMITTED → outcome delay, default 300 ms. */
  decisionDelayMs?: number;
  logger: Logger;
};

export type JikoSandbox = { router: express.Router; start(): void; stop(): Promise<void> };

const decisionBatchSize = 20;

export function createJikoSandbox(options: JikoSandboxOptions): JikoSandbox {
  const decisionDelayMs = options.decisionDelayMs ?? 300;
  if (!Number.isFinite(decisionDelayMs) || decisionDelayMs < 0) {
    throw new Error(`decisionDelayMs must be a non-negative number of milliseconds, not ${decisionDelayMs}`);
  }
  const db = options.db.withTables<SandboxDatabase>();
  const logger = options.logger.child({ component: 'jiko-sandbox' });
  const ctx: SandboxContext = { db, webhookUrl: options.webhook.url, decisionDelayMs };

  const outbox = jikoWebhookOutbox(options.db);

  const worker = createSandboxWorker(
    {
      decisions: async () => {
        const decided = await decideDueApplications(ctx, decisionBatchSize);
        if (decided > 0) worker.eventRaised();
        return decided === decisionBatchSize;
      },
      deliveries: async () => (await outbox.deliverDueEvents(options.webhook, logger)) === webhookPolicy.batchSize,
      housekeeping: async () => {
        await forgetExpiredTokens(db);
        await forgetOldIdempotencyKeys(db);
        return false;
      },
    },
    logger,
  );

  const router = createSandboxRouter({
    ctx,
    credentials: options.credentials,
    signingSecret: options.signingSecret,
    logger,
    onDecisionScheduled: (delayMs) => worker.decisionDueIn(delayMs),
    onEventsRaised: () => worker.eventRaised(),
  });

  return { router, start: () => worker.start(), stop: () => worker.stop() };
}
