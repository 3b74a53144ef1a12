/**
 * Retry-safe intake: an application is created at a provider through the outbox, keyed by the
 * request's Idempotency-Key, so that a lost answer, a retried request, two requests at once and
 * a desk killed mid-creation each end in one application at the provider and one at the desk.
 * Also a Fin.com partner on V1 onboarding an applicant through the desk's intake.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type NewApplicant,
  onboardApplication,
  sandboxFinSettings,
  sandboxJikoSettings,
  sandboxKycSettings,
} from '@desk/server';
import { FinAdapter, KycAdapter, ProviderCallError } from '@desk/server/internals';
import {
  type ApplicationDetail,
  type AuditEventList,
  type CustomerSearchResult,
  type ErrorBody,
  finStatuses,
  type PendingIntake,
} from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, intakeRequest } from '../support/applicants.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { type DeskClient, signInClient, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';
import { type FlakyProxy, startFlakyProxy } from '../support/flaky-proxy.js';
import { PatchTroubleProxy } from '../support/patch-trouble-proxy.js';
import { type DeskProcess, processPiiEnv, runDeskCli, spawnDesk, stopDeskProcess } from '../support/process.js';
import { realFile, uploadDocument } from '../support/uploads.js';

type Answer = { id: string; providerApplicationId: string } | PendingIntake | ErrorBody;

/** Posts an intake with an Idempotency-Key. */
async function postIntake(client: Pick<DeskClient, 'fetch'>, key: string, body: unknown) {
  const res = await client.fetch('/api/applications', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

/** Retries the intake with the same key until the desk answers the created application. */
async function retriedUntilCreated(client: Pick<DeskClient, 'fetch'>, key: string, body: unknown) {
  const answer = await eventually(
    () => postIntake(client, key, body),
    (a) => a.status !== 202,
    30_000,
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; providerApplicationId: string };
}

/** The desk's customers with this email, with their applications (customer lookup). */
async function customersByEmail(client: Pick<DeskClient, 'get'>, email: string) {
  const found = await client.get<CustomerSearchResult>(`/api/customers?q=${encodeURIComponent(email)}`);
  expect(found.status).toBe(200);
  return found.body.data.filter((c) => c.email === email.toLowerCase());
}

const applicationPosts = (proxy: FlakyProxy, key: string | null = null) =>
  proxy.seen.filter(
    (s) => s.method === 'POST' && s.path === '/api/v1/applications/' && (key === null || s.idempotencyKey === key),
  );

/** The intake an application was created from. */
async function intakeOf(desk: TestDesk, applicationId: string) {
  return desk.db
    .selectFrom('intakes')
    .select(['id', 'state', 'attempts'])
    .where('application_id', '=', applicationId)
    .executeTakeFirstOrThrow();
}

/** The intake recorded under a key. */
async function intakeByKey(desk: TestDesk, key: string) {
  return desk.db
    .selectFrom('intakes')
    .select(['id', 'state', 'gave_up', 'attempts', 'application_id'])
    .where('idempotency_key', '=', key)
    .executeTakeFirstOrThrow();
}

/** The queue's jobs for an intake, whatever their state (`queued`: only those no worker has taken yet). */
const intakeJobs = (desk: TestDesk, intakeId: string, queued = false) =>
  desk.jobs.boss.findJobs<{ intakeId: string }>('intake', { data: { intakeId }, ...(queued ? { queued } : {}) });

/**
 * Lets an intake's retries run out at its next attempt, made now: the queue's retry budget of
 * its job cut to the attempts it has made (rather than waiting out minutes of backoff).
 */
async function runOutRetries(desk: TestDesk, intakeId: string) {
  await eventually(
    async () => {
      const [job] = await intakeJobs(desk, intakeId, true);
      if (!job) return 0;
      const cut = await desk.jobs.boss.update('intake', undefined, {
        id: job.id,
        retryLimit: job.retryCount,
        startAfter: 0,
      });
      return cut.updated;
    },
    (updated) => updated > 0,
  );
}

describe.each(databaseKinds)('retry-safe intake on %s database', (kind) => {
  let desk: TestDesk;
  let proxy: FlakyProxy;
  beforeAll(async () => {
    let deskUrl = '';
    proxy = await startFlakyProxy(() => `${deskUrl}/sandbox/jiko`);
    // Jiko through the proxy, with a short timeout so that a held answer is a lost one.
    desk = await startTestDesk(kind, { jiko: { ...sandboxJikoSettings, baseUrl: proxy.url, timeoutMs: 1500 } });
    deskUrl = desk.url;
    // Signed in at Jiko before any trouble (the login is a POST too).
    await onboardApplication(desk, 'jiko', applicant('4'));
  });
  afterAll(async () => {
    await desk?.stop();
    await proxy?.close();
  });

  const jikoApplicationsFor = async (email: string) =>
    (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM sandbox.jiko_applications WHERE email = ${email}`.execute(
        desk.db,
      )
    ).rows[0]?.n;

  it("When the provider's answer to the creation is lost, then the desk answers 202, retries with the same key, and the retried request gets the one application", async () => {
    const person = applicant('4');
    const body = intakeRequest('jiko', person);
    const key = randomUUID();
    proxy.setMode({ kind: 'hold-answer', ms: 4000, times: 1 });
    const first = await postIntake(desk, key, body);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body).toMatchObject({ state: 'retrying', attempts: 1 });
    expect((first.body as PendingIntake).lastError).toMatch(/time|abort/i);
    proxy.setMode({ kind: 'pass' });

    const created = await retriedUntilCreated(desk, key, body);
    // Asked again later: the same application, nothing sent.
    const postsBefore = applicationPosts(proxy).length;
    expect((await postIntake(desk, key, body)).body).toEqual(created);
    expect(applicationPosts(proxy)).toHaveLength(postsBefore);

    const posts = applicationPosts(proxy, key);
    expect(posts.length).toBeGreaterThanOrEqual(2);
    expect(posts.slice(1).every((p) => p.replayed)).toBe(true);
    expect(await jikoApplicationsFor(person.email)).toBe(1);
    const customers = await customersByEmail(desk, person.email);
    expect(customers).toHaveLength(1);
    expect(customers[0]?.applications.map((a) => a.id)).toEqual([created.id]);
    const detail = (await desk.get<ApplicationDetail>(`/api/applications/${created.id}`)).body;
    expect(detail.providerApplicationId).toBe(created.providerApplicationId);
    expect(detail.statusHistory.map((h) => h.toStatus)).toEqual(['CREATED']);
  });

  it('When two requests with the same key arrive at once, then one creation is sent and both get the same application', async () => {
    const person = applicant('4');
    const body = intakeRequest('jiko', person);
    const key = randomUUID();
    const [a, b] = await Promise.all([postIntake(desk, key, body), postIntake(desk, key, body)]);
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(applicationPosts(proxy, key)).toHaveLength(1);
    expect(await jikoApplicationsFor(person.email)).toBe(1);
    expect(await customersByEmail(desk, person.email)).toHaveLength(1);
  });

  it('When a key is sent again with another application, or is not a valid key, then it is refused and nothing is sent', async () => {
    const key = randomUUID();
    const first = await postIntake(desk, key, intakeRequest('jiko', applicant('4')));
    expect(first.status).toBe(201);
    const postsBefore = applicationPosts(proxy).length;
    const other = applicant('4');
    const reused = await postIntake(desk, key, intakeRequest('jiko', other));
    expect(reused.status).toBe(409);
    expect((reused.body as ErrorBody).message).toMatch(/Idempotency-Key was already used for another application/);
    const invalid = await postIntake(desk, 'not a key', intakeRequest('jiko', other));
    expect(invalid.status).toBe(400);
    expect((invalid.body as ErrorBody).errors).toHaveProperty('Idempotency-Key');
    expect(applicationPosts(proxy)).toHaveLength(postsBefore);
    expect(await customersByEmail(desk, other.email)).toHaveLength(0);
  });

  it('When an intake whose retries gave up is sent again with its key, then it is tried afresh, the one application is created and the resend is audited', async () => {
    const person = applicant('4');
    const body = intakeRequest('jiko', person);
    const key = randomUUID();
    // Jiko creates the application but its answer is lost; then it stays unreachable.
    proxy.setMode({ kind: 'hold-answer', ms: 4000, times: 1 });
    const first = await postIntake(desk, key, body);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const { id: intakeId } = await intakeByKey(desk, key);
    const givenUp = () =>
      eventually(
        () => intakeByKey(desk, key),
        (i) => i.gave_up,
        30_000,
      );
    proxy.setMode({ kind: 'fail', status: 503, times: 10_000 });
    const { gaveUp, again } = await (async () => {
      try {
        await runOutRetries(desk, intakeId);
        const gaveUp = await givenUp();
        // Sent again while Jiko is still unreachable: a fresh attempt, answered as pending.
        const unavailable = await postIntake(desk, key, body);
        expect(unavailable.status, JSON.stringify(unavailable.body)).toBe(202);
        expect(unavailable.body).toMatchObject({ intakeId, state: 'retrying', attempts: gaveUp.attempts + 1 });
        await runOutRetries(desk, intakeId);
        return { gaveUp, again: await givenUp() };
      } finally {
        proxy.setMode({ kind: 'pass' });
      }
    })();
    // Jiko is back. The same key with another application is still refused, and sends nothing.
    const otherBody = intakeRequest('jiko', applicant('4'));
    const postsBefore = applicationPosts(proxy).length;
    const reused = await postIntake(desk, key, otherBody);
    expect(reused.status).toBe(409);
    expect((await intakeByKey(desk, key)).gave_up).toBe(true);
    expect(applicationPosts(proxy)).toHaveLength(postsBefore);
    // The same application: tried afresh, and created from Jiko's record of the first creation.
    const resent = await postIntake(desk, key, body);
    expect(resent.status, JSON.stringify(resent.body)).toBe(201);
    const created = resent.body as { id: string; providerApplicationId: string };
    expect(await intakeByKey(desk, key)).toMatchObject({
      state: 'done',
      attempts: again.attempts + 1,
      application_id: created.id,
    });
    const posts = applicationPosts(proxy, key);
    expect(posts.at(-1)?.replayed).toBe(true);
    expect(await jikoApplicationsFor(person.email)).toBe(1);
    const customers = await customersByEmail(desk, person.email);
    expect(customers.map((c) => c.applications.map((a) => a.id))).toEqual([[created.id]]);
    expect((await postIntake(desk, key, body)).body).toEqual(created);

    const audited = await desk
      .as('auditor')
      .get<AuditEventList>(`/api/audit-events?action=intake.resent&entityId=${intakeId}&order=asc`);
    expect(audited.status).toBe(200);
    expect(audited.body.data).toHaveLength(2);
    expect(audited.body.data.map((e) => [e.actor, e.entityType, e.data])).toEqual([
      [
        desk.as('senior_analyst').me.email,
        'intake',
        { provider: 'jiko', attempts: gaveUp.attempts, providerApplicationId: null },
      ],
      [
        desk.as('senior_analyst').me.email,
        'intake',
        { provider: 'jiko', attempts: again.attempts, providerApplicationId: null },
      ],
    ]);
  }, 120_000);

  it('When the provider refused an intake, then the same request sent again is answered the refusal, sends nothing and leaves no job', async () => {
    const key = randomUUID();
    const body = intakeRequest('jiko', applicant('4'));
    proxy.setMode({ kind: 'fail', status: 400, times: 1 });
    const refused = await postIntake(desk, key, body);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    const seen = proxy.seen.length;
    const again = await postIntake(desk, key, body);
    expect(again).toEqual(refused);
    expect(proxy.seen).toHaveLength(seen);
    const intake = await intakeByKey(desk, key);
    expect(intake).toMatchObject({ gave_up: true, attempts: 1 });
    expect(await intakeJobs(desk, intake.id)).toEqual([]);
    const audited = await desk.as('auditor').get<AuditEventList>(`/api/audit-events?entityId=${intake.id}`);
    expect(audited.body.data).toEqual([]);
  });

  it('When the request itself creates the application, then no delivery job is left to run for it', async () => {
    const key = randomUUID();
    const body = intakeRequest('jiko', applicant('4'));
    const created = await postIntake(desk, key, body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const intake = await intakeOf(desk, (created.body as { id: string }).id);
    expect(intake).toMatchObject({ state: 'done', attempts: 1 });
    expect(await intakeJobs(desk, intake.id)).toEqual([]);
    // Sent again, it is found done: nothing is queued either.
    expect((await postIntake(desk, key, body)).body).toEqual(created.body);
    expect(await intakeJobs(desk, intake.id)).toEqual([]);
  });

  it("When the answer to the generic provider's KYC submission is lost, then the retry in another adapter carries on with the recorded customer instead of creating a second", async () => {
    const troubled = new PatchTroubleProxy(() => `${desk.url}/sandbox/kyc`);
    await troubled.start();
    try {
      // An adapter of its own (a first process, through the proxy); the desk's worker retries with its own adapter.
      const viaProxy = new KycAdapter({ ...sandboxKycSettings, baseUrl: () => troubled.base, timeoutMs: 5000 });
      const person: NewApplicant = applicant('4', { email: `kyc.${randomUUID().slice(0, 8)}@example.com` });
      troubled.mode = 'lose-patch-answer';
      const lost = await onboardApplication({ ...desk, providers: { ...desk.providers, kyc: viaProxy } }, 'kyc', person)
        .then(() => null)
        .catch((err: unknown) => err);
      expect(lost).toBeInstanceOf(ProviderCallError);
      expect(troubled.seen.map((s) => s.method)).toEqual(['POST', 'PATCH']);

      const intakes = () =>
        desk.db
          .selectFrom('intakes')
          .select(['state', 'attempts', 'application_id', 'provider_application_id', 'applicant'])
          .where('provider', '=', 'kyc')
          .orderBy('created_at', 'desc')
          .limit(1)
          .execute();
      const [done] = await eventually(intakes, ([i]) => i?.state === 'done', 30_000);
      expect(done?.attempts).toBe(2);
      // What was kept only to send it is gone once delivered.
      expect(done?.applicant).toBeNull();
      const customersAtProvider = await sql<{ id: string }>`
        SELECT id FROM sandbox.kyc_customers WHERE email = ${person.email}`.execute(desk.db);
      expect(customersAtProvider.rows.map((r) => r.id)).toEqual([done?.provider_application_id]);
      const customers = await customersByEmail(desk, person.email);
      expect(customers).toHaveLength(1);
      expect(customers[0]?.applications.map((a) => a.id)).toEqual([done?.application_id]);
    } finally {
      await troubled.close();
    }
  });
});

describe.each(databaseKinds)('a Fin.com partner on V1 onboarding through the desk on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
    // The desk as FIN_API_VERSION=v1 connects it: the Fin.com adapter on V1, at the sandbox.
    desk.providers.fin = new FinAdapter({
      ...sandboxFinSettings,
      baseUrl: () => `${desk.url}/sandbox/fin`,
      apiVersion: 'v1',
    });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When an applicant is onboarded through the intake and documents are attached, then the case follows V1 statuses and the customer carries the intake key', async () => {
    const person = applicant('4', { email: `ada.${randomUUID().slice(0, 8)}@example.com` });
    const key = randomUUID();
    const created = await postIntake(desk, key, intakeRequest('fin', person));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id, providerApplicationId } = created.body as { id: string; providerApplicationId: string };
    const atFin = await fetch(`${desk.url}/sandbox/fin/v1/customers/${providerApplicationId}`, {
      headers: { authorization: `Bearer ${sandboxFinSettings.token}` },
    });
    expect(atFin.status).toBe(200);
    const customer = ((await atFin.json()) as { data: { meta_data: Record<string, string> | null } }).data;
    expect(customer.meta_data?.desk_reference).toBe(key);

    const onDesk = (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
    expect(onDesk).toMatchObject({ provider: 'fin', providerStatus: 'INCOMPLETE', stage: 'intake' });
    const details = {
      number: 'X1234567',
      issuingCountry: 'USA',
      expiresOn: `${new Date().getUTCFullYear() + 3}-06-30`,
    };
    expect(
      (await uploadDocument(desk, id, 'PASSPORT', realFile('application/pdf'), 'passport.pdf', details)).status,
    ).toBe(202);
    expect((await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', realFile('image/png'), 'bill.png')).status).toBe(
      202,
    );
    const uploaded = await eventually(
      () => desk.get<ApplicationDetail>(`/api/applications/${id}`).then((r) => r.body),
      (c) => c.providerActions.length === 2 && c.providerActions.every((a) => a.state === 'done'),
    );
    expect(uploaded.actions.reapply).toMatchObject({ allowed: true, label: 'Attach documents' });
    expect((await desk.post(`/api/applications/${id}/reapply`)).status).toBe(202);
    const attached = await eventually(
      () => desk.get<ApplicationDetail>(`/api/applications/${id}`).then((r) => r.body),
      (c) => c.providerStatus !== 'INCOMPLETE',
    );
    const statuses = attached.statusHistory.map((h) => h.toStatus);
    expect(statuses.slice(0, 2)).toEqual(['INCOMPLETE', 'REVIEWING']);
    for (const status of statuses) expect(finStatuses).toContain(status);
    expect(statuses).not.toContain('ACTION_REQUIRED');
  });
});

const dataDir = mkdtempSync(path.join(tmpdir(), 'desk-intake-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.each(databaseKinds)('a desk killed mid-creation on %s database', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('When the desk dies after the provider created the application but before it was recorded, then on restart the one application is found and recorded', async () => {
    let database: TestDatabase | null = null;
    if (kind === 'postgres') {
      database = await createTestDatabase('postgres');
      const db = database;
      cleanups.push(() => db.drop());
    }
    let deskUrl = '';
    const proxy = await startFlakyProxy(() => `${deskUrl}/sandbox/jiko`);
    cleanups.push(() => proxy.close());
    const env: Record<string, string> = {
      DESK_DEMO_DATA: 'false',
      DESK_JOB_EXPIRE_SECONDS: '3',
      DESK_SANDBOXES: 'true',
      JIKO_BASE_URL: proxy.url,
      JIKO_USERNAME: 'intake-crash-test',
      JIKO_PASSWORD: 'intake-crash-test-password',
      JIKO_SIGNING_SECRET: 'intake-crash-test-signing-secret',
      JIKO_WEBHOOK_SECRET: 'intake-crash-test-webhook-secret',
      JIKO_TIMEOUT_MS: '60000',
      ...(database?.target.kind === 'url'
        ? { DATABASE_URL: database.target.url, ...processPiiEnv }
        : { DESK_DATA_DIR: path.join(dataDir, kind) }),
    };
    const staffCreated = await runDeskCli(['staff:create', '--email', 'dana@test.desk', '--role', 'senior_analyst'], {
      ...env,
      DESK_STAFF_PASSWORD: testPassword,
    });
    expect(staffCreated.code).toBe(0);
    let desk: DeskProcess = await spawnDesk(env);
    deskUrl = desk.url;
    cleanups.push(async () => {
      desk.child.kill('SIGKILL');
    });
    let staff = await signInClient(desk.url, 'dana@test.desk', testPassword);
    // Signed in at Jiko before the trouble (the login is a POST too).
    expect((await postIntake(staff, randomUUID(), intakeRequest('jiko', applicant('4')))).status).toBe(201);

    const person = applicant('4');
    const body = intakeRequest('jiko', person);
    const key = randomUUID();
    // Jiko creates the application, but its answer is held back while the desk is killed.
    proxy.setMode({ kind: 'hold-answer', ms: 60_000, times: 1 });
    const lostRequest = postIntake(staff, key, body).catch((err: unknown) => err);
    await eventually(
      () => Promise.resolve(applicationPosts(proxy, key)),
      (posts) => posts.length === 1,
      20_000,
    );
    desk.child.kill('SIGKILL');
    await desk.exited;
    expect(await lostRequest).toBeInstanceOf(Error);
    proxy.setMode({ kind: 'pass' });
    desk = await spawnDesk(env);
    deskUrl = desk.url;
    staff = await signInClient(desk.url, 'dana@test.desk', testPassword);

    // The intake's job takes it up again once the dead attempt's lease has run out.
    const found = await eventually(
      () => customersByEmail(staff, person.email),
      (customers) => customers.length > 0,
      60_000,
    );
    expect(found).toHaveLength(1);
    const posts = applicationPosts(proxy, key);
    expect(posts).toHaveLength(2);
    expect(posts[1]?.replayed).toBe(true);
    // The retried request answers the recorded application, and sends nothing.
    const retried = await postIntake(staff, key, body);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(applicationPosts(proxy, key)).toHaveLength(2);
    const customers = await customersByEmail(staff, person.email);
    expect(customers[0]?.applications.map((a) => a.id)).toEqual([(retried.body as { id: string }).id]);
    expect(await stopDeskProcess(desk, 'SIGTERM')).toBe(0);
  }, 400_000);
});
