/**
 * Fin.com and the generic KYC provider through the desk, end to end over real HTTP: an
 * application created at the provider, documents sent in the provider's own way, the
 * provider's resubmission, its RFI arriving by webhook as a desk RFI, the analyst's answer
 * delivered in the provider's shape by the provider-action job, the case back in review and
 * then decided, the RFI closed — every status change in the history with its source.
 */

import type { ApplicationDetail, ErrorBody, Provider, Rfi, RfiList } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { answerRfi, realFile, uploadDocument } from '../support/uploads.js';

const nextYear = `${new Date().getUTCFullYear() + 3}-06-30`;

describe.each(databaseKinds)('Fin.com and generic KYC RFIs through the desk on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  const rfisOf = async (id: string) =>
    (await desk.get<RfiList>(`/api/rfis?applicationId=${id}&status=open&status=answered&status=closed`)).body.data;
  const actionsSettled = (c: ApplicationDetail) => c.providerActions.every((a) => a.state === 'done');

  async function onboard(provider: Provider, email: string): Promise<string> {
    const person = applicant('111', { email });
    const res = await desk.post<{ id: string } & ErrorBody>('/api/applications', intakeRequest(provider, person));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }

  it('Fin.com: documents uploaded then attached; the RFI of an ON_HOLD review is answered from the desk, and the case is approved', async () => {
    const id = await onboard('fin', `maria.${Date.now()}+on_hold@example.com`);
    const created = await caseOf(id);
    expect(created).toMatchObject({ provider: 'fin', providerStatus: 'INCOMPLETE', stage: 'intake' });
    expect(created.actions.reapply).toMatchObject({ allowed: false, label: 'Attach documents' });
    expect(created.actions.upload.requiredDetails.PASSPORT).toEqual(['number', 'issuingCountry', 'expiresOn']);

    // A passport without its details is refused, naming each, and nothing is queued.
    const bare = await uploadDocument(desk, id, 'PASSPORT', realFile('application/pdf'), 'passport.pdf');
    expect(bare.status).toBe(400);
    expect(Object.keys(bare.body.errors ?? {}).sort()).toEqual(['expiresOn', 'issuingCountry', 'number']);
    const expired = await uploadDocument(desk, id, 'PASSPORT', realFile('application/pdf'), 'passport.pdf', {
      number: 'X1234567',
      issuingCountry: 'USA',
      expiresOn: '2020-01-01',
    });
    expect(expired.status).toBe(400);
    expect(expired.body.errors).toHaveProperty('expiresOn');
    expect((await caseOf(id)).providerActions).toHaveLength(0);

    const passport = await uploadDocument(desk, id, 'PASSPORT', realFile('application/pdf'), 'passport.pdf', {
      number: 'X1234567',
      issuingCountry: 'USA',
      expiresOn: nextYear,
    });
    expect(passport.status).toBe(202);
    expect((await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', realFile('image/png'), 'bill.png')).status).toBe(
      202,
    );
    const uploaded = await eventually(
      () => caseOf(id),
      (c) => c.providerActions.length === 2 && actionsSettled(c),
    );
    expect(uploaded.documents.every((d) => d.atProvider && d.status === 'UPLOADED')).toBe(true);
    expect(uploaded.actions.reapply.allowed).toBe(true);

    expect((await desk.post(`/api/applications/${id}/reapply`)).status).toBe(202);
    const onHold = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'ON_HOLD',
      20_000,
    );
    expect(onHold.stage).toBe('rfi');

    const [rfi] = await eventually(
      () => rfisOf(id),
      (list) => list.length === 1,
    );
    expect(rfi).toMatchObject({ origin: 'provider', status: 'open', provider: 'fin', overdue: false });
    expect(rfi?.providerRfiId).toBeTruthy();
    const keys = rfi?.items.map((i) => [i.kind, i.key, i.reason]);
    expect(keys).toEqual(
      expect.arrayContaining([
        ['field', 'basic_info.phone', 'INVALID'],
        ['field', 'financial_profile.source_of_funds_description', 'MISSING'],
        ['document', 'identifying_documents.PASSPORT', 'EXPIRED'],
        ['field', 'identifying_documents.PASSPORT.expiry_date', 'EXPIRED'],
      ]),
    );
    if (!rfi) return;

    // An open provider RFI is not the desk's to close.
    expect((await desk.post(`/api/rfis/${rfi.id}/close`)).status).toBe(409);
    // An answer that leaves out a requested item changes nothing.
    const partial = await answerRfi(desk, rfi.id, { fields: { 'basic_info.phone': '+14155550123' } });
    expect(partial.status).toBe(400);

    const answered = await answerRfi(desk, rfi.id, {
      fields: {
        'basic_info.phone': '+14155550123',
        'financial_profile.source_of_funds_description': 'Salary from employment',
        'identifying_documents.PASSPORT.expiry_date': nextYear,
      },
      files: { 'identifying_documents.PASSPORT': { blob: realFile('image/jpeg'), name: 'new-passport.jpg' } },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);

    const approved = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'APPROVED' && actionsSettled(c),
      20_000,
    );
    const delivery = approved.providerActions.find((a) => a.kind === 'answer_rfi');
    expect(delivery).toMatchObject({ state: 'done', rfiId: rfi.id, attempts: 1 });
    // Reviews take a tenth of a second here, so a passing REVIEWING may be read only after it.
    const path = approved.statusHistory.map((h) => h.toStatus);
    expect(path[0]).toBe('INCOMPLETE');
    expect(path.slice(path.indexOf('ON_HOLD'))).toEqual(expect.arrayContaining(['ON_HOLD', 'APPROVED']));
    expect(path.at(-1)).toBe('APPROVED');
    expect(approved.statusHistory.every((h) => h.source !== 'staff')).toBe(true);

    const closed = await eventually(
      async () => (await desk.get<Rfi>(`/api/rfis/${rfi.id}`)).body,
      (r) => r.status === 'closed',
    );
    expect(closed.answers).toHaveLength(1);
    const onCase = (await caseOf(id)).rfis.find((r) => r.id === rfi.id);
    expect(onCase).toMatchObject({ status: 'closed', origin: 'provider', answeredAt: closed.answers[0]?.answeredAt });
    expect(closed.closedAt).not.toBeNull();
    // The sandbox saw the answer in Fin.com's shape and holds the RFI as answered.
    const atFin = await fetch(`${desk.url}/sandbox/fin/v2/customers/${approved.providerApplicationId}/rfis`, {
      headers: { authorization: 'Bearer fin-sandbox-token' },
    });
    const finRfis = (await atFin.json()) as { data: { id: string; status: string }[] };
    expect(finRfis.data.find((r) => r.id === rfi.providerRfiId)?.status).toBe('ANSWERED');
  });

  it('Fin.com: ACTION_REQUIRED shows what the provider asks for and raises the flags; re-attaching moves the case on', async () => {
    const id = await onboard('fin', `lee.${Date.now()}+action_required@example.com`);
    await uploadDocument(desk, id, 'PASSPORT', realFile('application/pdf'), 'passport.pdf', {
      number: 'P7654321',
      issuingCountry: 'USA',
      expiresOn: nextYear,
    });
    await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', realFile('application/pdf'), 'bill.pdf');
    await eventually(
      () => caseOf(id),
      (c) => c.providerActions.length === 2 && actionsSettled(c),
    );
    expect((await desk.post(`/api/applications/${id}/reapply`)).status).toBe(202);
    const actionRequired = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'ACTION_REQUIRED',
      20_000,
    );
    expect(actionRequired.stage).toBe('needs_documents');
    expect(actionRequired.flags.idVerification).toBe(true);
    expect(actionRequired.providerRequirements.length).toBeGreaterThan(0);

    await uploadDocument(desk, id, 'SELFIE', realFile('image/jpeg'), 'selfie.jpg');
    await uploadDocument(desk, id, 'PASSPORT', realFile('image/png'), 'passport-2.png', {
      number: 'P7654322',
      issuingCountry: 'USA',
      expiresOn: nextYear,
    });
    const ready = await eventually(
      () => caseOf(id),
      (c) => c.providerActions.length === 5 && actionsSettled(c),
    );
    expect(ready.actions.reapply.allowed).toBe(true);
    expect((await desk.post(`/api/applications/${id}/reapply`)).status).toBe(202);
    const approved = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'APPROVED',
      20_000,
    );
    expect(approved.providerRequirements).toEqual([]);
    expect(approved.flags.idVerification).toBe(false);
  });

  it('generic KYC: the provider asks for a government ID; the answer is fetched by the provider from the desk, and the customer becomes ACTIVE', async () => {
    const id = await onboard('kyc', 'test-success@example.com');
    const rfiCase = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'NEEDS_ADDITIONAL_INFORMATION',
      20_000,
    );
    expect(rfiCase.stage).toBe('rfi');
    expect(rfiCase.actions.reapply.label).toBe('Submit KYC data');
    const [rfi] = await eventually(
      () => rfisOf(id),
      (list) => list.length === 1,
    );
    // The provider asks for a category; it needs the document's number, country and expiry too.
    expect(rfi?.items.map((i) => [i.kind, i.key])).toEqual([
      ['document', 'GOVERNMENT_ID'],
      ['field', 'GOVERNMENT_ID.number'],
      ['field', 'GOVERNMENT_ID.issuingCountry'],
      ['field', 'GOVERNMENT_ID.expirationDate'],
    ]);
    if (!rfi) return;

    // The provider needs images of at least 100 KB: it fetches the file from the desk's signed URL.
    const answered = await answerRfi(desk, rfi.id, {
      fields: {
        'GOVERNMENT_ID.number': 'P99887766',
        'GOVERNMENT_ID.issuingCountry': 'USA',
        'GOVERNMENT_ID.expirationDate': nextYear,
      },
      files: { GOVERNMENT_ID: { blob: realFile('image/jpeg', 150 * 1024), name: 'passport.jpg' } },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const active = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'ACTIVE',
      20_000,
    );
    expect(active.stage).toBe('approved');
    // The PATCH answers UNDER_REVIEW itself, so that step is always recorded.
    expect(active.statusHistory.map((h) => h.toStatus)).toEqual([
      'UNDER_REVIEW',
      'NEEDS_ADDITIONAL_INFORMATION',
      'UNDER_REVIEW',
      'ACTIVE',
    ]);
    expect(active.statusHistory[2]?.source).toBe('provider_response');
    await eventually(
      async () => (await desk.get<Rfi>(`/api/rfis/${rfi.id}`)).body,
      (r) => r.status === 'closed',
    );
  });

  it('generic KYC: the test-rfi address also asks for a proof of address, and a too-small image is refused before anything is sent', async () => {
    const id = await onboard('kyc', 'test-rfi@example.com');
    await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'NEEDS_ADDITIONAL_INFORMATION',
      20_000,
    );
    const [rfi] = await eventually(
      () => rfisOf(id),
      (list) => list.length === 1,
    );
    expect(
      rfi?.items
        .filter((i) => i.kind === 'document')
        .map((i) => i.key)
        .sort(),
    ).toEqual(['GOVERNMENT_ID', 'PROOF_OF_ADDRESS']);
    const small = await uploadDocument(desk, id, 'PASSPORT', realFile('image/png', 2048), 'passport.png', {
      number: 'P1234567',
      issuingCountry: 'USA',
      expiresOn: nextYear,
    });
    expect(small.status).toBe(422);
    expect(small.body.errors).toHaveProperty('file');
  });

  it('file URLs: a signed URL serves the file; an altered or unknown one is a plain 404', async () => {
    const bad = await fetch(`${desk.url}/files/document.00000000-0000-0000-0000-000000000000.9999999999.AAAA`);
    expect(bad.status).toBe(404);
    const garbage = await fetch(`${desk.url}/files/not-a-token`);
    expect(garbage.status).toBe(404);
  });
});
