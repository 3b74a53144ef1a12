/**
 * Identification numbers: sealed at rest (AES-256-GCM, key id beside each value), looked up
 * only through a keyed hash of the last four, masked in every response, revealed only to a
 * permitted role with a reason that lands on the audit trail — and never in a log line.
 */

import type { ApplicationDetail, ErrorBody, RevealResponse } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

describe.each(databaseKinds)('identification numbers on %s database', (kind) => {
  let desk: TestDesk;
  const logLines: string[] = [];
  let clearNumbers: string[] = [];
  let customerId = '';
  let applicationId = '';
  const intakeNumber = applicant('5').identificationNumber;

  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 20, logLines });
    const person = applicant('5', { identificationNumber: intakeNumber });
    const created = await desk.post<{ id: string }>('/api/applications', intakeRequest('jiko', person));
    expect(created.status).toBe(201);
    applicationId = created.body.id;
    customerId = (
      await desk.db
        .selectFrom('applications')
        .select('customer_id')
        .where('id', '=', applicationId)
        .executeTakeFirstOrThrow()
    ).customer_id;
    const rows = await desk.db
      .selectFrom('customers')
      .select(['identification_number_sealed', 'identification_number_key_id'])
      .execute();
    clearNumbers = rows.map((r) =>
      desk.pii.open({ sealed: r.identification_number_sealed ?? '', keyId: r.identification_number_key_id ?? '' }),
    );
  });
  afterAll(async () => {
    await desk?.stop();
  });

  /** The last audit row's id, so a test counts only the reveals made after it. */
  const auditHead = async () =>
    Number(
      (
        await desk.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow()
      ).id ?? 0,
    );
  const reveals = (afterId: number) =>
    desk.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'customer.pii_revealed')
      .where('id', '>', afterId)
      .orderBy('id')
      .execute();

  it('When customers are stored, then no clear identification number or clear last four is in the customers table', async () => {
    expect(clearNumbers).toContain(intakeNumber);
    expect(clearNumbers.length).toBeGreaterThanOrEqual(21);
    const { rows } = await sql<Record<string, unknown>>`select * from customers`.execute(desk.db);
    const dump = JSON.stringify(rows);
    for (const n of clearNumbers) expect(dump).not.toContain(n);
    for (const row of rows) {
      expect(row.identification_number).toBeNull();
      expect(row.identification_number_last4).toBeNull();
      expect(row.identification_number_key_id).toBe('generated-1');
      expect(String(row.identification_number_last4_hash)).toMatch(/^[0-9a-f]{64}$/);
    }
    // The same last four always hash alike (that is what lookup uses); sealing is randomised.
    const again = desk.pii.seal(intakeNumber);
    const stored = rows.find((r) => r.id === customerId);
    expect(again.sealed).not.toBe(stored?.identification_number_sealed);
    expect(desk.pii.last4Hash(intakeNumber.slice(-4))).toBe(stored?.identification_number_last4_hash);
  });

  it('When a case is read by any role, then the number is masked', async () => {
    for (const role of ['analyst', 'senior_analyst', 'support', 'auditor', 'admin'] as const) {
      const res = await desk.as(role).get<ApplicationDetail>(`/api/applications/${applicationId}`);
      expect(res.status).toBe(200);
      expect(res.body.applicant.identificationNumberMasked).toBe('•••-••-••••');
      expect(JSON.stringify(res.body)).not.toContain(intakeNumber);
      expect(JSON.stringify(res.body)).not.toContain(intakeNumber.slice(-4));
    }
    const list = await desk.get<unknown>('/api/applications?limit=200');
    for (const n of clearNumbers) expect(JSON.stringify(list.body)).not.toContain(n);
  });

  it('When a senior analyst reveals with a reason, then the clear value comes back, uncached, and the reveal is audited', async () => {
    const head = await auditHead();
    const res = await desk.fetch(`/api/customers/${customerId}/reveal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ field: 'identificationNumber', reason: 'Customer called to confirm their SSN on file' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await res.json()) as RevealResponse).toEqual({ field: 'identificationNumber', value: intakeNumber });
    const audit = await reveals(head);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: desk.as('senior_analyst').me.email,
      entity_type: 'customer',
      entity_id: customerId,
    });
    expect(audit[0]?.data).toEqual({
      field: 'identificationNumber',
      reason: 'Customer called to confirm their SSN on file',
    });
    expect(JSON.stringify(audit)).not.toContain(intakeNumber);
  });

  it('When the reveal is not allowed or not justified, then nothing is revealed and nothing audited', async () => {
    const head = await auditHead();
    const body = { field: 'identificationNumber', reason: 'Customer called to confirm their SSN on file' };
    for (const role of ['analyst', 'support', 'auditor', 'admin'] as const) {
      const res = await desk.as(role).post<ErrorBody>(`/api/customers/${customerId}/reveal`, body);
      expect(res.status, role).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain(intakeNumber);
    }
    expect((await desk.anonymous.post(`/api/customers/${customerId}/reveal`, body)).status).toBe(401);
    const short = await desk.post<ErrorBody>(`/api/customers/${customerId}/reveal`, {
      field: 'identificationNumber',
      reason: 'why',
    });
    expect(short.status).toBe(400);
    expect(Object.keys(short.body.errors ?? {})).toEqual(['reason']);
    const wrongField = await desk.post<ErrorBody>(`/api/customers/${customerId}/reveal`, {
      field: 'email',
      reason: 'a long enough reason',
    });
    expect(Object.keys(wrongField.body.errors ?? {})).toEqual(['field']);
    const unknown = await desk.post<ErrorBody>('/api/customers/00000000-0000-4000-8000-000000000003/reveal', body);
    expect(unknown.status).toBe(404);
    const badId = await desk.post<ErrorBody>('/api/customers/not-a-uuid/reveal', body);
    expect(badId.status).toBe(400);
    expect(await reveals(head)).toEqual([]);
  });

  it('When a bad intake is refused, then its error body does not echo the number', async () => {
    const res = await desk.post<ErrorBody>('/api/applications', {
      provider: 'jiko',
      applicant: { identificationNumber: '12345678X' },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('12345678X');
  });

  it('When a number comes in, is shown, revealed, searched for and refused, then no log line carries it', async () => {
    const from = logLines.length;
    const person = applicant('5');
    const number = person.identificationNumber;
    const created = await desk.post<{ id: string }>('/api/applications', intakeRequest('jiko', person));
    expect(created.status).toBe(201);
    const customer = (
      await desk.db
        .selectFrom('applications')
        .select('customer_id')
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow()
    ).customer_id;
    expect((await desk.get(`/api/applications/${created.body.id}`)).status).toBe(200);
    const revealed = await desk.post<RevealResponse>(`/api/customers/${customer}/reveal`, {
      field: 'identificationNumber',
      reason: 'Checking the number the customer read out',
    });
    expect(revealed.body.value).toBe(number);
    // Support pastes the number into the search box, whole or as written on a card: the URL
    // of those requests carries it, and the access log writes every URL.
    const dashed = `${number.slice(0, 3)}-${number.slice(3, 5)}-${number.slice(5)}`;
    for (const q of [number, dashed, number.slice(-4)]) {
      expect((await desk.as('support').get(`/api/customers?q=${encodeURIComponent(q)}`)).status).toBe(200);
      expect((await desk.get(`/api/applications?q=${encodeURIComponent(q)}`)).status).toBe(200);
    }
    const refused = await desk.post<ErrorBody>('/api/applications', {
      provider: 'jiko',
      applicant: { identificationNumber: '12345678X' },
    });
    expect(refused.status).toBe(400);

    // Everything above was logged at debug level, the number in the requests and answers of it.
    const lines = logLines.slice(from);
    expect(lines.length).toBeGreaterThan(5);
    const logs = lines.join('\n');
    for (const written of [number, dashed]) expect(logs).not.toContain(written);
    expect(logs).not.toContain('12345678X');
    expect(logs).not.toMatch(/desk_session=[A-Za-z0-9_-]{20}/);
    // Nor did anything before it: every number the desk holds, over the whole log.
    const all = logLines.join('\n');
    for (const n of clearNumbers) expect(all).not.toContain(n);
  });
});
