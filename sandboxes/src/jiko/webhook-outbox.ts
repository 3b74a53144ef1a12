/**
 * The webhook outbox (delivery, retries, lease and backoff: shared/webhook-outbox.ts). An
 * event is written in the transaction that changes the application, so it exists exactly
 * when the change does; delivery happens later, outside any transaction, from the
 * background loop.
 *
 * Delivery: POST the stored JSON text with `x-jiko-timestamp` (unix seconds, taken at each
 * attempt) and `x-jiko-signature` over `${timestamp}.${body}`. Due events are sent by next
 * attempt, then by creation time; every attempt is recorded in
 * sandbox.jiko_webhook_attempts.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '@desk/server';
import type { Kysely } from 'kysely';
import {
  createWebhookOutbox,
  type OutboxEventRow,
  raisedEventValues,
  type WebhookOutbox,
} from '../shared/webhook-outbox.js';
import { webhookEventData } from './application.mapper.js';
import type { SandboxApplicationRow, SandboxDb } from './sandbox.tables.js';
import { signJikoWebhook } from './signing.js';
import { type JikoWebhookEvent, webhookEventTypeFor } from './webhook-events.js';

export { webhookPolicy } from '../shared/webhook-outbox.js';

/** The outbox's delivery side, over the desk database. */
export function jikoWebhookOutbox(db: Kysely<Database>): WebhookOutbox {
  const tables = { events: 'sandbox.jiko_webhook_events', attempts: 'sandbox.jiko_webhook_attempts' } as const;
  return createWebhookOutbox(db, {
    provider: 'jiko',
    tables,
    headers: signedHeaders,
    tieBreak: 'created_at',
    logEventType: true,
  });
}

/** The headers of one attempt, sent after content-type and user-agent. */
function signedHeaders(event: OutboxEventRow, timestamp: string, secret: string): Record<string, string> {
  return { 'x-jiko-timestamp': timestamp, 'x-jiko-signature': signJikoWebhook(secret, timestamp, event.body) };
}

/** Raises the event for the status the application has just entered, if that status has one. */
export async function enqueueStatusEvent(
  trx: SandboxDb,
  row: SandboxApplicationRow,
  webhookUrl: string | null,
): Promise<JikoWebhookEvent | null> {
  const type = webhookEventTypeFor(row.status);
  if (!type) return null;
  const event: JikoWebhookEvent = {
    id: randomUUID(),
    type,
    created_at: new Date().toISOString(),
    data: webhookEventData(row),
  };
  await trx
    .insertInto('sandbox.jiko_webhook_events')
    .values({ ...raisedEventValues(event, event.created_at, webhookUrl), application_id: row.id })
    .execute();
  return event;
}
