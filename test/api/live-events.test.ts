/**
 * Live updates (`GET /api/events`, Server-Sent Events): authorised like every route and ended
 * soon after its session ends, and never counted as a slow request; a provider's webhook, a provider's change of flags alone and a
 * colleague's claim arrive as `case` events saying what changed and by whom; a stream resumed with `Last-Event-ID` is sent what
 * it missed exactly once, and a resume point it cannot honour gets a `reset`; and, on Postgres,
 * a change made through one desk process arrives on a stream opened on another.
 */
import { onboardApplication } from '@desk/server';
import { recordAudit } from '@desk/server/internals';
import { type ApplicationDetail, type CaseEvent, caseEventSchema, type ProviderAction } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import {
  emailOf,
  jikoSandboxToken,
  resolveAtJikoSandbox,
  signInClient,
  startTestDesk,
  type TestDesk,
  testPassword,
} from '../support/desk.js';
import { type OpenStream, openEventStream, type StreamEvent } from '../support/event-stream.js';
import { type DeskProcess, spawnDesk, stopDeskProcess } from '../support/process.js';
import { createProcessDatabase, createProcessStaff, type ProcessDatabase } from '../support/process-database.js';
import { waitFor } from '../support/wait-for.js';

const caseOf = (event: StreamEvent): CaseEvent => caseEventSchema.parse(JSON.parse(event.data));
const aboutCase = (applicationId: string) => (event: StreamEvent) =>
  event.event === 'case' && caseOf(event).applicationId === applicationId;

