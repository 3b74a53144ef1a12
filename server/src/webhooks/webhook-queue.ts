/**
 * The webhook inbox is the queue of events to apply: a worker takes the due events (unapplied,
 * `next_attempt_at` passed), each leased to it for the job queue's expiry so that a worker that
 * dies leaves them due again, applies them, and the transaction that applies an event marks it
 * applied. A try that fails puts the event back with the job queue's backoff and the reason;
 * the last try applies regardless of an action of ours on the wire, and after it the event is
 * left unapplied (`desk_webhooks_given_up` on /metrics) for the reconcile pass to catch its
 * case up.
 *
 * Receiving a webhook therefore writes the inbox row and its audit row and nothing else; any
 * number of workers in any number of processes take from the one inbox (`SKIP LOCKED`).
 */
import { type Kysely, sql } from 'kysely';
import { executePrepared, isOneOf } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { retryPolicy } from '../jobs/job-queue.js';
import { applyWebhook, type PendingEvent, type WebhookContext } from './webhook.service.js';

/** The first try and the job queue's retries. */
export const maxWebhookAttempts = retryPolicy.retryLimit + 1;

/** Seconds an event waits after its `attempts`-th try failed: the job queue's delay, doubling. */
export const webhookRetryDelaySeconds = (attempts: number) => retryPolicy.retryDelay * 2 ** Math.max(0, attempts - 1);

export type TakenEvent = PendingEvent & { attempts: number };

/**
 * Takes up to `limit` due events, oldest due first, each leased for `leaseSeconds` and its try
 * counted, read with what applying them needs (the application, an action of ours on the wire).
 */
export async function takeDueEvents(db: Kysely<Database>, limit: number, leaseSeconds: number): Promise<TakenEvent[]> {
  const { rows } = await executePrepared(
    db,
    db
      .updateTable('webhook_inbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        next_attempt_at: sql<Date>`now() + make_interval(secs => ${leaseSeconds}::float8)`,
      }))
      .where(
        'id',
        'in',
        db
          .selectFrom('webhook_inbox')
          .select('id')
          .where('applied_at', 'is', null)
          .where('next_attempt_at', '<=', sql<Date>`now()`)
          .orderBy('next_attempt_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      // Named columns, never `*`: a prepared statement's columns are fixed when it is prepared.
      .returning((eb) => [
        'webhook_inbox.id',
        'webhook_inbox.attempts',
        'webhook_inbox.provider',
        'webhook_inbox.provider_application_id',
        'webhook_inbox.event_type',
        'webhook_inbox.received_at',
        eb
          .selectFrom('applications as a')
          .select('a.id')
          .whereRef('a.provider', '=', 'webhook_inbox.provider')
          .whereRef('a.provider_application_id', '=', 'webhook_inbox.provider_application_id')
          .as('application_id'),
        eb
          .selectFrom('provider_actions as pa')
          .innerJoin('applications as a', 'a.id', 'pa.application_id')
          .select('pa.id')
          .whereRef('a.provider', '=', 'webhook_inbox.provider')
          .whereRef('a.provider_application_id', '=', 'webhook_inbox.provider_application_id')
          .where('pa.state', '=', 'sending')
          .limit(1)
          .as('sending_action_id'),
      ]),
  );
  return rows;
}

/**
 * Puts events back after a failed try: due again after the backoff of their `attempts`-th try,
 * or never once that was the last (the reason is kept either way).
 */
export async function putBackEvents(
  db: Kysely<Database>,
  ids: readonly string[],
  attempts: number,
  reason: string,
): Promise<void> {
  const next =
    attempts >= maxWebhookAttempts
      ? sql<Date>`'infinity'::timestamptz`
      : sql<Date>`now() + make_interval(secs => ${webhookRetryDelaySeconds(attempts)}::float8)`;
  await db
    .updateTable('webhook_inbox')
    .set({ next_attempt_at: next, last_error: reason.slice(0, 2000) })
    .where((eb) => isOneOf(eb.ref('id'), ids))
    .where('applied_at', 'is', null)
    .execute();
}

export type WebhookApplierOptions = {
  /** How long a taken event is the taker's before another worker may take it (the job queue's expiry). */
  leaseSeconds: number;
  /** On the embedded database (one connection) the events of a batch are applied one group after another. */
  oneAtATime: boolean;
  batchSize?: number;
  /** Wait between looks when the last one found less than a batch. */
  pollMs?: number;
};

/**
 * Events in groups that one provider read can apply: those about one application at one
 * provider together, oldest first; an event about no application on its own.
 */
function aboutOneApplication(events: readonly TakenEvent[]): TakenEvent[][] {
  const groups = new Map<string, TakenEvent[]>();
  for (const event of events) {
    const key = event.provider_application_id ? `${event.provider}:${event.provider_application_id}` : event.id;
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  return [...groups.values()].map((group) => group.sort((a, b) => a.received_at.getTime() - b.received_at.getTime()));
}

/**
 * Takes one batch of due events and applies it: the events about one application together (one
 * provider read), the groups side by side unless `oneAtATime`. Returns how many it took.
 */
export async function applyDueEvents(
  ctx: WebhookContext,
  options: Required<Pick<WebhookApplierOptions, 'leaseSeconds' | 'oneAtATime' | 'batchSize'>>,
): Promise<number> {
  const taken = await takeDueEvents(ctx.db, options.batchSize, options.leaseSeconds);
  if (taken.length === 0) return 0;
  const applyGroup = async (events: TakenEvent[]) => {
    const ids = events.map((event) => event.id);
    const attempts = Math.max(...events.map((event) => event.attempts));
    try {
      await applyWebhook(ctx, events, { isLast: attempts >= maxWebhookAttempts });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const last = attempts >= maxWebhookAttempts;
      ctx.logger[last ? 'error' : 'warn'](
        { inboxIds: ids, attempts, err },
        last ? 'webhook events not applied after the last try' : 'webhook events not applied; tried again later',
      );
      await putBackEvents(ctx.db, ids, attempts, reason);
    }
  };
  const groups = aboutOneApplication(taken);
  if (options.oneAtATime) for (const events of groups) await applyGroup(events);
  else await Promise.all(groups.map(applyGroup));
  return taken.length;
}

/**
 * Applies due events until stopped: takes a batch, applies it, and looks again at once while
 * batches come back full, else after `pollMs`. `stop` waits for the batch in hand.
 */
export function startWebhookApplier(ctx: WebhookContext, options: WebhookApplierOptions): { stop(): Promise<void> } {
  const batchSize = options.batchSize ?? 20;
  const pollMs = options.pollMs ?? 200;
  let stopped = false;
  let wake: (() => void) | null = null;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const running = (async () => {
    while (!stopped) {
      let taken = 0;
      try {
        taken = await applyDueEvents(ctx, { ...options, batchSize });
      } catch (err) {
        ctx.logger.warn({ err }, 'webhook events: could not take the due ones');
      }
      if (taken < batchSize && !stopped) await pause();
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
