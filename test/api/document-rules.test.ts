/**
 * Each provider's own document rules on the case: the checklist counts a document towards a
 * flag as that provider does (a Fin.com passport alone meets Fin.com's identity check; Jiko
 * still wants ID front and back), and the upload takes exactly the details the provider needs
 * with a type — the generic provider's proof of address comes with its issue date, which
 * reaches the provider's sandbox with the submission.
 */

import type { ApplicationDetail, ErrorBody, Provider } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { realFile, uploadDocument } from '../support/uploads.js';

const inThreeYears = `${new Date().getUTCFullYear() + 3}-06-30`;
const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const passportDetails = { number: 'P1234567', issuingCountry: 'USA', expiresOn: inThreeYears };
/** The generic provider takes images of 100 KB to 10 MB. */
const kycImage = () => realFile('image/jpeg', 150 * 1024);

type KycStoredDocument = { type: string; issueDate?: string; number?: string; frontImageUrl?: string };

describe.each(databaseKinds)('Each provider’s document rules on the case on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const caseOf = async (id: string) => {
    const res = await desk.get<ApplicationDetail>(`/api/applications/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const delivered = (id: string, count: number) =>
    eventually(
      () => caseOf(id),
      (c) => c.providerActions.length === count && c.providerActions.every((a) => a.state === 'done'),
      20_000,
    );
  async function onboard(provider: Provider, email: string): Promise<string> {
    const res = await desk.post<{ id: string } & ErrorBody>(
      '/api/applications',
      intakeRequest(provider, applicant('111', { email })),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  }
  const requirementsOf = (c: ApplicationDetail, flag: string) =>
    c.checklist.find((entry) => entry.flag === flag)?.requirements ?? [];

  it('When a Fin.com case holds a passport, then its identity check is met, where a Jiko case still needs ID front and back', async () => {
    const fin = await onboard('fin', `fin.passport.${Date.now()}@example.com`);
    const jiko = await onboard('jiko', `jiko.passport.${Date.now()}@example.com`);
    const finPassport = await uploadDocument(desk, fin, 'PASSPORT', realFile('application/pdf'), 'passport.pdf', {
      ...passportDetails,
    });
    expect(finPassport.status, JSON.stringify(finPassport.body)).toBe(202);
    expect((await uploadDocument(desk, jiko, 'PASSPORT', realFile('image/png'), 'passport.png')).status).toBe(202);

    const atFin = await delivered(fin, 1);
    expect(atFin.checklist.map((entry) => entry.flag)).toEqual(['idVerification', 'addressVerification']);
    expect(requirementsOf(atFin, 'idVerification')).toEqual([
      { anyOf: [['PASSPORT'], ['ID_FRONT', 'ID_BACK']], state: 'satisfied', held: ['PASSPORT'] },
    ]);
    expect(requirementsOf(atFin, 'addressVerification')).toEqual([
      { anyOf: [['ADDRESS_VERIFICATION']], state: 'missing', held: [] },
    ]);

    const atJiko = await delivered(jiko, 1);
    expect(atJiko.checklist.map((entry) => entry.flag)).toEqual([
      'idVerification',
      'identificationNumberVerification',
      'addressVerification',
    ]);
    expect(requirementsOf(atJiko, 'idVerification').map((r) => [r.anyOf, r.state])).toEqual([
      [[['ID_FRONT']], 'missing'],
      [[['ID_BACK']], 'missing'],
      [[['SELFIE'], ['PASSPORT']], 'satisfied'],
    ]);

    // Fin.com's attach takes the passport with an address document: the adapter reads the same rules.
    expect(atFin.actions.reapply.allowed).toBe(false);
    expect((await uploadDocument(desk, fin, 'ADDRESS_VERIFICATION', realFile('image/png'), 'bill.png')).status).toBe(
      202,
    );
    const ready = await delivered(fin, 2);
    expect(requirementsOf(ready, 'addressVerification')[0]?.state).toBe('satisfied');
    expect(ready.actions.reapply.allowed).toBe(true);
  });

  it('When a Fin.com case holds only an ID front, then its identity check is missing the back', async () => {
    const fin = await onboard('fin', `fin.front.${Date.now()}@example.com`);
    expect(
      (await uploadDocument(desk, fin, 'ID_FRONT', realFile('image/jpeg'), 'front.jpg', { ...passportDetails })).status,
    ).toBe(202);
    const held = await delivered(fin, 1);
    expect(requirementsOf(held, 'idVerification')).toEqual([
      { anyOf: [['PASSPORT'], ['ID_FRONT', 'ID_BACK']], state: 'missing', held: ['ID_FRONT'] },
    ]);
  });

  it('When a generic-provider proof of address comes without a valid issue date, then it is refused naming issueDate; with one, the date reaches the provider', async () => {
    const id = await onboard('kyc', 'test-rfi@example.com');
    const asked = await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'NEEDS_ADDITIONAL_INFORMATION',
      20_000,
    );
    expect(asked.actions.upload.byType.ADDRESS_VERIFICATION?.requiredDetails).toEqual(['issueDate']);
    expect(asked.checklist.filter((e) => e.raised).map((e) => e.flag)).toEqual([
      'idVerification',
      'addressVerification',
    ]);

    const bare = await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', kycImage(), 'bill.jpg');
    expect(bare.status).toBe(400);
    expect(Object.keys(bare.body.errors ?? {})).toEqual(['issueDate']);
    const future = await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', kycImage(), 'bill.jpg', {
      issueDate: utcDay(2),
    });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual({ issueDate: ['must not be in the future'] });
    const malformed = await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', kycImage(), 'bill.jpg', {
      issueDate: '01/10/2025',
    });
    expect(malformed.status).toBe(400);
    expect(Object.keys(malformed.body.errors ?? {})).toEqual(['issueDate']);
    expect((await caseOf(id)).providerActions).toEqual([]);

    const issueDate = utcDay(-20);
    const bill = await uploadDocument(desk, id, 'ADDRESS_VERIFICATION', kycImage(), 'bill.jpg', { issueDate });
    expect(bill.status, JSON.stringify(bill.body)).toBe(202);
    const passport = await uploadDocument(desk, id, 'PASSPORT', kycImage(), 'passport.jpg', { ...passportDetails });
    expect(passport.status, JSON.stringify(passport.body)).toBe(202);
    const held = await delivered(id, 2);
    expect(held.checklist.map((e) => [e.flag, e.requirements.map((r) => r.state)])).toEqual([
      ['idVerification', ['satisfied']],
      ['addressVerification', ['satisfied']],
    ]);
    expect(held.actions.reapply.allowed).toBe(true);

    expect((await desk.post(`/api/applications/${id}/reapply`)).status).toBe(202);
    await delivered(id, 3);
    const res = await fetch(`${desk.url}/sandbox/kyc/api/v1/customers/${held.providerApplicationId}`, {
      headers: { Authorization: 'Bearer kyc-sandbox-api-key' },
    });
    expect(res.status).toBe(200);
    const customer = (await res.json()) as { kycData: { documents?: KycStoredDocument[] } };
    const documents = customer.kycData.documents ?? [];
    expect(documents.find((d) => d.type === 'UTILITY_BILL')).toMatchObject({ issueDate });
    expect(documents.find((d) => d.type === 'PASSPORT')).toMatchObject({ number: passportDetails.number });
    // Answered completely, the sandbox's next review is ACTIVE.
    await eventually(
      () => caseOf(id),
      (c) => c.providerStatus === 'ACTIVE',
      20_000,
    );
  });
});
