/**
 * `pnpm worker` beside an API process started with `DESK_WORKER=false`, both through their real
 * entries on one Postgres database: the API runs no job worker, so a provider action asked for
 * there waits in the queue until the worker process runs, which delivers it; a provider's
 * webhook the API stores waits the same way, and the worker applies it. The embedded database
 * belongs to the one process that opened it, so there the worker refuses to start.
 */

import { createLogger, type Database, type OpenedDatabase, openDatabase } from '@desk/server';
import type { ApplicationDetail, ProviderAction } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import {
  jikoSandboxToken,
  resolveAtJikoSandbox,
  type SignedInClient,
  signInClient,
  testPassword,
} from '../support/desk.js';
import { sendJikoEvent } from '../support/jiko-events.js';
import { type DeskProcess, spawnDesk, spawnRefusedDesk, stopDeskProcess } from '../support/process.js';
import { createProcessDatabase, createProcessStaff, type ProcessDatabase } from '../support/process-database.js';
import { waitFor } from '../support/wait-for.js';
import { spawnWorker, type WorkerProcess } from '../support/worker-process.js';

describe('pnpm worker on the embedded database', () => {
  it('When the worker is started without DATABASE_URL, then it refuses to start, naming the variable', async () => {
    // Everything else it needs is set, so DATABASE_URL is the one reason to refuse.
    const refused = await spawnRefusedDesk({ DESK_PUBLIC_URL: 'http://127.0.0.1:9', DESK_SANDBOXES: 'true' }, 'worker');
    expect(refused.code).toBe(2);
    expect(refused.output).toMatch(/pnpm worker needs DATABASE_URL/);
    expect(refused.output).not.toMatch(/worker started/);
  });
});

/**
 * Absence can only be watched for a while: `check` must hold on every look for `ms`, several
 * times the workers' polling interval (0.5 s), long enough for a worker to have taken the job.
 */
async function holdsFor(ms: number, check: () => Promise<void>): Promise<void> {
  const until = Date.now() + ms;
  do {
    await check();
    await new Promise((resolve) => setTimeout(resolve, 200));
  } while (Date.now() < until);
  await check();
}

