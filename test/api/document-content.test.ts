/**
 * A case document's stored file, opened by staff: who may see it (analysts, senior analysts and
 * auditors; not support, not admins), exactly how it is served (inline, in the type its bytes
 * showed at upload, never cached or sniffed), that it is the very bytes uploaded, that every
 * opening is on the audit trail, and the 404s and 400s around it.
 */

import type { ApplicationDetail, AuditEventList, ErrorBody, StaffRole } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { servedImageHeaders, servedPdfHeaders } from '../support/document-headers.js';
import { realFile, uploadDocument } from '../support/uploads.js';

const contentPath = (caseId: string, documentId: string) =>
  `/api/applications/${caseId}/documents/${documentId}/content`;

describe.each(databaseKinds)('Document content on %s database', (kind) => {
  let desk: TestDesk;
  /** A case with an uploaded PNG and PDF, and a document the provider asked for but nobody uploaded. */
  let caseId: string;
  let otherCaseId: string;
  let png: { id: string; bytes: Buffer };
  let pdf: { id: string; bytes: Buffer };
  let requestedId: string;

  async function documentsNeededCases(): Promise<string[]> {
    const rows = await desk.db
      .selectFrom('applications as a')
      .select('a.id')
      .where('a.provider', '=', 'jiko')
      .where('a.provider_status', '=', 'DOCUMENTS_NEEDED')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('application_documents as d')
            .select('d.id')
            .whereRef('d.application_id', '=', 'a.id')
            .where('d.sha256', 'is', null),
        ),
      )
      .orderBy('a.created_at')
      .orderBy('a.id')
      .limit(2)
      .execute();
    return rows.map((r) => r.id);
  }

  async function upload(type: string, file: Blob, name: string): Promise<{ id: string; bytes: Buffer }> {
    const res = await uploadDocument(desk.as('analyst'), caseId, type, file, name);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const documentId = res.body.document?.id;
    if (!documentId) throw new Error('the upload answered no document');
    return { id: documentId, bytes: Buffer.from(await file.arrayBuffer()) };
  }

  async function viewEvents(): Promise<AuditEventList['data']> {
    const res = await desk.as('auditor').get<AuditEventList>(`/api/applications/${caseId}/audit-events?limit=200`);
    expect(res.status).toBe(200);
    return res.body.data.filter((e) => e.action === 'application.document_viewed');
  }

  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 40 });
    const cases = await documentsNeededCases();
    [caseId = '', otherCaseId = ''] = cases;
    expect(cases).toHaveLength(2);
    png = await upload('ID_FRONT', realFile('image/png', 3000, 11), 'front "scan".png');
    pdf = await upload('ADDRESS_VERIFICATION', realFile('application/pdf', 5000, 3), 'bill.pdf');
    const requested = await desk.db
      .selectFrom('application_documents')
      .select('id')
      .where('application_id', '=', caseId)
      .where('sha256', 'is', null)
      .executeTakeFirst();
    requestedId =
      requested?.id ??
      (
        await desk.db
          .insertInto('application_documents')
          .values({ application_id: caseId, type: 'SELFIE', status: 'PENDING_UPLOAD' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When the case is read, then each document says whether its content can be viewed and when it was uploaded', async () => {
    const before = Date.now();
    const detail = (await desk.as('support').get<ApplicationDetail>(`/api/applications/${caseId}`)).body;
    const byId = new Map(detail.documents.map((d) => [d.id, d]));
    for (const uploaded of [png, pdf]) {
      const document = byId.get(uploaded.id);
      expect(document?.viewable).toBe(true);
      expect(Date.parse(document?.uploadedAt ?? '')).toBeLessThanOrEqual(before);
    }
    expect(byId.get(requestedId)).toMatchObject({ viewable: false, uploadedAt: null });
  });

  it.each<[StaffRole, number]>([
    ['analyst', 200],
    ['senior_analyst', 200],
    ['auditor', 200],
    ['support', 403],
    ['admin', 403],
  ])('When a %s opens a stored document, then the answer is %i', async (role, status) => {
    const res = await desk.as(role).fetch(contentPath(caseId, png.id));
    expect(res.status).toBe(status);
    if (status === 403) expect(((await res.json()) as ErrorBody).code).toBe('forbidden');
    else expect(Buffer.from(await res.arrayBuffer())).toEqual(png.bytes);
  });

  it('When nobody is signed in, then it is 401 and nothing is recorded', async () => {
    const before = (await viewEvents()).length;
    const res = await desk.anonymous.fetch(contentPath(caseId, png.id));
    expect(res.status).toBe(401);
    expect(await viewEvents()).toHaveLength(before);
  });

  it('When an image is served, then it is inline under a plain name, never cached or sniffed, sandboxed, in the type sniffed at upload', async () => {
    const res = await desk.as('analyst').fetch(contentPath(caseId, png.id));
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject(
      servedImageHeaders(png.bytes, `inline; filename="front _scan_.png"; filename*=UTF-8''front%20%22scan%22.png`),
    );
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png.bytes);
  });

  it('When a PDF is served, then it is inline as application/pdf, framable by the desk only, loading and running nothing else', async () => {
    const res = await desk.as('auditor').fetch(contentPath(caseId, pdf.id));
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject(
      servedPdfHeaders(pdf.bytes, `inline; filename="bill.pdf"; filename*=UTF-8''bill.pdf`),
    );
    expect(Buffer.from(await res.arrayBuffer())).toEqual(pdf.bytes);
  });

  it('When a document is opened, then each opening is one audit event naming who, which document and which case', async () => {
    const before = await viewEvents();
    const analyst = desk.as('analyst');
    const auditor = desk.as('auditor');
    expect((await analyst.fetch(contentPath(caseId, png.id))).status).toBe(200);
    expect((await analyst.fetch(contentPath(caseId, png.id))).status).toBe(200);
    expect((await auditor.fetch(contentPath(caseId, pdf.id))).status).toBe(200);
    expect((await desk.as('support').fetch(contentPath(caseId, pdf.id))).status).toBe(403);
    const fresh = (await viewEvents()).slice(before.length);
    expect(
      fresh.map((e) => ({ actorId: e.actorId, entityId: e.entityId, applicationId: e.applicationId, data: e.data })),
    ).toEqual([
      ...[1, 2].map(() => ({
        actorId: analyst.me.id,
        entityId: caseId,
        applicationId: caseId,
        data: { documentId: png.id, type: 'ID_FRONT', contentType: 'image/png' },
      })),
      {
        actorId: auditor.me.id,
        entityId: caseId,
        applicationId: caseId,
        data: { documentId: pdf.id, type: 'ADDRESS_VERIFICATION', contentType: 'application/pdf' },
      },
    ]);
    for (const event of fresh) expect(Date.now() - Date.parse(event.at)).toBeLessThan(5 * 60_000);
  });

  it('When the document is of another case, unknown, or has no stored file, then it is 404 and nothing is recorded', async () => {
    const before = (await viewEvents()).length;
    const analyst = desk.as('analyst');
    for (const path of [
      contentPath(otherCaseId, png.id),
      contentPath(caseId, '00000000-0000-4000-8000-000000000000'),
      contentPath('00000000-0000-4000-8000-000000000000', png.id),
      contentPath(caseId, requestedId),
    ]) {
      const res = await analyst.fetch(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as ErrorBody).code, path).toBe('not_found');
    }
    expect(await viewEvents()).toHaveLength(before);
  });

  it('When the ids are not UUIDs, then it is 400 naming each bad one', async () => {
    const analyst = desk.as('analyst');
    const both = await analyst.fetch(contentPath('1 OR 1=1', '..%2F..%2Fetc%2Fpasswd'));
    expect(both.status).toBe(400);
    expect(Object.keys(((await both.json()) as ErrorBody).errors ?? {}).sort()).toEqual(['documentId', 'id']);
    const one = await analyst.fetch(contentPath(caseId, `${png.id}x`));
    expect(one.status).toBe(400);
    expect(Object.keys(((await one.json()) as ErrorBody).errors ?? {})).toEqual(['documentId']);
  });
});
