import type { ErrorBody } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

describe.each(databaseKinds)('operations on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 20 });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When probed, then health and readiness answer ok on a migrated database', async () => {
    expect((await desk.get<{ ok: boolean }>('/healthz')).body.ok).toBe(true);
    const ready = await desk.get<{ ok: boolean; migrated: boolean }>('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ok: true, migrated: true });
  });

  it('When the OpenAPI document is fetched, then it describes the queue routes and their schemas', async () => {
    const res = await desk.get<{
      openapi: string;
      paths: Record<string, { get?: { parameters: { name: string }[] } }>;
      components: { schemas: Record<string, unknown> };
    }>('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    const list = res.body.paths['/api/applications']?.get;
    expect(list?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'stage',
        'provider',
        'providerStatus',
        'flag',
        'assignee',
        'createdFrom',
        'createdTo',
        'q',
        'sort',
        'order',
        'limit',
        'cursor',
      ]),
    );
    expect(Object.keys(res.body.components.schemas)).toEqual(
      expect.arrayContaining(['ApplicationSummary', 'ApplicationDetail', 'ApplicationStats', 'Error']),
    );
    expect(JSON.stringify(res.body)).not.toContain('#/definitions/');
  });

  it('When an unknown API route is called, then the answer is a JSON 404', async () => {
    const res = await desk.get<ErrorBody>('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('When a malformed JSON body is sent, then the answer is 400, not 500', async () => {
    const res = await desk.fetch(`/api/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"broken":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).code).toBe('validation_failed');
  });

  it('When anyone tries to rewrite status history, then the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql`update status_history set reason = 'edited'`.execute(desk.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from status_history`.execute(desk.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate status_history`.execute(desk.db)).rejects.toThrow(/append-only/);
    const rows = await desk.db
      .selectFrom('status_history')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(rows.n).toBeGreaterThan(0);
  });

  it('When the desk runs in sandbox mode, then the Fin.com and generic KYC sandboxes answer on their own APIs', async () => {
    const unauthenticated = await fetch(`${desk.url}/sandbox/fin/v1/occupations`);
    expect(unauthenticated.status).toBe(401);
    const occupations = await fetch(`${desk.url}/sandbox/fin/v1/occupations`, {
      headers: { authorization: 'Bearer fin-sandbox-token' },
    });
    expect(occupations.status).toBe(200);
    const created = await fetch(`${desk.url}/sandbox/kyc/api/v1/customers`, {
      method: 'POST',
      headers: { authorization: 'Bearer kyc-sandbox-api-key', 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'INDIVIDUAL',
        email: 'test-success@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
      }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { status: string }).status).toBe('CREATED');
  });
});
