/**
 * The webhook outbox. An event is written in the transaction that changes the customer, so
 * it exists exactly when the change does; delivery happens later, outside any transaction,
 * from the background loop.
 *
 * Delivery: POST the stored JSON text to the configured URL with `X-Webhook-Id` (the event
 * id), `X-Webhook-Timestamp` (unix seconds, taken at each attempt) and `X-Webhook-Signature`
 * (signing.ts). Any 2xx is delivered; anything else (another status, a refused connection,
 * no answer within 10 s) is retried with the same id and body after 1 s, 2 s, 4 s, …
 * (doubling, at most 15 min), for 12 attempts in all, then the event is `failed`. Every
 * attempt is recorded in sandbox_kyc_webhook_attempts. A customer's events may be delivered
 * out of order after a failure: receivers order them by `createdAt` or re-read the customer.
 *
 * Several processes may share the outbox: a process claims due events with
 * `FOR UPDATE SKIP LOCKED` and pushes their next attempt out by a lease (60 s, longer than
 * an attempt can take); a process that dies mid-attempt leaves the event to be retried when
 * the lease runs out. Events raised with no URL configured are `skipped`, never sent.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from '../../logger.js';
import type { KycSandboxDb, KycWebhookEventRow } from './sandbox.tables.js';
import { signKycWebhook } from './signing.js';
import { kycWebhookHeaders, type KycStateChangedPayload, type KycWebhookEvent } from './webhook-events.js';

export const webhookPolicy = {
  maxAttempts: 12,
  firstRetryMs: 1_000,
  maxRetryMs: 15 * 60 * 1000,
  attemptTimeoutMs: 10_000,
  leaseMs: 60_000,
  batchSize: 10,
} as const;

/** Delay before attempt `attempt + 1`, after `attempt` attempts have failed. */
export function retryDelayMs(attempt: number): number {
  return Math.min(webhookPolicy.firstRetryMs * 2 ** Math.max(attempt - 1, 0), webhookPolicy.maxRetryMs);
}

export async function enqueueStateChanged(
  trx: KycSandboxDb,
  payload: KycStateChangedPayload,
  webhookUrl: string | null,
): Promise<KycWebhookEvent> {
  const event: KycWebhookEvent = { id: randomUUID(), type: 'customer.state_changed', createdAt: new Date().toISOString(), payload };
  await trx
    .insertInto('sandbox_kyc_webhook_events')
    .values({
      id: event.id,
      type: event.type,
      customer_id: payload.customerId,
      body: JSON.stringify(event),
      status: webhookUrl ? 'pending' : 'skipped',
      created_at: event.createdAt,
    })
    .execute();
  return event;
}

/** Claims up to `limit` due events for this process, counting the attempt about to be made. */
async function claimDueEvents(db: KycSandboxDb, limit: number): Promise<KycWebhookEventRow[]> {
  return db
    .updateTable('sandbox_kyc_webhook_events')
    .set({
      attempts: sql<number>`attempts + 1`,
      next_attempt_at: sql<Date>`now() + make_interval(secs => ${webhookPolicy.leaseMs / 1000})`,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('sandbox_kyc_webhook_events')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .orderBy('next_attempt_at')
        .orderBy('sequence')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

type AttemptResult = { responseStatus: number | null; error: string | null; durationMs: number };

async function recordAttempt(db: KycSandboxDb, event: KycWebhookEventRow, url: string, result: AttemptResult): Promise<void> {
  const delivered = result.responseStatus !== null && result.responseStatus >= 200 && result.responseStatus < 300;
  const exhausted = event.attempts >= webhookPolicy.maxAttempts;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sandbox_kyc_webhook_attempts')
      .values({
        event_id: event.id,
        attempt: event.attempts,
        url,
        response_status: result.responseStatus,
        error: result.error,
        duration_ms: result.durationMs,
      })
      .execute();
    await trx
      .updateTable('sandbox_kyc_webhook_events')
      .set(
        delivered
          ? { status: 'delivered', delivered_at: sql<Date>`now()` }
          : exhausted
            ? { status: 'failed' }
            : { next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryDelayMs(event.attempts) / 1000})` },
      )
      .where('id', '=', event.id)
      .where('status', '=', 'pending')
      .execute();
  });
}

async function post(url: string, secret: string, event: KycWebhookEventRow): Promise<AttemptResult> {
  const started = Date.now();
  const timestamp = String(Math.floor(started / 1000));
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'kyc-sandbox-webhooks',
        [kycWebhookHeaders.id]: event.id,
        [kycWebhookHeaders.timestamp]: timestamp,
        [kycWebhookHeaders.signature]: signKycWebhook(secret, timestamp, event.body),
      },
      body: event.body,
      signal: AbortSignal.timeout(webhookPolicy.attemptTimeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    return { responseStatus: res.status, error: res.ok ? null : `answered ${res.status}`, durationMs: Date.now() - started };
  } catch (err) {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { responseStatus: null, error: error.slice(0, 500), durationMs: Date.now() - started };
  }
}

/** Delivers one batch of due events; returns how many were claimed. */
export async function deliverDueEvents(db: KycSandboxDb, webhook: { url: string | null; secret: string }, logger: Logger): Promise<number> {
  const url = webhook.url;
  if (!url) return 0;
  const events = await claimDueEvents(db, webhookPolicy.batchSize);
  await Promise.all(
    events.map(async (event) => {
      const result = await post(url, webhook.secret, event);
      await recordAttempt(db, event, url, result);
      const log = { eventId: event.id, attempt: event.attempts, status: result.responseStatus };
      if (result.error) logger.warn({ ...log, error: result.error }, 'kyc sandbox: webhook not accepted');
      else logger.debug(log, 'kyc sandbox: webhook delivered');
    }),
  );
  return events.length;
}
