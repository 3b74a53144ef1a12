/**
 * Jiko through the desk: desk → adapter → sandbox → webhook → desk, over real HTTP, for every
 * row of the sandbox table and the document path that follows DOCUMENTS_NEEDED.
 */

import { onboardApplication } from '@desk/server';
import type { ApplicationDetail, DocumentType, ErrorBody, JikoStatus, ProviderAction } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { jikoSandboxToken, resolveAtJikoSandbox, startTestDesk, type TestDesk } from '../support/desk.js';
import { png, uploadDocument } from '../support/uploads.js';

describe.each(databaseKinds)('Jiko end to end on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  const settle = (id: string, done: (c: ApplicationDetail) => boolean) => eventually(() => caseOf(id), done);
  const idle = (c: ApplicationDetail) => c.providerActions.every((a) => a.state === 'done' || a.gaveUp);

  async function onboardAndApply(prefix: string) {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant(prefix));
    const applied = await desk.post<ProviderAction>(`/api/applications/${applicationId}/reapply`);
    expect(applied.status).toBe(202);
    expect(applied.body.state).toBe('queued');
    return settle(applicationId, (c) => idle(c) && c.providerStatus !== 'SUBMITTED' && c.providerStatus !== 'CREATED');
  }

  it.each([
    ['2', 'DOCUMENTS_NEEDED', [true, true, true]],
    ['21', 'DOCUMENTS_NEEDED', [true, false, false]],
    ['22', 'DOCUMENTS_NEEDED', [false, true, false]],
    ['23', 'DOCUMENTS_NEEDED', [false, false, true]],
    ['24', 'DOCUMENTS_NEEDED', [true, true, false]],
    ['3', 'MANUAL_REVIEW', [false, false, false]],
    ['4', 'APPROVED', [false, false, false]],
    ['5', 'REJECTED', [false, false, false]],
    ['8', 'MANUAL_REVIEW', [false, false, false]],
  ] as const)(
    "When an application whose number starts %s is applied, then it ends %s with the table's flags",
    async (prefix, status, flags) => {
      // "2" alone: a second digit outside 1–4.
      const detail = await onboardAndApply(prefix === '2' ? '20' : prefix);
      expect(detail.providerStatus).toBe(status);
      expect([
        detail.flags.idVerification,
        detail.flags.identificationNumberVerification,
        detail.flags.addressVerification,
      ]).toEqual(flags);
      expect(detail.providerCustomerId !== null).toBe(status === 'APPROVED');
      const trail = detail.statusHistory.map((h) => [h.toStatus, h.source]);
      expect(trail[0]).toEqual(['CREATED', 'provider_response']);
      expect(trail).toContainEqual(['SUBMITTED', 'provider_response']);
      expect(trail.at(-1)).toEqual([status, 'provider_webhook']);
    },
  );

  async function uploadAll(id: string, types: DocumentType[]) {
    for (const type of types) {
      const res = await uploadDocument(desk, id, type, png());
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ kind: 'upload_document', state: 'queued', document: { type } });
    }
  }

  it.each([
    ['241', ['ID_FRONT', 'ID_BACK', 'SELFIE', 'IDENTIFICATION_NUMBER_VERIFICATION'], 'MANUAL_REVIEW'],
    ['212', ['ID_FRONT', 'ID_BACK', 'PASSPORT'], 'APPROVED'],
    ['230', ['ADDRESS_VERIFICATION'], 'APPROVED'],
  ] as const)(
    "When the documents for %s are uploaded from the desk, then the case goes PENDING and re-apply leads to the table's result",
    async (prefix, types, result) => {
      const needed = await onboardAndApply(prefix);
      expect(needed.providerStatus).toBe('DOCUMENTS_NEEDED');
      await uploadAll(needed.id, [...types]);
      const pending = await settle(needed.id, (c) => idle(c) && c.providerStatus === 'PENDING');
      expect(pending.flags).toEqual({
        idVerification: false,
        identificationNumberVerification: false,
        addressVerification: false,
      });
      for (const type of types) {
        const doc = pending.documents.find((d) => d.type === type && d.sha256 !== null);
        expect(doc).toMatchObject({ status: 'UPLOADED', atProvider: true, contentType: 'image/png', sizeBytes: 2048 });
      }
      expect(pending.actions.reapply.allowed).toBe(true);
      const reapplied = await desk.post<ProviderAction>(`/api/applications/${needed.id}/reapply`);
      expect(reapplied.status).toBe(202);
      const final = await settle(needed.id, (c) => idle(c) && c.providerStatus === result);
      const statuses = final.statusHistory.map((h) => h.toStatus as JikoStatus);
      expect(statuses).toEqual(['CREATED', 'SUBMITTED', 'DOCUMENTS_NEEDED', 'PENDING', 'SUBMITTED', result]);
      expect(final.providerCustomerId !== null).toBe(result === 'APPROVED');
    },
  );

  it('When re-apply is asked where Jiko would refuse it, then the answer is 409 with the reason and nothing is queued', async () => {
    const rejected = await onboardAndApply('5');
    const res = await desk.post<ErrorBody>(`/api/applications/${rejected.id}/reapply`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/REJECTED/);
    const after = await caseOf(rejected.id);
    expect(after.providerActions).toHaveLength(rejected.providerActions.length);
    expect(after.actions.reapply).toMatchObject({ allowed: false });

    const needed = await onboardAndApply('23');
    const refused = await desk.post<ErrorBody>(`/api/applications/${needed.id}/reapply`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/DOCUMENTS_NEEDED/);
  });

  it('When two re-applies are asked at once, then one is queued and the other gets 409', async () => {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('4'));
    const answers = await Promise.all([
      desk.post<ProviderAction>(`/api/applications/${applicationId}/reapply`),
      desk.post<ProviderAction>(`/api/applications/${applicationId}/reapply`),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    await settle(applicationId, (c) => idle(c) && c.providerStatus === 'APPROVED');
  });

  it.each([
    ['a text file', 415, 'file', 'ID_FRONT', (): Blob | null => new Blob(['hello'], { type: 'text/plain' })],
    ['a file over 5 MB', 413, 'file', 'ID_FRONT', (): Blob | null => png(5 * 1024 * 1024 + 1)],
    ['an empty file', 415, 'file', 'ID_FRONT', (): Blob | null => png(0)],
    ['no file', 400, 'file', 'ID_FRONT', (): Blob | null => null],
    ['an unknown type', 400, 'type', 'DRIVERS_LICENCE', (): Blob | null => png()],
  ] as const)(
    'When the upload is %s, then the answer is %s naming %s and nothing changes',
    async (_what, status, field, type, file) => {
      const needed = await onboardAndApply('21');
      const res = await uploadDocument(desk, needed.id, type, file());
      expect(res.status).toBe(status);
      expect(Object.keys(res.body.errors ?? {})).toContain(field);
      const after = await caseOf(needed.id);
      expect(after.documents).toEqual(needed.documents);
      expect(after.providerActions).toEqual(needed.providerActions);
      expect(after.version).toBe(needed.version);
    },
  );

  it("When a case is refreshed, then the provider's state is pulled and nothing else changes", async () => {
    const approved = await onboardAndApply('4');
    const res = await desk.post<ProviderAction>(`/api/applications/${approved.id}/refresh`);
    expect(res.status).toBe(202);
    const after = await settle(
      approved.id,
      (c) => idle(c) && c.providerActions.length === approved.providerActions.length + 1,
    );
    expect(after.providerStatus).toBe('APPROVED');
    expect(after.statusHistory).toEqual(approved.statusHistory);
  });

  it('When a manual review is resolved at the provider, then the webhook brings the decision to the desk', async () => {
    const review = await onboardAndApply('3');
    const resolved = await resolveAtJikoSandbox(
      desk.url,
      review.providerApplicationId,
      'REJECTED',
      await jikoSandboxToken(desk.url),
    );
    expect(resolved.status).toBe(200);
    const after = await settle(review.id, (c) => c.providerStatus === 'REJECTED');
    expect(after.statusHistory.at(-1)).toMatchObject({
      fromStatus: 'MANUAL_REVIEW',
      toStatus: 'REJECTED',
      source: 'provider_webhook',
    });
  });
});
