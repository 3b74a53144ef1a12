/**
 * Settings that only show over time, wired from the environment into a desk started through
 * its real entry: the session timeouts (`DESK_SESSION_IDLE_MINUTES`, `DESK_SESSION_MAX_HOURS`)
 * and polling (`DESK_RECONCILE_SECONDS`, `DESK_STALE_AFTER_SECONDS`). Each is set far below its
 * default, so what the test sees could not happen with the default in its time.
 */
import { createHash } from 'node:crypto';
import type { Database } from '@desk/server';
import type { ApplicationDetail, ProviderAction } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { deskClient, signInClient, testPassword } from '../support/desk.js';
import { type DeskProcess, spawnDesk, stopDeskProcess } from '../support/process.js';
import { createProcessDatabase, createProcessStaff, type ProcessDatabase } from '../support/process-database.js';
import { waitFor } from '../support/wait-for.js';

const seniorEmail = 'dana@test.desk';

describe.each(databaseKinds)(
  'timeouts and polling configured from the environment on %s database',
  { timeout: 120_000 },
  (kind) => {
    let database: ProcessDatabase;
    let env: Record<string, string>;
    let desk: DeskProcess;

    beforeAll(async () => {
      database = await createProcessDatabase(kind);
      await createProcessStaff(database, [{ email: seniorEmail, role: 'senior_analyst' }], testPassword);
      env = {
        ...database.env,
        DESK_SANDBOXES: 'true',
        DESK_DEMO_DATA: 'false',
        DESK_SESSION_IDLE_MINUTES: '1', // default 30
        DESK_SESSION_MAX_HOURS: '1', // default 12
        DESK_RECONCILE_SECONDS: '1', // default 300
        DESK_STALE_AFTER_SECONDS: '2', // default 3600
        // The sandboxes send their webhooks where nobody listens: only polling brings news.
        DESK_PUBLIC_URL: 'http://127.0.0.1:9',
      };
      desk = await spawnDesk(env);
    }, 180_000);
    afterAll(async () => {
      if (desk) await stopDeskProcess(desk, 'SIGTERM').catch(() => desk.child.kill('SIGKILL'));
      await database?.drop();
    });

    /**
     * Runs `work` on the database. Postgres is shared with the running desk; the embedded
     * database belongs to the desk's process, so that desk is stopped first and started again
     * (on a new address) afterwards.
     */
    async function onDatabase<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
      if (kind === 'postgres') return database.use(work);
      expect(await stopDeskProcess(desk, 'SIGTERM')).toBe(0);
      try {
        return await database.use(work);
      } finally {
        desk = await spawnDesk(env);
      }
    }

    it('When polling runs every second and an application is stale after two, then a decision whose webhook was lost is read from the provider', async () => {
      const senior = await signInClient(desk.url, seniorEmail, testPassword);
      const created = await senior.post<{ id: string }>('/api/applications', intakeRequest('jiko', applicant('4')));
      expect(created.status).toBe(201);
      const id = created.body.id;
      const applied = await senior.post<ProviderAction>(`/api/applications/${id}/reapply`);
      expect(applied.status).toBe(202);

      const decided = await waitFor(
        async () => {
          const res = await senior.get<ApplicationDetail>(`/api/applications/${id}`);
          expect(res.status).toBe(200);
          return res.body.providerStatus === 'APPROVED' && res.body;
        },
        { timeoutMs: 30_000, intervalMs: 200, what: 'polling to bring the decision' },
      );
      expect(decided.statusHistory.at(-1)).toMatchObject({
        fromStatus: 'SUBMITTED',
        toStatus: 'APPROVED',
        source: 'provider_poll',
      });
      expect(decided.statusHistory.map((h) => h.source)).not.toContain('provider_webhook');
    });

    it('When the session timeouts are set, then a session idle past the idle timeout ends, a recently used one lives on, and each ends that long after sign-in', async () => {
      const idle = await signInClient(desk.url, seniorEmail, testPassword);
      const used = await signInClient(desk.url, seniorEmail, testPassword);
      const signIn = await fetch(`${desk.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: seniorEmail, password: testPassword }),
      });
      expect(signIn.status).toBe(200);
      expect(signIn.headers.getSetCookie().find((c) => c.startsWith('desk_session='))).toMatch(/Max-Age=3600(;|$)/);

      const sessionIdOf = (cookie: string) =>
        createHash('sha256')
          .update(cookie.replace(/^desk_session=/, ''))
          .digest('hex');
      const lifetimes = await onDatabase(async (db) => {
        // Time passes for one of them: unused for two minutes, past the one-minute idle timeout.
        // The other counts as used just now (the embedded desk's restart must fit in its minute).
        await db
          .updateTable('staff_sessions')
          .set({ last_seen_at: sql<Date>`now() - interval '2 minutes'` })
          .where('id', '=', sessionIdOf(idle.cookie))
          .execute();
        await db
          .updateTable('staff_sessions')
          .set({ last_seen_at: sql<Date>`now()` })
          .where('id', '=', sessionIdOf(used.cookie))
          .execute();
        const rows = await db
          .selectFrom('staff_sessions')
          .select(sql<number>`extract(epoch from expires_at - created_at)`.as('seconds'))
          .where('id', 'in', [sessionIdOf(idle.cookie), sessionIdOf(used.cookie)])
          .execute();
        return rows.map((r) => Number(r.seconds));
      });
      expect(lifetimes).toHaveLength(2);
      for (const seconds of lifetimes) expect(Math.abs(seconds - 3600)).toBeLessThan(5);

      expect((await deskClient(desk.url, idle.cookie).get('/api/auth/me')).status).toBe(401);
      expect((await deskClient(desk.url, used.cookie).get('/api/auth/me')).status).toBe(200);
    });
  },
);
