/**
 * The webhook outbox (delivery, retries, lease and backoff: shared/webhook-outbox.ts). An
 * event is written in the transaction that changes the customer, so it exists exactly when
 * the change does; delivery happens later, outside any transaction, from the background loop.
 *
 * Delivery: POST the stored JSON text with `x-fin-timestamp` and `x-fin-signature`
 * (signing.ts) and `x-fin-event-id`; every attempt is recorded in
 * sandbox.fin_webhook_attempts. Events of one customer are delivered in the order raised: an
 * event waits while an older one of the same customer is still pending. Settled events are
 * forgotten after a week.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '@desk/server';
import { type Kysely, sql } from 'kysely';
import {
  claimLease,
  createWebhookOutbox,
  type OutboxEventRow,
  raisedEventValues,
  type WebhookOutbox,
} from '../shared/webhook-outbox.js';
import type { FinDb, FinSandboxDatabase, FinWebhookEventRow } from './sandbox.tables.js';
import { signFinWebhook } from './signing.js';
import type { FinWebhookEvent, FinWebhookEventData, FinWebhookEventType } from './webhook-events.js';

export { webhookPolicy } from '../shared/webhook-outbox.js';

/** The outbox's delivery side, over the desk database. */
export function finWebhookOutbox(db: Kysely<Database>): WebhookOutbox {
  const finDb = db.withTables<FinSandboxDatabase>();
  const tables = { events: 'sandbox.fin_webhook_events', attempts: 'sandbox.fin_webhook_attempts' } as const;
  return createWebhookOutbox(db, {
    provider: 'fin',
    tables,
    headers: signedHeaders,
    claimDue: (limit) => claimDueEvents(finDb, limit),
    logEventType: true,
  });
}

/** The headers of one attempt, sent after content-type and user-agent. */
function signedHeaders(event: OutboxEventRow, timestamp: string, secret: string): Record<string, string> {
  return {
    'x-fin-event-id': event.id,
    'x-fin-timestamp': timestamp,
    'x-fin-signature': signFinWebhook(secret, timestamp, event.body),
  };
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
    .insertInto('sandbox.fin_webhook_events')
    .values({ ...raisedEventValues(event, event.created_at, webhookUrl), customer_id: customerId })
    .execute();
  return event;
}

/** Claims up to `limit` due events (the oldest pending one of each customer). */
export async function claimDueEvents(db: FinDb, limit: number): Promise<FinWebhookEventRow[]> {
  return db
    .updateTable('sandbox.fin_webhook_events')
    .set(claimLease())
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('sandbox.fin_webhook_events as e')
        .select('e.id')
        .where('e.status', '=', 'pending')
        .where('e.next_attempt_at', '<=', sql<Date>`now()`)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('sandbox.fin_webhook_events as older')
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
