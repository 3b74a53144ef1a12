/**
 * An outcome that says the case is settled ("Cleared") on a case with items still open: refused
 * with 409 naming each open item, unless the request overrides it with a reason, which is then
 * kept with the outcome and on the audit trail. Escalating or recommending a reject needs no
 * override.
 */

import { onboardApplication } from '@desk/server';
import type { ApplicationDetail, ErrorBody, Outcome } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

describe.each(databaseKinds)('outcomes over open items on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  const record = async (id: string, body: Record<string, unknown>) =>
    desk.as('analyst').post<Outcome & ErrorBody>(`/api/applications/${id}/outcomes`, {
      note: 'Checked the documents against the application.',
      version: (await caseOf(id)).version,
      ...body,
    });
  const auditOf = async (id: string) =>
    desk.db
      .selectFrom('audit_events')
      .select('data')
      .where('action', '=', 'application.outcome_recorded')
      .where('application_id', '=', id)
      .orderBy('id')
      .execute();

  /** A Jiko case in DOCUMENTS_NEEDED for proof of address (prefix 23), with an internal RFI open. */
  async function caseWithOpenItems(): Promise<ApplicationDetail> {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('23'));
    expect((await desk.post(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
    await eventually(
      () => caseOf(applicationId),
      (c) => c.providerStatus === 'DOCUMENTS_NEEDED' && c.providerActions.every((a) => a.state === 'done'),
    );
    const rfi = await desk.post(`/api/applications/${applicationId}/rfis`, {
      title: 'Source of funds',
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      items: [{ kind: 'text', key: 'explanation', label: 'Explain the large deposit' }],
    });
    expect(rfi.status).toBe(201);
    return caseOf(applicationId);
  }

  it('When a case with a raised flag, an awaited document and an open RFI is cleared without an override, then 409 lists each and nothing is recorded', async () => {
    const open = await caseWithOpenItems();
    expect(open.flags.addressVerification).toBe(true);
    const res = await record(open.id, { outcome: 'cleared', reasonCode: 'documents_verified' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect(res.body.message).toContain('override.reason');
    expect(res.body.errors).toEqual({
      'openItems.flag': ['Address verification flag raised'],
      'openItems.document': [expect.stringMatching(/^Address verification .* awaited by the provider$/)],
      'openItems.rfi': ['RFI “Source of funds” waits for its answer'],
    });
    const after = await caseOf(open.id);
    expect(after.outcomes).toEqual([]);
    expect(after.version).toBe(open.version);
    expect(await auditOf(open.id)).toEqual([]);
  });

  it('When the override has no reason, then 400 names override.reason', async () => {
    const open = await caseWithOpenItems();
    for (const override of [{}, { reason: '   ' }, { reason: 'x'.repeat(1001) }]) {
      const res = await record(open.id, { outcome: 'cleared', reasonCode: 'documents_verified', override });
      expect(res.status, JSON.stringify(override).slice(0, 40)).toBe(400);
      expect(Object.keys(res.body.errors ?? {})).toEqual(['override.reason']);
    }
    const unknown = await record(open.id, {
      outcome: 'cleared',
      reasonCode: 'documents_verified',
      override: { reason: 'Seen the bill', by: 'me' },
    });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.errors ?? {})).toEqual(['override.by']);
    expect((await caseOf(open.id)).outcomes).toEqual([]);
  });

  it('When the override gives a reason, then the outcome is recorded with it, and the audit keeps the reason and what was open', async () => {
    const open = await caseWithOpenItems();
    const reason = '  The customer showed the utility bill on a video call; the upload follows.  ';
    const res = await record(open.id, { outcome: 'cleared', reasonCode: 'documents_verified', override: { reason } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'cleared', overrideReason: reason.trim() });
    const after = await caseOf(open.id);
    expect(after.outcomes.map((o) => [o.outcome, o.overrideReason])).toEqual([['cleared', reason.trim()]]);
    const audit = await auditOf(open.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.data).toMatchObject({
      outcome: 'cleared',
      override: {
        reason: reason.trim(),
        openItems: [
          'Address verification flag raised',
          expect.stringMatching(/awaited by the provider$/),
          'RFI “Source of funds” waits for its answer',
        ],
      },
    });
  });

  it("When an outcome was recorded over open items, then the case's audit report shows its override reason", async () => {
    const open = await caseWithOpenItems();
    const reason = 'Bill shown on a <video> call & checked';
    const res = await record(open.id, { outcome: 'cleared', reasonCode: 'documents_verified', override: { reason } });
    expect(res.status).toBe(201);
    const report = await desk.as('auditor').fetch(`/api/applications/${open.id}/audit-report`);
    expect(report.status).toBe(200);
    const html = await report.text();
    const shown = [...html.matchAll(/<span data-field="override-reason">(.*?)<\/span>/g)].map((m) => m[1]);
    expect(shown).toEqual([
      '<strong>Recorded over open items:</strong> Bill shown on a &#60;video&#62; call &#38; checked',
    ]);
  });

  it('When the outcome escalates or recommends a reject, then open items need no override', async () => {
    const escalated = await caseWithOpenItems();
    const escalation = await record(escalated.id, { outcome: 'escalated', reasonCode: 'suspected_document_fraud' });
    expect(escalation.status).toBe(201);
    expect(escalation.body.overrideReason).toBeNull();
    const rejected = await caseWithOpenItems();
    const rejection = await record(rejected.id, { outcome: 'recommend_reject', reasonCode: 'confirmed_fraud' });
    expect(rejection.status).toBe(201);
    expect((await auditOf(rejected.id))[0]?.data).not.toHaveProperty('override');
  });

  it('When nothing is open, then clearing needs no override and carries none', async () => {
    // A Jiko case just created: no flag, no document asked for, no RFI, nothing on its way.
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('4'));
    const res = await record(applicationId, { outcome: 'cleared', reasonCode: 'false_positive_match' });
    expect(res.status).toBe(201);
    expect(res.body.overrideReason).toBeNull();
    expect((await auditOf(applicationId))[0]?.data).not.toHaveProperty('override');
  });
});
