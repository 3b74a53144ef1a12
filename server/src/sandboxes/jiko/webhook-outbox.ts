/**
 * The webhook outbox. An event is written in the transaction that changes the application,
 * so it exists exactly when the change does; delivery happens later, outside any
 * transaction, from the background loop.
 *
 * Delivery: POST the stored JSON text to the configured URL with `x-jiko-timestamp` (unix
 * seconds, taken at each attempt) and `x-jiko-signature` over `${timestamp}.${body}`. Any 2xx
 * is delivered; anything else (another status, a refused connection, no answer within
 * 10 s) is retried with the same event id and body after 1 s, 2 s, 4 s, … (doubling, at
 * most 15 min), for 12 attempts in all, then the event is `failed`. Every attempt is
 * recorded in sandbox_jiko_webhook_attempts.
 *
 * Several processes may share the outbox: a process claims due events with
 * `FOR UPDATE SKIP LOCKED` and pushes their next attempt out by a lease (60 s, longer than
 * an attempt can take), so no other process sends them meanwhile; a process that dies
 * mid-attempt leaves the event to be retried when the lease runs out. When no URL is
 * configured, events are recorded as `skipped` and never sent.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from '../../logger.js';
import { webhookEventData } from './application.mapper.js';
import type { SandboxApplicationRow, SandboxDb, SandboxWebhookEventRow } from './sandbox.tables.js';
import { signJikoWebhook } from './signing.js';
import { webhookEventTypeFor, type JikoWebhookEvent } from './webhook-events.js';

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

/** Raises the event for the status the application has just entered, if that status has one. */
export async function enqueueStatusEvent(
  trx: SandboxDb,
  row: SandboxApplicationRow,
  webhookUrl: string | null,
): Promise<JikoWebhookEvent | null> {
  const type = webhookEventTypeFor(row.status);
  if (!type) return null;
  const event: JikoWebhookEvent = { id: randomUUID(), type, created_at: new Date().toISOString(), data: webhookEventData(row) };
  await trx
    .insertInto('sandbox_jiko_webhook_events')
    .values({
      id: event.id,
      type,
      application_id: row.id,
      body: JSON.stringify(event),
      status: webhookUrl ? 'pending' : 'skipped',
      created_at: event.created_at,
    })
    .execute();
  return event;
}

/** Claims up to `limit` due events for this process, counting the attempt about to be made. */
export async function claimDueEvents(db: SandboxDb, limit: number): Promise<SandboxWebhookEventRow[]> {
  return db
    .updateTable('sandbox_jiko_webhook_events')
    .set({
      attempts: sql<number>`attempts + 1`,
      next_attempt_at: sql<Date>`now() + make_interval(secs => ${webhookPolicy.leaseMs / 1000})`,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('sandbox_jiko_webhook_events')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', sql<Date>`now()`)
        .orderBy('next_attempt_at')
        .orderBy('created_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

type AttemptResult = { responseStatus: number | null; error: string | null; durationMs: number };

/** Records an attempt and moves the event on: delivered, retried later, or failed. */
async function recordAttempt(db: SandboxDb, event: SandboxWebhookEventRow, url: string, result: AttemptResult): Promise<void> {
  const delivered = result.responseStatus !== null && result.responseStatus >= 200 && result.responseStatus < 300;
  const exhausted = event.attempts >= webhookPolicy.maxAttempts;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('sandbox_jiko_webhook_attempts')
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
      .updateTable('sandbox_jiko_webhook_events')
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

async function post(url: string, secret: string, body: string): Promise<AttemptResult> {
  const started = Date.now();
  const timestamp = String(Math.floor(started / 1000));
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'jiko-sandbox-webhooks',
        'x-jiko-timestamp': timestamp,
        'x-jiko-signature': signJikoWebhook(secret, timestamp, body),
      },
      body,
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
export async function deliverDueEvents(
  db: SandboxDb,
  webhook: { url: string | null; secret: string },
  logger: Logger,
): Promise<number> {
  const url = webhook.url;
  if (!url) return 0;
  const events = await claimDueEvents(db, webhookPolicy.batchSize);
  await Promise.all(
    events.map(async (event) => {
      const result = await post(url, webhook.secret, event.body);
      await recordAttempt(db, event, url, result);
      const log = { eventId: event.id, type: event.type, attempt: event.attempts, status: result.responseStatus };
      if (result.error) logger.warn({ ...log, error: result.error }, 'jiko sandbox: webhook not accepted');
      else logger.debug(log, 'jiko sandbox: webhook delivered');
    }),
  );
  return events.length;
}
