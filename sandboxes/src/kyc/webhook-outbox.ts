/**
 * The webhook outbox (delivery, retries, lease and backoff: shared/webhook-outbox.ts). An
 * event is written in the transaction that changes the customer, so it exists exactly when
 * the change does; delivery happens later, outside any transaction, from the background loop.
 *
 * Delivery: POST the stored JSON text with `X-Webhook-Id` (the event id),
 * `X-Webhook-Timestamp` (unix seconds, taken at each attempt) and `X-Webhook-Signature`
 * (signing.ts). Due events are sent by next attempt, then by sequence; every attempt is
 * recorded in sandbox.kyc_webhook_attempts. A customer's events may be delivered out of
 * order after a failure: receivers order them by `createdAt` or re-read the customer.
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
import type { KycSandboxDb } from './sandbox.tables.js';
import { signKycWebhook } from './signing.js';
import { type KycStateChangedPayload, type KycWebhookEvent, kycWebhookHeaders } from './webhook-events.js';

export { webhookPolicy } from '../shared/webhook-outbox.js';

/** The outbox's delivery side, over the desk database. */
export function kycWebhookOutbox(db: Kysely<Database>): WebhookOutbox {
  const tables = { events: 'sandbox.kyc_webhook_events', attempts: 'sandbox.kyc_webhook_attempts' } as const;
  return createWebhookOutbox(db, {
    provider: 'kyc',
    tables,
    headers: signedHeaders,
    tieBreak: 'sequence',
    logEventType: false,
  });
}

/** The headers of one attempt, sent after content-type and user-agent. */
function signedHeaders(event: OutboxEventRow, timestamp: string, secret: string): Record<string, string> {
  return {
    [kycWebhookHeaders.id]: event.id,
    [kycWebhookHeaders.timestamp]: timestamp,
    [kycWebhookHeaders.signature]: signKycWebhook(secret, timestamp, event.body),
  };
}

export async function enqueueStateChanged(
  trx: KycSandboxDb,
  payload: KycStateChangedPayload,
  webhookUrl: string | null,
): Promise<KycWebhookEvent> {
  const event: KycWebhookEvent = {
    id: randomUUID(),
    type: 'customer.state_changed',
    createdAt: new Date().toISOString(),
    payload,
  };
  await trx
    .insertInto('sandbox.kyc_webhook_events')
    .values({ ...raisedEventValues(event, event.createdAt, webhookUrl), customer_id: payload.customerId })
    .execute();
  return event;
}
