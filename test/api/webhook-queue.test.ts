/**
 * The webhook inbox as the queue of events to apply (server/src/webhooks/webhook-queue.ts):
 * received through the HTTP app, taken, put back and applied on the desk's own database by the
 * functions its workers run, with the desk's workers off so that only the test takes events.
 */
import { randomUUID } from 'node:crypto';
import { createLogger } from '@desk/server';
import { applyDueEvents, maxWebhookAttempts, putBackEvents, takeDueEvents } from '@desk/server/internals';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { sendJikoEvent } from '../support/jiko-events.js';
import { waitFor } from '../support/wait-for.js';

describe.each(databaseKinds)('the webhook inbox as a queue, on %s', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { worker: false });
  }, 120_000);
  afterAll(async () => {
    await desk?.stop();
  });
  // Each test takes from an inbox holding only its own due events.
  beforeEach(async () => {
    await desk.db
      .updateTable('webhook_inbox')
      .set({ applied_at: new Date() })
      .where('applied_at', 'is', null)
      .execute();
  });

  /** Signed Jiko events about an application the desk does not hold (applying one only marks it). */
  const receive = async (count: number): Promise<string[]> => {
    const eventIds = Array.from({ length: count }, () => `evt-queue-${randomUUID()}`);
    for (const id of eventIds) {
      const res = await sendJikoEvent(desk.url, {
        id,
        type: 'application.approved',
        applicationId: `nowhere-${id}`,
      });
      expect(res.status).toBe(200);
    }
    const rows = await desk.db.selectFrom('webhook_inbox').select('id').where('event_id', 'in', eventIds).execute();
    return rows.map((row) => row.id);
  };
  const eventRow = (id: string) =>
    desk.db
      .selectFrom('webhook_inbox')
      .select([
        'attempts',
        'last_error',
        'applied_at',
        sql<boolean>`next_attempt_at <= now()`.as('due'),
        sql<boolean>`next_attempt_at = 'infinity'`.as('never'),
        sql<
          number | null
        >`CASE WHEN next_attempt_at < 'infinity' THEN extract(epoch from next_attempt_at - now())::float8 END`.as(
          'due_in',
        ),
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('When a webhook is received, then its inbox row is all that is written to apply it: due at once, no try yet, no job queued', async () => {
    const [id = ''] = await receive(1);
    expect(await eventRow(id)).toMatchObject({ attempts: 0, last_error: null, applied_at: null, due: true });
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pgboss.job WHERE data::text LIKE ${`%${id}%`}`.execute(desk.db);
    expect(rows[0]?.n).toBe(0);
  });

  it('When a worker takes events, then they are its own until the lease runs out: another take gets none of them, a take after the lease gets them again with the try counted', async () => {
    const ids = await receive(3);
    const first = await takeDueEvents(desk.db, 20, 1);
    expect(first.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(first.every((e) => e.attempts === 1)).toBe(true);
    expect(await takeDueEvents(desk.db, 20, 1)).toEqual([]);
    // The taker died: after its lease another takes them.
    const again = await waitFor(
      async () => {
        const taken = await takeDueEvents(desk.db, 20, 60);
        return taken.length > 0 && taken;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'the lease to run out' },
    );
    expect(again.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(again.every((e) => e.attempts === 2)).toBe(true);
  });

  it('When two workers take at once, then they share the due events and no event goes to both', async () => {
    const ids = await receive(30);
    const [a, b] = await Promise.all([takeDueEvents(desk.db, 20, 60), takeDueEvents(desk.db, 20, 60)]);
    const taken = [...(a ?? []), ...(b ?? [])].map((e) => e.id);
    expect(new Set(taken).size).toBe(taken.length);
    expect([...taken].sort()).toEqual([...ids].sort());
  });

  it('When a try fails, then the event waits out its backoff with the reason; after the last try it is never taken again', async () => {
    const [id = ''] = await receive(1);
    const [taken] = await takeDueEvents(desk.db, 20, 60);
    expect(taken?.id).toBe(id);
    await putBackEvents(desk.db, [id], 1, 'the provider did not answer');
    const waiting = await eventRow(id);
    expect(waiting).toMatchObject({ last_error: 'the provider did not answer', due: false, never: false });
    // The first retry comes after the job queue's first delay (2 s).
    expect(waiting.due_in).toBeGreaterThan(1);
    expect(waiting.due_in).toBeLessThanOrEqual(2);

    const gauge = async (name: string) => {
      const text = await (await desk.anonymous.fetch('/metrics')).text();
      return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    };
    expect(await gauge('desk_webhooks_given_up')).toBe(0);

    await putBackEvents(desk.db, [id], maxWebhookAttempts, 'still no answer');
    expect(await eventRow(id)).toMatchObject({ last_error: 'still no answer', never: true, applied_at: null });
    expect((await takeDueEvents(desk.db, 20, 60)).map((e) => e.id)).not.toContain(id);
    // Left for the reconcile pass, and shown to the operator: given up, and among the unapplied.
    expect(await gauge('desk_webhooks_given_up')).toBe(1);
    expect(await gauge('desk_webhooks_unapplied')).toBe(1);
  });

  it('When a worker applies what it took, then every event is applied once and none is left due', async () => {
    const ids = await receive(5);
    const ctx = { db: desk.db, providers: desk.providers, logger: createLogger('silent') };
    const options = { leaseSeconds: 60, oneAtATime: kind === 'embedded', batchSize: 20 };
    expect(await applyDueEvents(ctx, options)).toBe(5);
    for (const id of ids) expect((await eventRow(id)).applied_at).not.toBeNull();
    expect(await applyDueEvents(ctx, options)).toBe(0);
  });
});
