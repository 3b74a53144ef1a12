/**
 * Two desk processes on one Postgres database, as a deployment with several API processes runs:
 * a session started on one is valid on the other and ends on both; sign-in throttling counts
 * failures from both; "next case" never hands one case to two analysts whichever process they
 * ask; and a desk killed outright loses nothing — the other keeps serving, and the restarted one
 * honours the sessions it had. The embedded database belongs to one process, so this is
 * Postgres only.
 */
import type { ApplicationSummary, ErrorBody, Me } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { deskClient, type SignedInClient, signInClient, testPassword } from '../support/desk.js';
import { type DeskProcess, spawnDesk, stopDeskProcess } from '../support/process.js';
import { createProcessDatabase, createProcessStaff, type ProcessDatabase } from '../support/process-database.js';

const analysts = ['ana@test.desk', 'ben@test.desk', 'cai@test.desk', 'dev@test.desk'];

describe.each(databaseKinds.filter((kind) => kind === 'postgres'))(
  'Two desk processes on %s database',
  { timeout: 180_000 },
  (kind) => {
    let database: ProcessDatabase;
    let env: Record<string, string>;
    let first: DeskProcess;
    let second: DeskProcess;

    beforeAll(async () => {
      database = await createProcessDatabase(kind);
      await createProcessStaff(
        database,
        [
          ...analysts.map((email) => ({ email, role: 'analyst' as const })),
          { email: 'throttled@test.desk', role: 'support' as const },
          { email: 'moving@test.desk', role: 'support' as const },
        ],
        testPassword,
      );
      // The sandboxes on, so the demo cases the first desk seeds are held at them.
      env = { ...database.env, DESK_SANDBOXES: 'true', DESK_DEMO_COUNT: '40' };
      first = await spawnDesk(env);
      second = await spawnDesk({ ...env, DESK_DEMO_DATA: 'false' });
    }, 240_000);
    afterAll(async () => {
      for (const desk of [first, second]) {
        if (desk && desk.child.exitCode === null)
          await stopDeskProcess(desk, 'SIGTERM').catch(() => desk.child.kill('SIGKILL'));
      }
      await database?.drop();
    });

    it('When a member signs in on one desk, then the session works on the other, and signing out on either ends it on both', async () => {
      const onFirst = await signInClient(first.url, analysts[0] as string, testPassword);
      const onSecond = deskClient(second.url, onFirst.cookie);
      const me = await onSecond.get<Me>('/api/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(analysts[0]);

      expect((await onSecond.post('/api/auth/logout')).status).toBe(204);
      expect((await onFirst.get('/api/auth/me')).status).toBe(401);
      expect((await onSecond.get('/api/auth/me')).status).toBe(401);
    });

    it('When wrong passwords are tried on both desks in turn, then their failures add up and the sixth attempt is refused on either before any password check', async () => {
      const attempt = (url: string, password: string) =>
        deskClient(url, null).post<ErrorBody>('/api/auth/login', { email: 'throttled@test.desk', password });
      for (const [i, url] of [first.url, second.url, first.url, second.url, first.url].entries()) {
        expect((await attempt(url, `wrong password ${i}`)).status, `failure ${i + 1}`).toBe(401);
      }
      // Even the right password: the account is throttled on every process.
      for (const url of [second.url, first.url]) {
        const refused = await attempt(url, testPassword);
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      }
    });

    it('When four analysts ask both desks for their next case at once, then no case is handed to two of them and each holds what they were given', async () => {
      const clients: { desk: string; client: SignedInClient }[] = [];
      for (const [i, email] of analysts.entries()) {
        const url = i % 2 === 0 ? first.url : second.url;
        clients.push({ desk: url, client: await signInClient(url, email, testPassword) });
      }
      // Each analyst asks both desks, five times each, all at once.
      const asks = clients.flatMap(({ client }) =>
        [first.url, second.url].flatMap((url) =>
          Array.from({ length: 5 }, () =>
            deskClient(url, client.cookie)
              .post<ApplicationSummary>('/api/applications/next', {})
              .then((res) => ({ res, me: client.me.id })),
          ),
        ),
      );
      const answers = await Promise.all(asks);
      expect(answers.every(({ res }) => res.status === 200 || res.status === 404)).toBe(true);
      const claimed = answers.filter(({ res }) => res.status === 200);
      expect(claimed.length).toBeGreaterThan(0);
      const ids = claimed.map(({ res }) => res.body.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const { res, me } of claimed) expect(res.body.assignee?.id).toBe(me);

      // What the database says each holds is what they were handed, on either desk.
      const viewer = clients[0]?.client as SignedInClient;
      for (const { res, me } of claimed.slice(0, 8)) {
        const detail = await deskClient(second.url, viewer.cookie).get<{ assignee: { id: string } | null }>(
          `/api/applications/${res.body.id}`,
        );
        expect(detail.status).toBe(200);
        expect(detail.body.assignee?.id).toBe(me);
      }
    });

    it('When one desk is killed outright, then the other keeps serving its sessions, and the restarted desk honours them too', async () => {
      const member = await signInClient(first.url, 'moving@test.desk', testPassword);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBeNull();

      const onSecond = deskClient(second.url, member.cookie);
      expect((await onSecond.get<Me>('/api/auth/me')).status).toBe(200);
      expect((await onSecond.get('/api/applications?limit=5')).status).toBe(200);

      first = await spawnDesk({ ...env, DESK_DEMO_DATA: 'false' });
      const back = await deskClient(first.url, member.cookie).get<Me>('/api/auth/me');
      expect(back.status).toBe(200);
      expect(back.body.email).toBe('moving@test.desk');
    });
  },
);
