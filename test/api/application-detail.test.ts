import type { ApplicationDetail, ErrorBody } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

describe.each(databaseKinds)('application page on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 150 });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  async function caseWhere(status: string) {
    const row = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('provider_status', '=', status as 'DOCUMENTS_NEEDED')
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const res = await desk.get<ApplicationDetail>(`/api/applications/${row.id}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('When a case is opened, then the applicant, consent, flags, documents and history match the database', async () => {
    const detail = await caseWhere('DOCUMENTS_NEEDED');
    const app = await desk.db
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', detail.id)
      .executeTakeFirstOrThrow();
    const customer = await desk.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', app.customer_id)
      .executeTakeFirstOrThrow();
    expect(detail.applicant).toMatchObject({
      customerId: customer.id,
      firstName: customer.first_name,
      lastName: customer.last_name,
      email: customer.email,
      dateOfBirth: customer.date_of_birth,
    });
    expect(detail.flags).toEqual({
      idVerification: app.flag_id_verification,
      identificationNumberVerification: app.flag_identification_number_verification,
      addressVerification: app.flag_address_verification,
    });
    expect(detail.stage).toBe('needs_documents');
    const documents = await desk.db
      .selectFrom('application_documents')
      .select('id')
      .where('application_id', '=', app.id)
      .execute();
    expect(detail.documents.map((d) => d.id).sort()).toEqual(documents.map((d) => d.id).sort());
    const history = await desk.db
      .selectFrom('status_history')
      .select(['to_status'])
      .where('application_id', '=', app.id)
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(detail.statusHistory.map((h) => h.toStatus)).toEqual(history.map((h) => h.to_status));
    expect(detail.statusHistory[0]?.fromStatus).toBeNull();
    expect(detail.statusHistory.at(-1)?.toStatus).toBe('DOCUMENTS_NEEDED');
    expect(detail.consent.agreementVersion).toBe(app.agreement_version);
  });

  it('When a case is opened, then the identification number is masked and held only sealed', async () => {
    const detail = await caseWhere('APPROVED');
    const customer = await desk.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', detail.applicant.customerId)
      .executeTakeFirstOrThrow();
    expect(customer.identification_number).toBeNull();
    expect(customer.identification_number_last4).toBeNull();
    const clear = desk.pii.open({
      sealed: customer.identification_number_sealed ?? '',
      keyId: customer.identification_number_key_id ?? '',
    });
    expect(clear).toMatch(/^\d{9}$/);
    expect(customer.identification_number_last4_hash).toBe(desk.pii.last4Hash(clear.slice(-4)));
    expect(detail.applicant.identificationNumberMasked).toBe('•••-••-••••');
    expect(JSON.stringify(detail)).not.toContain(clear);
    expect(detail.providerCustomerId).not.toBeNull();
  });

  it('When flags are raised, then the checklist names the document types that clear each one', async () => {
    const detail = await caseWhere('DOCUMENTS_NEEDED');
    const raised = detail.checklist.filter((c) => c.raised).map((c) => c.flag);
    expect(raised.sort()).toEqual(
      Object.entries(detail.flags)
        .filter(([, on]) => on)
        .map(([flag]) => flag)
        .sort(),
    );
    const id = detail.checklist.find((c) => c.flag === 'idVerification');
    expect(id?.requirements.map((r) => r.anyOf)).toEqual([[['ID_FRONT']], [['ID_BACK']], [['SELFIE'], ['PASSPORT']]]);
  });

  it('When the consented version was superseded at consent time, then the case says so', async () => {
    const rows = await desk.db.selectFrom('applications').select(['id', 'agreement_version', 'consented_at']).execute();
    const agreements = await desk.db.selectFrom('agreements').selectAll().where('provider', '=', 'jiko').execute();
    const latestAt = (at: Date) =>
      agreements
        .filter((a) => a.released_at.getTime() <= at.getTime())
        .sort((a, b) => a.released_at.getTime() - b.released_at.getTime())
        .at(-1)?.version;
    const stale = rows.find((r) => latestAt(r.consented_at) !== r.agreement_version);
    const current = rows.find((r) => latestAt(r.consented_at) === r.agreement_version);
    expect(stale && current).toBeTruthy();
    const staleCase = await desk.get<ApplicationDetail>(`/api/applications/${stale?.id}`);
    expect(staleCase.body.consent.wasLatestAtConsent).toBe(false);
    expect(staleCase.body.consent.latestVersionAtConsent).toBe(latestAt(stale?.consented_at ?? new Date()));
    const currentCase = await desk.get<ApplicationDetail>(`/api/applications/${current?.id}`);
    expect(currentCase.body.consent.wasLatestAtConsent).toBe(true);
    expect(currentCase.body.consent.versionReleasedAt).not.toBeNull();
  });

  it('When the id is not a UUID, then the answer is 400 naming id', async () => {
    const res = await desk.get<ErrorBody>('/api/applications/12345');
    expect(res.status).toBe(400);
    expect(res.body.errors?.id).toBeDefined();
  });

  it('When no application has the id, then the answer is 404', async () => {
    const res = await desk.get<ErrorBody>('/api/applications/6ba7b810-9dad-41d1-80b4-00c04fd430c8');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});
