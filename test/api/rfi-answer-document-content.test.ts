/**
 * A file answering an RFI, opened by staff: who may see it (the roles that may see a case
 * document's content: analysts, senior analysts and auditors; not support, not admins), that it
 * is served exactly as a case document is (inline, in the type its bytes showed at upload, never
 * cached or sniffed), that the RFI says which files can be opened, that every opening is on the
 * audit trail, and that ids that do not belong together, or are not ids, open nothing.
 */

import { onboardApplication } from '@desk/server';
import type { AuditEventList, ErrorBody, Rfi, StaffRole } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { servedImageHeaders, servedPdfHeaders } from '../support/document-headers.js';
import { answerRfi, realFile } from '../support/uploads.js';

const contentPath = (rfiId: string, answerId: string, documentId: string) =>
  `/api/rfis/${rfiId}/answers/${answerId}/documents/${documentId}/content`;
const unknownId = '00000000-0000-4000-8000-000000000000';

/** One stored file of one answer, with the bytes sent. */
type AnswerFile = { rfiId: string; answerId: string; documentId: string; bytes: Buffer };

describe.each(databaseKinds)('RFI answer files on %s database', (kind) => {
  let desk: TestDesk;
  let caseId: string;
  let otherCaseId: string;
  /** A PNG and a PDF answering one RFI, a PNG answering another RFI of another case. */
  let png: AnswerFile;
  let pdf: AnswerFile;
  let other: AnswerFile;
  /** A stored file of a type the desk does not show (from before content checks). */
  let markup: AnswerFile;

  async function answeredRfi(
    applicationId: string,
    files: Record<string, { blob: Blob; name: string }>,
  ): Promise<{ rfi: Rfi; files: AnswerFile[] }> {
    const raised = await desk.post<Rfi & ErrorBody>(`/api/applications/${applicationId}/rfis`, {
      title: 'Proof of income',
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      items: Object.keys(files).map((key) => ({ kind: 'document', key, label: `The ${key.toLowerCase()}` })),
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    const answered = await answerRfi(desk.as('analyst'), raised.body.id, { files });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const rfi = answered.body as Rfi;
    const [answer] = rfi.answers;
    if (!answer) throw new Error('the answer was not kept');
    const stored = await Promise.all(
      Object.entries(files).map(async ([key, file]) => {
        const document = answer.documents.find((d) => d.itemKey === key);
        if (!document) throw new Error(`no file kept for ${key}`);
        return {
          rfiId: rfi.id,
          answerId: answer.id,
          documentId: document.id,
          bytes: Buffer.from(await file.blob.arrayBuffer()),
        };
      }),
    );
    return { rfi, files: stored };
  }

  async function viewEvents(applicationId = caseId): Promise<AuditEventList['data']> {
    const res = await desk
      .as('auditor')
      .get<AuditEventList>(`/api/applications/${applicationId}/audit-events?limit=200`);
    expect(res.status).toBe(200);
    return res.body.data.filter((e) => e.action === 'rfi.answer_document_viewed');
  }

  beforeAll(async () => {
    desk = await startTestDesk(kind);
    caseId = (await onboardApplication(desk, 'jiko', applicant('3'))).applicationId;
    otherCaseId = (await onboardApplication(desk, 'jiko', applicant('3'))).applicationId;
    const first = await answeredRfi(caseId, {
      PAYSLIP: { blob: realFile('image/png', 3000, 11), name: 'pay "slip".png' },
      STATEMENT: { blob: realFile('application/pdf', 5000, 3), name: 'statement.pdf' },
    });
    [png, pdf] = first.files as [AnswerFile, AnswerFile];
    const second = await answeredRfi(otherCaseId, {
      PAYSLIP: { blob: realFile('image/png', 2000, 5), name: 'other.png' },
    });
    [other] = second.files as [AnswerFile];
    const html = Buffer.from('<script>alert(1)</script>');
    const row = await desk.db
      .insertInto('rfi_answer_documents')
      .values({
        answer_id: png.answerId,
        item_key: 'NOTE',
        file_name: 'note.html',
        content_type: 'text/html',
        size_bytes: html.length,
        sha256: 'a'.repeat(64),
        bytes: html,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    markup = { rfiId: png.rfiId, answerId: png.answerId, documentId: row.id, bytes: html };
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When the RFI is read, then each answer file says whether its content can be opened', async () => {
    const rfi = (await desk.as('support').get<Rfi>(`/api/rfis/${png.rfiId}`)).body;
    const viewable = Object.fromEntries(rfi.answers.flatMap((a) => a.documents).map((d) => [d.id, d.viewable]));
    expect(viewable).toEqual({ [png.documentId]: true, [pdf.documentId]: true, [markup.documentId]: false });
  });

  it.each<[StaffRole, number]>([
    ['analyst', 200],
    ['senior_analyst', 200],
    ['auditor', 200],
    ['support', 403],
    ['admin', 403],
  ])('When a %s opens a file answering an RFI, then the answer is %i', async (role, status) => {
    const res = await desk.as(role).fetch(contentPath(png.rfiId, png.answerId, png.documentId));
    expect(res.status).toBe(status);
    if (status === 403) expect(((await res.json()) as ErrorBody).code).toBe('forbidden');
    else expect(Buffer.from(await res.arrayBuffer())).toEqual(png.bytes);
  });

  it('When nobody is signed in, or support is refused, then nothing is recorded', async () => {
    const before = (await viewEvents()).length;
    expect((await desk.anonymous.fetch(contentPath(png.rfiId, png.answerId, png.documentId))).status).toBe(401);
    expect((await desk.as('support').fetch(contentPath(png.rfiId, png.answerId, png.documentId))).status).toBe(403);
    expect(await viewEvents()).toHaveLength(before);
  });

  it('When an image is served, then it has the headers of a case document: inline under a plain name, never cached or sniffed, sandboxed, in the type sniffed at upload', async () => {
    const res = await desk.as('analyst').fetch(contentPath(png.rfiId, png.answerId, png.documentId));
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject(
      servedImageHeaders(png.bytes, `inline; filename="pay _slip_.png"; filename*=UTF-8''pay%20%22slip%22.png`),
    );
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png.bytes);
  });

  it('When a PDF is served, then it is inline as application/pdf, framable by the desk only, loading and running nothing else', async () => {
    const res = await desk.as('auditor').fetch(contentPath(pdf.rfiId, pdf.answerId, pdf.documentId));
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject(
      servedPdfHeaders(pdf.bytes, `inline; filename="statement.pdf"; filename*=UTF-8''statement.pdf`),
    );
    expect(Buffer.from(await res.arrayBuffer())).toEqual(pdf.bytes);
  });

  it('When a file is opened, then each opening is one audit event on the RFI and its case, naming who, which answer and which file', async () => {
    const before = await viewEvents();
    const analyst = desk.as('analyst');
    const auditor = desk.as('auditor');
    expect((await analyst.fetch(contentPath(png.rfiId, png.answerId, png.documentId))).status).toBe(200);
    expect((await analyst.fetch(contentPath(png.rfiId, png.answerId, png.documentId))).status).toBe(200);
    expect((await auditor.fetch(contentPath(pdf.rfiId, pdf.answerId, pdf.documentId))).status).toBe(200);
    const fresh = (await viewEvents()).slice(before.length);
    const shape = (e: AuditEventList['data'][number]) => ({
      actorId: e.actorId,
      entityType: e.entityType,
      entityId: e.entityId,
      applicationId: e.applicationId,
      data: e.data,
    });
    const opening = (actorId: string, file: AnswerFile, itemKey: string, contentType: string) => ({
      actorId,
      entityType: 'rfi',
      entityId: file.rfiId,
      applicationId: caseId,
      data: { answerId: file.answerId, documentId: file.documentId, itemKey, contentType },
    });
    expect(fresh.map(shape)).toEqual([
      opening(analyst.me.id, png, 'PAYSLIP', 'image/png'),
      opening(analyst.me.id, png, 'PAYSLIP', 'image/png'),
      opening(auditor.me.id, pdf, 'STATEMENT', 'application/pdf'),
    ]);
    for (const event of fresh) expect(Date.now() - Date.parse(event.at)).toBeLessThan(5 * 60_000);
  });

  it('When the RFI, the answer and the file do not belong together, are unknown, or the file is of a type the desk does not show, then it is 404 and nothing is recorded', async () => {
    const before = [(await viewEvents()).length, (await viewEvents(otherCaseId)).length];
    const analyst = desk.as('analyst');
    for (const path of [
      contentPath(other.rfiId, png.answerId, png.documentId),
      contentPath(png.rfiId, other.answerId, png.documentId),
      contentPath(png.rfiId, png.answerId, other.documentId),
      contentPath(other.rfiId, other.answerId, png.documentId),
      contentPath(png.rfiId, png.answerId, unknownId),
      contentPath(png.rfiId, unknownId, png.documentId),
      contentPath(unknownId, png.answerId, png.documentId),
      contentPath(markup.rfiId, markup.answerId, markup.documentId),
    ]) {
      const res = await analyst.fetch(path);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as ErrorBody).code, path).toBe('not_found');
    }
    expect([(await viewEvents()).length, (await viewEvents(otherCaseId)).length]).toEqual(before);
  });

  it('When the ids are not UUIDs, then it is 400 naming each bad one, and nothing is recorded', async () => {
    const before = (await viewEvents()).length;
    const analyst = desk.as('analyst');
    const all = await analyst.fetch(contentPath('1 OR 1=1', '..%2F..%2Fetc%2Fpasswd', '%00'));
    expect(all.status).toBe(400);
    expect(Object.keys(((await all.json()) as ErrorBody).errors ?? {}).sort()).toEqual([
      'answerId',
      'documentId',
      'id',
    ]);
    const one = await analyst.fetch(contentPath(png.rfiId, png.answerId, `${png.documentId}x`));
    expect(one.status).toBe(400);
    expect(Object.keys(((await one.json()) as ErrorBody).errors ?? {})).toEqual(['documentId']);
    const answerOnly = await analyst.fetch(contentPath(png.rfiId, "' OR ''='", png.documentId));
    expect(answerOnly.status).toBe(400);
    expect(Object.keys(((await answerOnly.json()) as ErrorBody).errors ?? {})).toEqual(['answerId']);
    expect(await viewEvents()).toHaveLength(before);
  });
});
