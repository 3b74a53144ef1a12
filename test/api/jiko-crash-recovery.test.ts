/**
 * A desk killed outright (kill -9) in the middle of delivering an action: the provider had
 * already acted, but the desk never heard its answer. After a restart the job is retried with
 * the same idempotency key, the provider answers from its record, and nothing happens twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApplicationDetail, ProviderAction } from '@desk/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { applicant, eventually, intakeRequest } from '../support/applicants.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { deskClient, signInClient, testPassword } from '../support/desk.js';
import { startFlakyProxy } from '../support/flaky-proxy.js';
import { type DeskProcess, processPiiEnv, runDeskCli, spawnDesk, stopDeskProcess } from '../support/process.js';
import { realFile } from '../support/uploads.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'desk-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.each(databaseKinds)('a desk killed mid-delivery on %s database', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('When the desk dies after the provider acted, then on restart the action completes once', async () => {
    let database: TestDatabase | null = null;
    if (kind === 'postgres') {
      database = await createTestDatabase('postgres');
      const db = database;
      cleanups.push(() => db.drop());
    }
    // The desk picks its port at every start; the proxy forwards to wherever it is now.
    let deskUrl = '';
    const proxy = await startFlakyProxy(() => `${deskUrl}/sandbox/jiko`);
    cleanups.push(() => proxy.close());
    const env: Record<string, string> = {
      DESK_DEMO_DATA: 'false',
      DESK_JOB_EXPIRE_SECONDS: '2',
      // The Jiko sandbox on this desk, reached through the proxy: a base URL of its own, so
      // the credentials must not be the README defaults (the sandbox accepts whatever is set).
      DESK_SANDBOXES: 'true',
      JIKO_BASE_URL: proxy.url,
      JIKO_USERNAME: 'crash-test',
      JIKO_PASSWORD: 'crash-test-password',
      JIKO_SIGNING_SECRET: 'crash-test-signing-secret',
      JIKO_WEBHOOK_SECRET: 'crash-test-webhook-secret',
      JIKO_TIMEOUT_MS: '60000',
      ...(database?.target.kind === 'url'
        ? { DATABASE_URL: database.target.url, ...processPiiEnv }
        : { DESK_DATA_DIR: path.join(dataDir, kind) }),
    };
    // Staff are created with the admin CLI before the desk starts (it holds the data folder).
    const staffCreated = await runDeskCli(['staff:create', '--email', 'dana@test.desk', '--role', 'senior_analyst'], {
      ...env,
      DESK_STAFF_PASSWORD: testPassword,
    });
    expect(staffCreated.output).toMatch(/created senior_analyst dana@test.desk/);
    expect(staffCreated.code).toBe(0);
    let desk: DeskProcess = await spawnDesk(env);
    deskUrl = desk.url;
    cleanups.push(async () => {
      desk.child.kill('SIGKILL');
    });
    let staff = await signInClient(desk.url, 'dana@test.desk', testPassword);
    const call = async <T>(method: string, route: string, body?: unknown) => {
      const res = await staff.fetch(route, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    const caseOf = async (id: string) => (await call<ApplicationDetail>('GET', `/api/applications/${id}`)).body;

    const person = applicant('232');
    const created = await call<{ id: string }>('POST', '/api/applications', intakeRequest('jiko', person));
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call('POST', `/api/applications/${id}/reapply`)).status).toBe(202);
    await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'DOCUMENTS_NEEDED',
      20_000,
    );

    // The provider takes the upload, but its answer is held back while the desk is killed.
    proxy.setMode({ kind: 'hold-answer', ms: 60_000, times: 1 });
    const form = new FormData();
    form.set('type', 'ADDRESS_VERIFICATION');
    form.set('file', realFile('application/pdf', 4096, 5), 'utility-bill.pdf');
    const upload = await staff.fetch(`/api/applications/${id}/documents`, { method: 'POST', body: form });
    expect(upload.status).toBe(202);
    const uploadsSeen = () =>
      Promise.resolve(proxy.seen.filter((s) => s.path.includes('/documents/ADDRESS_VERIFICATION/file/')));
    await eventually(uploadsSeen, (seen) => seen.length === 1, 20_000);
    const sending = await caseOf(id);
    expect(sending.providerActions.find((a) => a.kind === 'upload_document')?.state).toBe('sending');

    desk.child.kill('SIGKILL');
    await desk.exited;
    proxy.setMode({ kind: 'pass' });
    desk = await spawnDesk(env);
    deskUrl = desk.url;
    // Sessions live in the database: the same cookie still works after the restart.
    expect((await deskClient(desk.url, staff.cookie).get('/api/auth/me')).status).toBe(200);
    staff = await signInClient(desk.url, 'dana@test.desk', testPassword);

    const done = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'PENDING' && c.providerActions.every((a: ProviderAction) => a.state === 'done'),
      60_000,
    );
    const uploads = await uploadsSeen();
    expect(uploads).toHaveLength(2);
    expect(uploads[1]?.idempotencyKey).toBe(uploads[0]?.idempotencyKey);
    expect(uploads[1]?.replayed).toBe(true);
    expect(done.documents.filter((d) => d.type === 'ADDRESS_VERIFICATION' && d.status === 'UPLOADED')).toHaveLength(1);
    expect(done.providerActions.find((a) => a.kind === 'upload_document')?.attempts).toBe(2);
    expect(done.statusHistory.map((h) => h.toStatus)).toEqual(['CREATED', 'SUBMITTED', 'DOCUMENTS_NEEDED', 'PENDING']);
    expect(await stopDeskProcess(desk, 'SIGTERM')).toBe(0);
  }, 240_000);
});
