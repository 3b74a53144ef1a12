/**
 * Internal review outcomes and four-eyes: an escalated case is resolved only by a senior
 * analyst who did not escalate it; every outcome is on the case and on the audit trail.
 */

import { createStaff, onboardApplication } from '@desk/server';
import type { ApplicationDetail, ErrorBody, Outcome } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { type DeskClient, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';

describe.each(databaseKinds)('review outcomes on %s database', (kind) => {
  let desk: TestDesk;
  let secondSenior: DeskClient;
  let caseIds: string[];
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 12 });
    await createStaff(
      desk.db,
      { email: 'second.senior@test.desk', name: 'Second Senior', role: 'senior_analyst', password: testPassword },
      { kind: 'system' },
    );
    secondSenior = await desk.signIn('second.senior@test.desk', testPassword);
    // Cases just created at Jiko: nothing open on them, so clearing needs no override
    // (outcome-override.test.ts covers cases with open items).
    caseIds = [];
    for (let i = 0; i < 4; i++) caseIds.push((await onboardApplication(desk, 'jiko', applicant('4'))).applicationId);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  const record = async (client: DeskClient, id: string, outcome: string, reasonCode: string, version?: number) =>
    client.post<Outcome & ErrorBody>(`/api/applications/${id}/outcomes`, {
      outcome,
      reasonCode,
      note: `${outcome} because ${reasonCode}`,
      version: version ?? (await caseOf(id)).version,
    });

  it('When an analyst clears a case, then the outcome is on the case, the version moves on, and it is audited', async () => {
    const id = caseIds[0] ?? '';
    const before = await caseOf(id);
    const res = await record(desk.as('analyst'), id, 'cleared', 'documents_verified', before.version);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      outcome: 'cleared',
      reasonCode: 'documents_verified',
      actor: { role: 'analyst' },
    });
    const after = await caseOf(id);
    expect(after.version).toBe(before.version + 1);
    expect(after.outcomes.map((o) => o.outcome)).toEqual(['cleared']);
    const audit = await desk.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'application.outcome_recorded')
      .where('application_id', '=', id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe(desk.as('analyst').me.email);
    expect(audit[0]?.data).toMatchObject({ outcome: 'cleared', reasonCode: 'documents_verified' });
  });

  it('When the version is stale, then the answer is 409 and nothing is recorded', async () => {
    const id = caseIds[1] ?? '';
    const stale = (await caseOf(id)).version - 1;
    const res = await record(desk.as('analyst'), id, 'cleared', 'documents_verified', stale);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('stale_version');
    expect((await caseOf(id)).outcomes).toEqual([]);
  });

  it('When the input is bad, then a 400 names each field (a reason code must belong to its outcome)', async () => {
    const id = caseIds[1] ?? '';
    const res = await desk.as('analyst').post<ErrorBody>(`/api/applications/${id}/outcomes`, {
      outcome: 'cleared',
      reasonCode: 'possible_pep',
      note: '  ',
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors ?? {}).sort()).toEqual(['note', 'reasonCode', 'version']);
    const unknown = await desk.as('analyst').post<ErrorBody>(`/api/applications/${id}/outcomes`, {
      outcome: 'approved',
      reasonCode: 'x',
      note: 'n',
      version: 1,
    });
    expect(Object.keys(unknown.body.errors ?? {})).toContain('outcome');
    const missing = await record(desk.as('analyst'), '00000000-0000-4000-8000-000000000009', 'cleared', 'other', 1);
    expect(missing.status).toBe(404);
  });

  it('When an analyst escalates, then neither analysts nor the escalator may resolve it, and another senior analyst does', async () => {
    const id = caseIds[2] ?? '';
    expect((await record(desk.as('analyst'), id, 'escalated', 'possible_pep')).status).toBe(201);

    const byAnalyst = await record(desk.as('analyst'), id, 'cleared', 'false_positive_match');
    expect(byAnalyst.status).toBe(403);
    expect(byAnalyst.body.message).toMatch(/senior analyst/);
    const support = await record(desk.as('support'), id, 'cleared', 'false_positive_match');
    expect(support.status).toBe(403);

    const bySenior = await record(desk, id, 'recommend_reject', 'sanctions_match');
    expect(bySenior.status).toBe(201);
    expect(bySenior.body.actor.role).toBe('senior_analyst');
    expect((await caseOf(id)).outcomes.map((o) => o.outcome)).toEqual(['recommend_reject', 'escalated']);
    const audit = await desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'application.outcome_recorded')
      .where('application_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.data)).toMatchObject([{ resolvesEscalation: false }, { resolvesEscalation: true }]);
  });

  it('When a senior analyst escalates, then they cannot resolve it themselves (four-eyes), a second senior can', async () => {
    const id = caseIds[3] ?? '';
    expect((await record(desk, id, 'escalated', 'suspected_document_fraud')).status).toBe(201);
    const self = await record(desk, id, 'cleared', 'documents_verified');
    expect(self.status).toBe(403);
    expect(self.body.message).toMatch(/Four-eyes/);
    // Escalating again is also a resolution: the same rule applies.
    expect((await record(desk, id, 'escalated', 'adverse_media')).status).toBe(403);
    const other = await record(secondSenior, id, 'cleared', 'false_positive_match');
    expect(other.status).toBe(201);
    expect(other.body.actor.email).toBe('second.senior@test.desk');
  });
});
