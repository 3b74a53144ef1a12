/**
 * Working the queue: claim / release / assign with their 409s, "next case" under many
 * simultaneous analysts (never the same case twice), notes and saved filters, and service
 * levels per stage — all on the audit trail.
 */

import { createStaff } from '@desk/server';
import {
  type ApplicationDetail,
  type ApplicationList,
  type ApplicationSummary,
  type ErrorBody,
  type Note,
  type SavedFilter,
  workableStages,
} from '@desk/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { type SignedInClient, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';

/**
 * Runs `ask` while a transaction of the test's own holds an EXCLUSIVE lock on `applications`
 * (which every "next case" statement needs, and no plain read does), waits until at least
 * `atLeast` of those statements are waiting at the database at the same moment — transactions
 * in flight together, seen in pg_stat_activity — and then lets them all go at once.
 */
async function withPicksInFlight<T>(desk: TestDesk, atLeast: number, ask: () => Promise<T>): Promise<T> {
  const locker = new pg.Client({ connectionString: desk.databaseUrl });
  const observer = new pg.Client({ connectionString: desk.databaseUrl });
  await Promise.all([locker.connect(), observer.connect()]);
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE applications IN EXCLUSIVE MODE');
    const answers = ask();
    const waitingPicks = async () =>
      (
        await observer.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '%candidate AS%'`,
        )
      ).rows[0]?.n ?? 0;
    const [inFlight] = await Promise.allSettled([eventually(waitingPicks, (n) => n >= atLeast)]);
    // Released whatever was seen, and the requests finish, before the test reports.
    await locker.query('COMMIT');
    const results = await answers;
    if (inFlight.status === 'rejected')
      throw new Error('the "next case" requests never waited at the database together', { cause: inFlight.reason });
    expect(inFlight.value).toBeGreaterThanOrEqual(atLeast);
    return results;
  } finally {
    await Promise.all([locker.end(), observer.end()]);
  }
}

describe.each(databaseKinds)('queue workflow on %s database', (kind) => {
  let desk: TestDesk;
  let analysts: SignedInClient[];
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 80 });
    // Everything starts unassigned, so "next" has a known pool.
    await desk.db.updateTable('applications').set({ assignee_id: null, claimed_at: null }).execute();
    analysts = [desk.as('analyst')];
    for (let i = 0; i < 5; i++) {
      await createStaff(
        desk.db,
        { email: `analyst${i}@test.desk`, name: `Analyst ${i}`, role: 'analyst', password: testPassword },
        { kind: 'system' },
      );
      analysts.push(await desk.signIn(`analyst${i}@test.desk`, testPassword));
    }
  });
  afterAll(async () => {
    await desk?.stop();
  });

  /** An open case nobody holds, made so here: earlier tests (in any order) claim cases as they go. */
  const unheldCase = async () => {
    const [id] = await anyOpenCases(1);
    if (!id) throw new Error('no open case in the demo data');
    await desk.db
      .updateTable('applications')
      .set({ assignee_id: null, claimed_at: null })
      .where('id', '=', id)
      .execute();
    return id;
  };

  const anyOpenCases = async (limit: number) =>
    (
      await desk.db
        .selectFrom('applications')
        .select('id')
        .where('stage', 'not in', ['approved', 'rejected'])
        .orderBy('id')
        .limit(limit)
        .execute()
    ).map((r) => r.id);

  it('When an analyst claims a case, then a colleague cannot claim or release it (409), and a senior analyst can reassign it', async () => {
    const id = await unheldCase();
    const auditBefore = await desk.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const [alice, bob] = [analysts[0], analysts[1]];
    if (!alice || !bob) throw new Error('setup');
    const claimed = await alice.post<ApplicationDetail>(`/api/applications/${id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignee?.id).toBe(alice.me.id);
    expect((await alice.post(`/api/applications/${id}/claim`)).status).toBe(200);

    const stolen = await bob.post<ErrorBody>(`/api/applications/${id}/claim`);
    expect(stolen.status).toBe(409);
    expect(stolen.body.message).toContain(alice.me.name);
    expect((await bob.post<ErrorBody>(`/api/applications/${id}/release`)).status).toBe(409);
    // Analysts cannot assign at all.
    expect((await bob.post<ErrorBody>(`/api/applications/${id}/assign`, { assigneeId: bob.me.id })).status).toBe(403);

    const senior = desk.as('senior_analyst');
    const blocked = await senior.post<ErrorBody>(`/api/applications/${id}/assign`, { assigneeId: bob.me.id });
    expect(blocked.status).toBe(409);
    const reassigned = await senior.post<ApplicationDetail>(`/api/applications/${id}/assign`, {
      assigneeId: bob.me.id,
      reassign: true,
    });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.assignee?.id).toBe(bob.me.id);

    const released = await bob.post<ApplicationDetail>(`/api/applications/${id}/release`);
    expect(released.body.assignee).toBeNull();
    const trail = await desk.db
      .selectFrom('audit_events')
      .select(['action', 'actor', 'data'])
      .where('application_id', '=', id)
      .where('id', '>', Number(auditBefore.id ?? 0))
      .orderBy('id')
      .execute();
    expect(trail.map((t) => t.action)).toEqual(['application.claimed', 'application.assigned', 'application.released']);
    expect(trail[1]?.data).toEqual({ from: alice.me.id, to: bob.me.id });
  });

  it('When assigning to someone who cannot work cases, or to nobody known, then a 400 names assigneeId', async () => {
    const id = await unheldCase();
    const senior = desk.as('senior_analyst');
    const toSupport = await senior.post<ErrorBody>(`/api/applications/${id}/assign`, {
      assigneeId: desk.as('support').me.id,
    });
    expect(toSupport.status).toBe(400);
    expect(Object.keys(toSupport.body.errors ?? {})).toEqual(['assigneeId']);
    const unknown = await senior.post<ErrorBody>(`/api/applications/${id}/assign`, {
      assigneeId: '00000000-0000-4000-8000-000000000005',
    });
    expect(unknown.status).toBe(400);
    const bad = await senior.post<ErrorBody>(`/api/applications/${id}/assign`, { assigneeId: 'me', extra: true });
    expect(Object.keys(bad.body.errors ?? {}).sort()).toEqual(['assigneeId', 'extra']);
  });

  it('When a closed case is claimed, then the answer is 409', async () => {
    const closed = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', '=', 'approved')
      .limit(1)
      .executeTakeFirstOrThrow();
    const res = await desk.as('analyst').post<ErrorBody>(`/api/applications/${closed.id}/claim`);
    expect(res.status).toBe(409);
  });

  it('When six analysts ask for the next case 60 times at once, then no case is handed out twice, oldest first', async () => {
    const pool = await desk.db
      .selectFrom('applications')
      .select(['id', 'created_at'])
      .where('stage', 'in', [...workableStages])
      .where('assignee_id', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const asks = Math.min(60, pool.length);
    const auditBefore = await desk.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    expect(asks).toBeGreaterThan(20);
    const ask = () =>
      Promise.all(
        Array.from({ length: asks }, (_, i) =>
          (analysts[i % analysts.length] as SignedInClient).post<ApplicationSummary>('/api/applications/next'),
        ),
      );
    // On the embedded database every request shares the desk's one connection, so these
    // requests reach the database one by one there: that run checks the answers, not the
    // concurrency. The Postgres run is the proof: a pool of connections, and the test holds the
    // picks at the database until several of them are in flight at once, then lets them race.
    const results = kind === 'postgres' ? await withPicksInFlight(desk, analysts.length, ask) : await ask();
    expect(results.every((r) => r.status === 200)).toBe(true);
    const ids = results.map((r) => r.body.id);
    expect(new Set(ids).size).toBe(asks);
    // Exactly the oldest `asks` cases were handed out, each to the analyst who asked.
    expect([...ids].sort()).toEqual(
      pool
        .slice(0, asks)
        .map((p) => p.id)
        .sort(),
    );
    for (const [i, r] of results.entries()) {
      expect(r.body.assignee?.id).toBe((analysts[i % analysts.length] as SignedInClient).me.id);
    }
    const claims = await desk.db
      .selectFrom('audit_events')
      .select('entity_id')
      .where('action', '=', 'application.claimed')
      .where('id', '>', Number(auditBefore.id ?? 0))
      .execute();
    expect(claims).toHaveLength(asks);
  });

  it('When next is filtered, then every case it hands out matches the filter, and it says 404 once none is left', async () => {
    // Its own starting point, whatever ran before: every case waiting.
    await desk.db.updateTable('applications').set({ assignee_id: null, claimed_at: null }).execute();
    // The filtered stage is not the one of the oldest waiting case, so an unfiltered pick would differ.
    const waiting = await desk.db
      .selectFrom('applications')
      .select(['id', 'stage'])
      .where('stage', 'in', [...workableStages])
      .where('assignee_id', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const stage = waiting.find((a) => a.stage !== waiting[0]?.stage)?.stage;
    expect(stage).toBeDefined();
    const expected = waiting.filter((a) => a.stage === stage).map((a) => a.id);
    expect(expected.length).toBeGreaterThan(0);
    const handedOut: string[] = [];
    for (;;) {
      const res = await desk.as('analyst').post<ApplicationSummary & ErrorBody>('/api/applications/next', { stage });
      if (res.status === 404) break;
      expect(res.status).toBe(200);
      expect(res.body.stage).toBe(stage);
      handedOut.push(res.body.id);
      expect(handedOut.length).toBeLessThanOrEqual(expected.length);
    }
    expect(handedOut).toEqual(expected);
    const bad = await desk.as('analyst').post<ErrorBody>('/api/applications/next', { stage: 'nowhere' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors ?? {})).toEqual(['stage']);
    expect((await desk.as('support').post('/api/applications/next')).status).toBe(403);
  });

  it('When notes are added, then they are on the case newest first and on the audit trail', async () => {
    const [id] = await anyOpenCases(1);
    const first = await desk
      .as('analyst')
      .post<Note>(`/api/applications/${id}/notes`, { body: 'Called the customer; passport on its way.' });
    expect(first.status).toBe(201);
    const second = await desk
      .as('support')
      .post<Note>(`/api/applications/${id}/notes`, { body: 'Customer confirmed by phone.' });
    expect(second.status).toBe(201);
    const detail = await desk.get<ApplicationDetail>(`/api/applications/${id}`);
    expect(detail.body.notes.map((n) => n.body)).toEqual([
      'Customer confirmed by phone.',
      'Called the customer; passport on its way.',
    ]);
    expect(detail.body.notes[1]?.author.id).toBe(desk.as('analyst').me.id);
    const audit = await desk.db
      .selectFrom('audit_events')
      .select(['actor', 'data'])
      .where('action', '=', 'application.note_added')
      .where('application_id', '=', id ?? '')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.actor)).toEqual([desk.as('analyst').me.email, desk.as('support').me.email]);
    const empty = await desk.as('analyst').post<ErrorBody>(`/api/applications/${id}/notes`, { body: '   ' });
    expect(empty.status).toBe(400);
    expect((await desk.as('auditor').post(`/api/applications/${id}/notes`, { body: 'x' })).status).toBe(403);
  });

  it('When filters are saved, then each person sees only their own, names are unique, and bad queries are refused', async () => {
    const analyst = desk.as('analyst');
    const saved = await analyst.post<SavedFilter>('/api/saved-filters', {
      name: 'My breaches',
      query: 'sla=breached&assignee=me',
    });
    expect(saved.status).toBe(201);
    expect(
      (await analyst.post<ErrorBody>('/api/saved-filters', { name: 'My breaches', query: 'stage=rfi' })).status,
    ).toBe(409);
    const bad = await analyst.post<ErrorBody>('/api/saved-filters', {
      name: 'Broken',
      query: 'stage=nowhere&colour=blue',
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors ?? {}).sort()).toEqual(['query.colour', 'query.stage']);
    expect((await analyst.get<{ data: SavedFilter[] }>('/api/saved-filters')).body.data.map((f) => f.name)).toEqual([
      'My breaches',
    ]);
    expect((await desk.as('support').get<{ data: SavedFilter[] }>('/api/saved-filters')).body.data).toEqual([]);
    expect((await desk.as('support').fetch(`/api/saved-filters/${saved.body.id}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await analyst.fetch(`/api/saved-filters/${saved.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await analyst.get<{ data: SavedFilter[] }>('/api/saved-filters')).body.data).toEqual([]);
  });

  it('When cases sit in a stage past its service level, then they are flagged breached and can be filtered', async () => {
    const [late, fresh] = await anyOpenCases(2);
    await desk.db
      .updateTable('applications')
      .set({ stage: 'manual_review', stage_entered_at: new Date(Date.now() - 30 * 3_600_000) })
      .where('id', '=', late ?? '')
      .execute();
    await desk.db
      .updateTable('applications')
      .set({ stage: 'manual_review', stage_entered_at: new Date(Date.now() - 3_600_000) })
      .where('id', '=', fresh ?? '')
      .execute();
    const breached = await desk.get<ApplicationList>('/api/applications?sla=breached&limit=200');
    expect(breached.status).toBe(200);
    const ids = breached.body.data.map((a) => a.id);
    expect(ids).toContain(late);
    expect(ids).not.toContain(fresh);
    expect(breached.body.data.every((a) => a.sla?.state === 'breached')).toBe(true);
    const lateRow = breached.body.data.find((a) => a.id === late);
    expect(new Date(lateRow?.sla?.dueAt ?? 0).getTime()).toBeLessThan(Date.now());
    const onTrack = await desk.get<ApplicationList>('/api/applications?sla=on_track&stage=manual_review&limit=200');
    expect(onTrack.body.data.map((a) => a.id)).toContain(fresh);
    const approved = await desk.get<ApplicationList>('/api/applications?stage=approved&limit=5');
    expect(approved.body.data.every((a) => a.sla === null)).toBe(true);
    expect((await desk.get<ErrorBody>('/api/applications?sla=late')).status).toBe(400);
  });
});