describe.each(databaseKinds.filter((kind) => kind === 'postgres'))(
  'pnpm worker beside an API process started with DESK_WORKER=false on %s database',
  { timeout: 120_000 },
  (kind) => {
    let database: ProcessDatabase;
    let opened: OpenedDatabase;
    let api: DeskProcess;
    let staff: SignedInClient;
    let workerEnv: Record<string, string>;
    let worker: WorkerProcess | null = null;

    beforeAll(async () => {
      database = await createProcessDatabase(kind);
      await createProcessStaff(database, [{ email: 'dana@test.desk', role: 'senior_analyst' }], testPassword);
      // The sandboxes on (they are off by default with DATABASE_URL), so every provider answers.
      const shared = { ...database.env, DESK_SANDBOXES: 'true' };
      api = await spawnDesk({ ...shared, DESK_WORKER: 'false', DESK_DEMO_DATA: 'false' });
      staff = await signInClient(api.url, 'dana@test.desk', testPassword);
      // The worker reaches the sandboxes (and serves file links) through the API.
      workerEnv = { ...shared, DESK_PUBLIC_URL: api.url };
      opened = await openDatabase(database.target, createLogger('silent'));
    }, 180_000);
    afterAll(async () => {
      await worker?.stop().catch(() => worker?.child.kill('SIGKILL'));
      await opened?.close();
      if (api) await stopDeskProcess(api, 'SIGTERM').catch(() => api.child.kill('SIGKILL'));
      await database?.drop();
    });

    const db = (): Kysely<Database> => opened.db;
    const caseOf = async (id: string) => {
      const res = await staff.get<ApplicationDetail>(`/api/applications/${id}`);
      expect(res.status).toBe(200);
      return res.body;
    };
    const caseWhen = (id: string, done: (c: ApplicationDetail) => boolean, what: string) =>
      waitFor(
        async () => {
          const c = await caseOf(id);
          return done(c) && c;
        },
        { timeoutMs: 30_000, intervalMs: 100, what },
      );
    const startWorker = async () => {
      worker ??= await spawnWorker(workerEnv);
    };
    const stopWorker = async () => {
      if (!worker) return;
      const stopping = worker;
      worker = null;
      expect(await stopping.stop('SIGTERM')).toBe(0);
    };
    /** Jiko's `application.pending` event about a case, signed as the sandbox signs it, sent to the API. */
    const sendPendingEvent = (eventId: string, providerApplicationId: string) =>
      sendJikoEvent(api.url, { id: eventId, type: 'application.pending', applicationId: providerApplicationId });
    const onboard = async (identificationPrefix: string) => {
      const res = await staff.post<{ id: string }>(
        '/api/applications',
        intakeRequest('jiko', applicant(identificationPrefix)),
      );
      expect(res.status).toBe(201);
      return res.body.id;
    };

    it('When a re-apply is asked for at the API while no worker runs, then it stays queued; once pnpm worker runs, the worker delivers it and applies the decision webhook', async () => {
      await stopWorker();
      const id = await onboard('4');
      const asked = await staff.post<ProviderAction>(`/api/applications/${id}/reapply`);
      expect(asked.status).toBe(202);
      expect(asked.body.state).toBe('queued');

      await holdsFor(3_000, async () => {
        const c = await caseOf(id);
        expect(c.providerActions.find((a) => a.id === asked.body.id)?.state).toBe('queued');
        expect(c.providerStatus).toBe('CREATED');
      });

      await startWorker();
      const decided = await caseWhen(
        id,
        (c) => c.providerStatus === 'APPROVED',
        'the worker to deliver the re-apply and apply the decision',
      );
      expect(decided.providerActions.find((a) => a.id === asked.body.id)).toMatchObject({ state: 'done', attempts: 1 });
      expect(decided.statusHistory.map((h) => [h.toStatus, h.source])).toEqual([
        ['CREATED', 'provider_response'],
        ['SUBMITTED', 'provider_response'],
        ['APPROVED', 'provider_webhook'],
      ]);
      const inbox = await db()
        .selectFrom('webhook_inbox')
        .select('applied_at')
        .where('provider_application_id', '=', decided.providerApplicationId)
        .execute();
      expect(inbox.length).toBeGreaterThan(0);
      expect(inbox.every((event) => event.applied_at !== null)).toBe(true);
    });

    it("When a provider's webhook arrives while the worker is stopped, then the API stores it and it waits; the worker applies it once it runs again", async () => {
      await startWorker();
      const id = await onboard('3');
      expect((await staff.post(`/api/applications/${id}/reapply`)).status).toBe(202);
      const review = await caseWhen(id, (c) => c.providerStatus === 'MANUAL_REVIEW', 'the manual review');
      await stopWorker();

      const eventsOf = () =>
        db()
          .selectFrom('webhook_inbox')
          .select(['id', 'applied_at'])
          .where('provider_application_id', '=', review.providerApplicationId)
          .execute();
      const before = new Set((await eventsOf()).map((e) => e.id));
      const resolved = await resolveAtJikoSandbox(
        api.url,
        review.providerApplicationId,
        'APPROVED',
        await jikoSandboxToken(api.url),
      );
      expect(resolved.status).toBe(200);
      const stored = await waitFor(async () => (await eventsOf()).find((e) => !before.has(e.id)), {
        timeoutMs: 30_000,
        intervalMs: 100,
        what: 'the API to store the decision webhook',
      });
      await holdsFor(2_000, async () => {
        const event = await db()
          .selectFrom('webhook_inbox')
          .select('applied_at')
          .where('id', '=', stored.id)
          .executeTakeFirstOrThrow();
        expect(event.applied_at).toBeNull();
        expect((await caseOf(id)).providerStatus).toBe('MANUAL_REVIEW');
      });

      await startWorker();
      const approved = await caseWhen(id, (c) => c.providerStatus === 'APPROVED', 'the worker to apply the webhook');
      expect(approved.statusHistory.at(-1)).toMatchObject({
        fromStatus: 'MANUAL_REVIEW',
        toStatus: 'APPROVED',
        source: 'provider_webhook',
      });
      const applied = await db()
        .selectFrom('webhook_inbox')
        .select('applied_at')
        .where('id', '=', stored.id)
        .executeTakeFirstOrThrow();
      expect(applied.applied_at).not.toBeNull();
    });

    it('When several webhooks about one case wait for the worker, then it applies them together: one transaction marks them all', async () => {
      await stopWorker();
      const id = await onboard('3');
      const { providerApplicationId } = await caseOf(id);
      const eventIds = Array.from({ length: 5 }, (_, k) => `together-${id}-${k}`);
      for (const eventId of eventIds) {
        expect((await sendPendingEvent(eventId, providerApplicationId)).status).toBe(200);
      }
      const appliedTimes = () =>
        db().selectFrom('webhook_inbox').select('applied_at').where('event_id', 'in', eventIds).execute();
      expect((await appliedTimes()).every((event) => event.applied_at === null)).toBe(true);

      await startWorker();
      const applied = await waitFor(
        async () => {
          const rows = await appliedTimes();
          return rows.length === eventIds.length && rows.every((event) => event.applied_at !== null) && rows;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: 'the worker to apply the five events' },
      );
      // One provider read and one transaction for the five (separate applies mark each at its own moment).
      expect(new Set(applied.map((event) => event.applied_at?.toISOString())).size).toBe(1);
      expect((await caseOf(id)).providerStatus).toBe('CREATED');
    });

    it("When a provider's event arrives while an action of ours for that case is on the wire, then it waits for that action's answer and is applied after it", async () => {
      await stopWorker();
      const id = await onboard('5');
      const { providerApplicationId } = await caseOf(id);
      // An action being delivered (as a worker holds one between sending it and its answer); no
      // job carries it, so only this test settles it.
      const action = await db()
        .insertInto('provider_actions')
        .values({
          application_id: id,
          kind: 'reapply',
          state: 'sending',
          idempotency_key: `on-the-wire-${id}`,
          document_id: null,
          rfi_answer_id: null,
          last_error: null,
          requested_by: null,
          completed_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const eventId = `while-sending-${id}`;
      expect((await sendPendingEvent(eventId, providerApplicationId)).status).toBe(200);
      const stored = await db()
        .selectFrom('webhook_inbox')
        .select(['id', 'applied_at'])
        .where('event_id', '=', eventId)
        .executeTakeFirstOrThrow();

      await startWorker();
      // The worker took the event and put it back, naming the action it waits for.
      const waited = await waitFor(
        async () => {
          const event = await db()
            .selectFrom('webhook_inbox')
            .select(['attempts', 'last_error', sql<boolean>`next_attempt_at > now()`.as('backing_off')])
            .where('id', '=', stored.id)
            .executeTakeFirstOrThrow();
          return event.attempts >= 1 && event.last_error !== null && event;
        },
        { timeoutMs: 30_000, intervalMs: 100, what: 'the worker to try the event once' },
      );
      expect(waited.last_error).toContain(`action ${action.id} is being delivered`);
      expect(waited.backing_off).toBe(true);
      const appliedAt = () =>
        db().selectFrom('webhook_inbox').select('applied_at').where('id', '=', stored.id).executeTakeFirstOrThrow();
      expect((await appliedAt()).applied_at).toBeNull();

      // The action's answer came: the event goes through at its next try.
      await db()
        .updateTable('provider_actions')
        .set({ state: 'done', completed_at: new Date() })
        .where('id', '=', action.id)
        .execute();
      await waitFor(async () => (await appliedAt()).applied_at !== null, {
        timeoutMs: 30_000,
        intervalMs: 100,
        what: 'the event to be applied once the action settled',
      });
    });
  },
);