describe.each(databaseKinds)('Live updates on %s database', (kind) => {
  let desk: TestDesk;
  const streams: OpenStream[] = [];
  const open = async (options: Parameters<typeof openEventStream>[1] = {}) => {
    const stream = await openEventStream(`${desk.url}/api/events`, options);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await desk?.stop();
  });

  /** A new open Jiko case (CREATED), nobody holding it. */
  const newCase = async () => (await onboardApplication(desk, 'jiko', applicant('3'))).applicationId;

  it('When nobody is signed in, or the session has ended, then the stream is refused with 401', async () => {
    const anonymous = await open();
    expect(anonymous.status).toBe(401);

    const member = await desk.signIn(emailOf('analyst'), testPassword);
    expect((await member.post('/api/auth/logout')).status).toBe(204);
    const ended = await open({ cookie: member.cookie });
    expect(ended.status).toBe(401);
    await ended.ended;
    expect(ended.events).toEqual([]);
  });

  it('When a client does not ask for an event stream, then it is told to (400 naming accept)', async () => {
    const res = await desk.as('analyst').fetch('/api/events', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors?: Record<string, string[]> };
    expect(Object.keys(body.errors ?? {})).toEqual(['accept']);
  });

  it('When a stream opens, then it is an uncompressed, unbuffered, uncached event stream', async () => {
    const stream = await open({ cookie: desk.as('support').cookie, headers: { 'accept-encoding': 'br, gzip' } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-store');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('content-encoding')).toBeNull();
    stream.close();
  });

  it('When the session of an open stream is ended elsewhere, then the stream ends soon after', async () => {
    const member = await desk.signIn(emailOf('analyst'), testPassword);
    const stream = await open({ cookie: member.cookie });
    expect(stream.status).toBe(200);
    await waitForLive(stream);
    expect(stream.isEnded()).toBe(false);
    expect((await member.post('/api/auth/logout')).status).toBe(204);
    await eventuallyEnded(stream);
  });

  it("When a stream ends, then its length is not counted as a request's latency; a refused stream is", async () => {
    const member = await desk.signIn(emailOf('analyst'), testPassword);
    const stream = await open({ cookie: member.cookie });
    expect(stream.status).toBe(200);
    await waitForLive(stream);
    expect((await member.post('/api/auth/logout')).status).toBe(204);
    await eventuallyEnded(stream);
    expect((await open()).status).toBe(401);
    const metrics = await (await fetch(`${desk.url}/metrics`)).text();
    const count = (status: number) =>
      new RegExp(
        `^desk_http_request_duration_seconds_count\\{[^}]*route="/api/events",status="${status}"\\} \\d+$`,
        'm',
      );
    expect(metrics).toMatch(count(401));
    expect(metrics).not.toMatch(count(200));
  });

  it('When a colleague claims a case, then the stream says the case was claimed and by whom', async () => {
    const applicationId = await newCase();
    const stream = await open({ cookie: desk.as('senior_analyst').cookie });
    await waitForLive(stream);
    const analyst = desk.as('analyst');
    expect((await analyst.post(`/api/applications/${applicationId}/claim`)).status).toBe(200);
    const [event] = await stream.waitForEvents(aboutCase(applicationId));
    const detail = (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body;
    expect(event?.id).toMatch(/^\d+$/);
    expect(caseOf(event as StreamEvent)).toMatchObject({
      applicationId,
      version: detail.version,
      action: 'application.claimed',
      change: 'Case claimed',
      by: { kind: 'staff', name: analyst.me.name, staffId: analyst.me.id },
    });
  });

  it("When a provider's webhook changes a case, then the stream says what changed and that the provider did it", async () => {
    const applicationId = await newCase();
    const applied = await desk.post<ProviderAction>(`/api/applications/${applicationId}/reapply`);
    expect(applied.status).toBe(202);
    const review = await eventually(
      () => desk.get<ApplicationDetail>(`/api/applications/${applicationId}`),
      (res) => res.body.providerStatus === 'MANUAL_REVIEW',
    );
    const stream = await open({ cookie: desk.as('support').cookie });
    await waitForLive(stream);
    const resolved = await resolveAtJikoSandbox(
      desk.url,
      review.body.providerApplicationId,
      'REJECTED',
      await jikoSandboxToken(desk.url),
    );
    expect(resolved.status).toBe(200);
    const [event] = await stream.waitForEvents(
      (e) => aboutCase(applicationId)(e) && caseOf(e).action === 'application.status_changed',
    );
    expect(caseOf(event as StreamEvent)).toMatchObject({
      applicationId,
      change: 'Stage changed from Manual review to Rejected',
      by: { kind: 'provider', name: 'Jiko', staffId: null },
    });
  });

  it('When a provider raises a flag without changing the status, then the stream says which flag and that the provider did it', async () => {
    const applicationId = await newCase();
    const before = (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body;
    expect(before.flags.idVerification).toBe(false);
    const stream = await open({ cookie: desk.as('support').cookie });
    await waitForLive(stream);
    // Jiko's reviewers raise the flag on their side; the desk learns it on its next read.
    await sql`UPDATE sandbox.jiko_applications SET flag_id_verification = true WHERE id = ${before.providerApplicationId}`.execute(
      desk.db,
    );
    expect((await desk.as('analyst').post(`/api/applications/${applicationId}/refresh`)).status).toBe(202);
    const [event] = await stream.waitForEvents(
      (e) => aboutCase(applicationId)(e) && caseOf(e).action === 'application.provider_update_applied',
    );
    expect(caseOf(event as StreamEvent)).toMatchObject({
      applicationId,
      change: 'ID verification flag raised',
      by: { kind: 'provider', name: 'Jiko', staffId: null },
    });
    const after = (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body;
    expect(after.providerStatus).toBe(before.providerStatus);
    expect(after.flags.idVerification).toBe(true);
    expect(after.statusHistory).toHaveLength(before.statusHistory.length);
  });

  it('When a stream resumes with Last-Event-ID, then it is sent each missed change once, in order, then the live ones', async () => {
    const applicationId = await newCase();
    const analyst = desk.as('analyst');
    const first = await open({ cookie: desk.as('senior_analyst').cookie });
    await waitForLive(first);
    expect((await analyst.post(`/api/applications/${applicationId}/claim`)).status).toBe(200);
    const [seen] = await first.waitForEvents(
      (e) => aboutCase(applicationId)(e) && caseOf(e).action === 'application.claimed',
    );
    first.close();

    // Missed while away: a release, a note and a claim.
    expect((await analyst.post(`/api/applications/${applicationId}/release`)).status).toBe(200);
    expect(
      (await analyst.post(`/api/applications/${applicationId}/notes`, { body: 'Called the customer' })).status,
    ).toBe(201);
    expect((await analyst.post(`/api/applications/${applicationId}/claim`)).status).toBe(200);

    const resumed = await open({ cookie: desk.as('senior_analyst').cookie, lastEventId: seen?.id ?? '' });
    const missed = await resumed.waitForEvents(aboutCase(applicationId), 3);
    expect(missed.map((e) => caseOf(e).action)).toEqual([
      'application.released',
      'application.note_added',
      'application.claimed',
    ]);
    const ids = missed.map((e) => Number(e.id));
    expect(ids.every((id) => id > Number(seen?.id))).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    await waitForLive(resumed);
    expect((await analyst.post(`/api/applications/${applicationId}/release`)).status).toBe(200);
    const all = await resumed.waitForEvents(aboutCase(applicationId), 4);
    expect(all.map((e) => caseOf(e).action)).toEqual([
      'application.released',
      'application.note_added',
      'application.claimed',
      'application.released',
    ]);
    const everyId = resumed.events.map((e) => e.id);
    expect(new Set(everyId).size).toBe(everyId.length);
    expect(resumed.events.some((e) => e.event === 'reset')).toBe(false);
  });

  it.each([
    ['not a position', 'yesterday'],
    ['a position the trail has not reached', '999999999999'],
  ])('When a stream resumes from %s, then it is sent a reset and then live changes', async (_what, lastEventId) => {
    const stream = await open({ cookie: desk.as('analyst').cookie, lastEventId });
    expect(stream.status).toBe(200);
    const [reset] = await stream.waitForEvents((e) => e.event === 'reset');
    expect(reset?.id).toMatch(/^\d+$/);
    expect(JSON.parse(reset?.data ?? '{}')).toHaveProperty('reason');
    await waitForLive(stream);
    const applicationId = await newCase();
    await stream.waitForEvents(aboutCase(applicationId));
  });
});

describe.each(databaseKinds.filter((kind) => kind === 'postgres'))(
  'Live updates when audit ids commit out of order on %s database',
  (kind) => {
    let desk: TestDesk;
    let stream: OpenStream | undefined;
    beforeAll(async () => {
      desk = await startTestDesk(kind);
    });
    afterAll(async () => {
      stream?.close();
      await desk?.stop();
    });

    it('When a change with a lower audit id commits after one with a higher id, then a stream opened between them is sent both, in order', async () => {
      const held = (await onboardApplication(desk, 'jiko', applicant('3'))).applicationId;
      const claimed = (await onboardApplication(desk, 'jiko', applicant('3'))).applicationId;
      let heldId = 0;
      await desk.db.transaction().execute(async (trx) => {
        // A writer in another lane takes an id and has not committed yet.
        await recordAudit(
          trx,
          { kind: 'system' },
          {
            action: 'application.released',
            entityId: held,
            applicationId: held,
            data: { heldBy: null },
          },
        );
        heldId = (
          await trx
            .selectFrom('audit_events')
            .select('id')
            .where('application_id', '=', held)
            .where('action', '=', 'application.released')
            .executeTakeFirstOrThrow()
        ).id;
        // Meanwhile a higher id commits, and a stream opens: it must not start past the id in flight.
        expect((await desk.as('analyst').post(`/api/applications/${claimed}/claim`)).status).toBe(200);
        const claimedId = await desk.db
          .selectFrom('audit_events')
          .select('id')
          .where('application_id', '=', claimed)
          .where('action', '=', 'application.claimed')
          .executeTakeFirstOrThrow();
        expect(claimedId.id).toBeGreaterThan(heldId);
        stream = await openEventStream(`${desk.url}/api/events`, { cookie: desk.as('senior_analyst').cookie });
        await waitForLive(stream);
      });
      const open = stream as OpenStream;
      // (The stream may start a little before it opened, never after: earlier events of these cases may come too.)
      const [released] = await open.waitForEvents(
        (e) => aboutCase(held)(e) && caseOf(e).action === 'application.released',
      );
      expect(released?.id).toBe(String(heldId));
      expect(caseOf(released as StreamEvent).action).toBe('application.released');
      const [claim] = await open.waitForEvents(
        (e) => aboutCase(claimed)(e) && caseOf(e).action === 'application.claimed',
      );
      expect(Number(claim?.id)).toBeGreaterThan(heldId);
      const ids = open.events.filter((e) => e.event === 'case').map((e) => Number(e.id));
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
    });
  },
);

/** The stream has sent its replay and follows the trail live (its `: live` comment). */
async function waitForLive(stream: OpenStream): Promise<void> {
  await waitFor(async () => stream.comments.includes('live'), { what: 'the stream to go live' });
}

async function eventuallyEnded(stream: OpenStream): Promise<void> {
  await waitFor(async () => stream.isEnded(), { timeoutMs: 20_000, what: 'the stream to end' });
}

describe.each(databaseKinds.filter((kind) => kind === 'postgres'))(
  'Live updates across two desk processes on %s database',
  { timeout: 180_000 },
  (kind) => {
    let database: ProcessDatabase;
    let first: DeskProcess;
    let second: DeskProcess;
    let stream: OpenStream | null = null;

    beforeAll(async () => {
      database = await createProcessDatabase(kind);
      await createProcessStaff(
        database,
        [
          { email: 'ana@test.desk', role: 'analyst' },
          { email: 'ben@test.desk', role: 'senior_analyst' },
        ],
        testPassword,
      );
      const env = { ...database.env, DESK_SANDBOXES: 'true', DESK_DEMO_COUNT: '10' };
      first = await spawnDesk(env);
      second = await spawnDesk({ ...env, DESK_DEMO_DATA: 'false' });
    }, 240_000);
    afterAll(async () => {
      stream?.close();
      for (const desk of [first, second]) {
        if (desk && desk.child.exitCode === null)
          await stopDeskProcess(desk, 'SIGTERM').catch(() => desk.child.kill('SIGKILL'));
      }
      await database?.drop();
    });

    it('When a case is claimed through one desk, then a stream opened on the other desk is told', async () => {
      const onSecond = await signInClient(second.url, 'ben@test.desk', testPassword);
      stream = await openEventStream(`${second.url}/api/events`, { cookie: onSecond.cookie });
      expect(stream.status).toBe(200);
      await waitForLive(stream);

      const onFirst = await signInClient(first.url, 'ana@test.desk', testPassword);
      const next = await onFirst.post<{ id: string }>('/api/applications/next', {});
      expect(next.status).toBe(200);
      const [event] = await stream.waitForEvents(aboutCase(next.body.id));
      expect(caseOf(event as StreamEvent)).toMatchObject({
        action: 'application.claimed',
        by: { kind: 'staff', name: onFirst.me.name, staffId: onFirst.me.id },
      });
    });
  },
);
