/**
 * The webhook outbox. An event is written in the transaction that changes the customer, so
 * it exists exactly when the change does; delivery happens later, outside any transaction,
 * from the background loop.
 *
 * Delivery: POST the stored JSON text to the configured URL with `x-fin-timestamp` and
 * `x-fin-signature` (signing.ts) and `x-fin-event-id`. Any 2xx is delivered; anything else
 * (another status, a refused connection, no answer within 10 s) is retried with the same
 * event id and body after 1 s, 2 s, 4 s, … (doubling, at most 15 min), for 12 attempts in
 * all, then the event is `failed`. Every attempt is recorded in sandbox_fin_webhook_attempts.
 * Events of one customer are delivered in the order raised: an event waits while an older
 * one of the same customer is still pending.
 *
 * Several processes may share the outbox: a process claims due events with
 * `FOR UPDATE SKIP LOCKED` and pushes their next attempt out by a lease (60 s, longer than an
 * attempt can take), so no other process sends them meanwhile. When no URL is configured,
 * events are recorded as `skipped` and never sent.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from '../../logger.js';
import type { FinDb, FinWebhookEventRow } from './sandbox.tables.js';
import { signFinWebhook } from './signing.js';
import type { FinWebhookEvent, FinWebhookEventData, FinWebhookEventType } from './webhook-events.js';

export const webhookPolicy = {
  maxAttempts: 12,
  firstRetryMs: 1_000,
  maxRetryMs: 15 * 60 * 1000,
  attemptTimeoutMs: 10_000,
  leaseMs: 60_000,
  batchSize: 10,
  retentionDays: 7,
} as const;

/** Delay before attempt `attempt + 1`, after `attempt` attempts have failed. */
export function retryDelayMs(attempt: number): number {
  return Math.min(webhookPolicy.firstRetryMs * 2 ** Math.max(attempt - 1, 0), webhookPolicy.maxRetryMs);
}

export async function enqueueEvent(
  trx: FinDb,
  webhookUrl: string | null,
  customerId: string,
  type: FinWebhookEventType,
  data: FinWebhookEventData,
): Promise<FinWebhookEvent> {
  const event: FinWebhookEvent = { id: randomUUID(), type, created_at: new Date().toISOString(), data };
  await trx
    .insertInto('sandbox_fin_webhook_events')
    .values({
      id: event.id,
      type,
      customer_id: customerId,
      body: JSON.stringify(event),
      status: webhookUrl ? 'pending' : 'skipped',
      created_at: event.created_at,
    })
    .execute();
  return event;
}

/** Claims up to `limit` due events (the oldest pending one of each customer). */
export async function claimDueEvents(db: FinDb, limit: number): Promise<FinWebhookEventRow[]> {
  return db
    .updateTable('sandbox_fin_webhook_events')
    .set({
      attempts: sql<number>`attempts + 1`,
      next_attempt_at: sql<Date>`now() + make_interval(secs => ${webhookPolicy.leaseMs / 1000})`,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('sandbox_fin_webhook_events as e')
        .select('e.id')
        .where('e.status', '=', 'pending')
        .where('e.next_attempt_at', '<=', sql<Date>`now()`)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('sandbox_fin_webhook_events as older')
                .select('older.id')
                .whereRef('older.customer_id', '=', 'e.customer_id')
                .where('older.status', '=', 'pending')
                .where(sql<boolean>`older.seq < e.seq`),
            ),
          ),
        )
        .orderBy('e.next_attempt_at')
        .orderBy('e.seq')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

type AttemptResult = { responseStatus: number | null; error: string | null; durationMs: number };

async function recordAttempt(db: FinDb, event: FinWebhookEventRow, url: string, result: AttemptResult): Promise<void> {
  const delivered = result.responseStatus !== null && result.responseStatus >= 200 && result.responseStatus < 300;
  const exhausted = event.attempts >= webhookPolicy.maxAttempts;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sandbox_fin_webhook_attempts')
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
      .updateTable('sandbox_fin_webhook_events')
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

async function post(url: string, secret: string, event: FinWebhookEventRow): Promise<AttemptResult> {
  const started = Date.now();
  const timestamp = String(Math.floor(started / 1000));
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'fin-sandbox-webhooks',
        'x-fin-event-id': event.id,
        'x-fin-timestamp': timestamp,
        'x-fin-signature': signFinWebhook(secret, timestamp, event.body),
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
export async function deliverDueEvents(db: FinDb, webhook: { url: string | null; secret: string }, logger: Logger): Promise<number> {
  const url = webhook.url;
  if (!url) return 0;
  const events = await claimDueEvents(db, webhookPolicy.batchSize);
  await Promise.all(
    events.map(async (event) => {
      const result = await post(url, webhook.secret, event);
      await recordAttempt(db, event, url, result);
      const log = { eventId: event.id, type: event.type, attempt: event.attempts, status: result.responseStatus };
      if (result.error) logger.warn({ ...log, error: result.error }, 'fin sandbox: webhook not accepted');
      else logger.debug(log, 'fin sandbox: webhook delivered');
    }),
  );
  return events.length;
}

/** Forgets settled events (and their attempts) older than the retention window. */
export async function forgetOldEvents(db: FinDb): Promise<void> {
  const old = (eb: FinDb) =>
    eb
      .selectFrom('sandbox_fin_webhook_events')
      .select('id')
      .where('status', '!=', 'pending')
      .where('created_at', '<', sql<Date>`now() - make_interval(days => ${webhookPolicy.retentionDays})`);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sandbox_fin_webhook_attempts').where('event_id', 'in', old(trx)).execute();
    await trx.deleteFrom('sandbox_fin_webhook_events').where('id', 'in', old(trx)).execute();
  });
}
