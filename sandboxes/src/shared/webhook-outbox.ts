/**
 * The webhook outbox shared by the built-in sandboxes. A sandbox writes an event in the
 * transaction that changes its resource, so it exists exactly when the change does; delivery
 * happens later, outside any transaction, from the background loop.
 *
 * Delivery: POST the stored JSON text to the configured URL with the sandbox's own headers
 * (its timestamp, signature and, for some, event id; the timestamp is unix seconds taken at
 * each attempt). Any 2xx is delivered; anything else (another status, a refused connection,
 * no answer within 10 s) is retried with the same event id and body after 1 s, 2 s, 4 s, …
 * (doubling, at most 15 min), for 12 attempts in all, then the event is `failed`. Every
 * attempt is recorded in the sandbox's attempts table.
 *
 * Several processes may share the outbox: a process claims due events with
 * `FOR UPDATE SKIP LOCKED` and pushes their next attempt out by a lease (60 s, longer than
 * an attempt can take), so no other process sends them meanwhile; a process that dies
 * mid-attempt leaves the event to be retried when the lease runs out. Events raised with no
 * URL configured are `skipped`, never sent.
 *
 * The outbox sees each sandbox's events and attempts tables through the columns they all
 * have (outbox.tables.ts), so it needs no sandbox's row types.
 */

import type { Database, Logger } from '@desk/server';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type {
  OutboxAttemptsTable,
  OutboxDatabase,
  OutboxDb,
  OutboxEventRow,
  OutboxEventsTable,
  WebhookEventStatus,
} from './outbox.tables.js';

export type { OutboxEventRow } from './outbox.tables.js';

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

/**
 * The columns of an event being raised, the body being the event's JSON text: pending when a
 * URL is configured, otherwise skipped for good. The sandbox adds its own columns.
 */
export function raisedEventValues<E extends { id: string; type: string }>(
  event: E,
  createdAt: string,
  webhookUrl: string | null,
): { id: string; type: E['type']; body: string; status: WebhookEventStatus; created_at: string } {
  return {
    id: event.id,
    type: event.type,
    body: JSON.stringify(event),
    status: webhookUrl ? 'pending' : 'skipped',
    created_at: createdAt,
  };
}

/** The update that claims an event: counts the attempt about to be made and leases it. */
export function claimLease(): { attempts: RawBuilder<number>; next_attempt_at: RawBuilder<Date> } {
  return {
    attempts: sql<number>`attempts + 1`,
    next_attempt_at: sql<Date>`now() + make_interval(secs => ${webhookPolicy.leaseMs / 1000})`,
  };
}

/** What is particular to one sandbox's outbox. */
export type WebhookOutboxStrategy = {
  /** Names the sandbox in the user agent (`${provider}-sandbox-webhooks`) and in log lines. */
  provider: string;
  tables: { events: OutboxEventsTable; attempts: OutboxAttemptsTable };
  /** The headers sent after content-type and user-agent, in this order. */
  headers(event: OutboxEventRow, timestamp: string, secret: string): Record<string, string>;
  /**
   * Claims up to `limit` due events (with `claimLease()`). Without it, the due pending events
   * are claimed by next attempt, then by `tieBreak`.
   */
  claimDue?: (limit: number) => Promise<OutboxEventRow[]>;
  /** The column that orders events due at the same time, when `claimDue` is not given. */
  tieBreak?: string;
  /** Whether log lines name the event type. */
  logEventType: boolean;
};

export type WebhookOutbox = {
  /** Delivers one batch of due events; returns how many were claimed. */
  deliverDueEvents(webhook: { url: string | null; secret: string }, logger: Logger): Promise<number>;
  /** Forgets settled events (and their attempts) older than the retention window. */
  forgetOldEvents(): Promise<void>;
};

type AttemptResult = { responseStatus: number | null; error: string | null; durationMs: number };

export function createWebhookOutbox(deskDb: Kysely<Database>, strategy: WebhookOutboxStrategy): WebhookOutbox {
  const db: OutboxDb = deskDb.withTables<OutboxDatabase>();
  const { events: eventsTable, attempts: attemptsTable } = strategy.tables;

  /** Claims up to `limit` due events for this process, counting the attempt about to be made. */
  async function claimDueEvents(limit: number): Promise<OutboxEventRow[]> {
    if (strategy.claimDue) return strategy.claimDue(limit);
    const tieBreak = strategy.tieBreak ?? 'created_at';
    return db
      .updateTable(eventsTable)
      .set(claimLease())
      .where('id', 'in', (eb) =>
        eb
          .selectFrom(eventsTable)
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', sql<Date>`now()`)
          .orderBy('next_attempt_at')
          .orderBy(sql.ref(tieBreak))
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  /** Records an attempt and moves the event on: delivered, retried later, or failed. */
  async function recordAttempt(event: OutboxEventRow, url: string, result: AttemptResult): Promise<void> {
    const delivered = result.responseStatus !== null && result.responseStatus >= 200 && result.responseStatus < 300;
    const exhausted = event.attempts >= webhookPolicy.maxAttempts;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto(attemptsTable)
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
        .updateTable(eventsTable)
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

  async function post(url: string, secret: string, event: OutboxEventRow): Promise<AttemptResult> {
    const started = Date.now();
    const timestamp = String(Math.floor(started / 1000));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `${strategy.provider}-sandbox-webhooks`,
          ...strategy.headers(event, timestamp, secret),
        },
        body: event.body,
        signal: AbortSignal.timeout(webhookPolicy.attemptTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      return {
        responseStatus: res.status,
        error: res.ok ? null : `answered ${res.status}`,
        durationMs: Date.now() - started,
      };
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { responseStatus: null, error: error.slice(0, 500), durationMs: Date.now() - started };
    }
  }

  return {
    async deliverDueEvents(webhook, logger) {
      const url = webhook.url;
      if (!url) return 0;
      const events = await claimDueEvents(webhookPolicy.batchSize);
      await Promise.all(
        events.map(async (event) => {
          const result = await post(url, webhook.secret, event);
          await recordAttempt(event, url, result);
          const log = strategy.logEventType
            ? { eventId: event.id, type: event.type, attempt: event.attempts, status: result.responseStatus }
            : { eventId: event.id, attempt: event.attempts, status: result.responseStatus };
          if (result.error)
            logger.warn({ ...log, error: result.error }, `${strategy.provider} sandbox: webhook not accepted`);
          else logger.debug(log, `${strategy.provider} sandbox: webhook delivered`);
        }),
      );
      return events.length;
    },

    async forgetOldEvents() {
      const old = (eb: OutboxDb) =>
        eb
          .selectFrom(eventsTable)
          .select('id')
          .where('status', '!=', 'pending')
          .where('created_at', '<', sql<Date>`now() - make_interval(days => ${webhookPolicy.retentionDays})`);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom(attemptsTable).where('event_id', 'in', old(trx)).execute();
        await trx.deleteFrom(eventsTable).where('id', 'in', old(trx)).execute();
      });
    },
  };
}
