/**
 * Uploads are checked by their bytes, not by the type the sender declared: a case document and
 * an RFI answer's file that is not what it claims is refused with 415 naming its field, and
 * nothing is stored or sent. Files handed out from `/files/...` are attachments under a safe
 * name that no browser will sniff, render or run.
 */

import { createFileUrls, loadFileUrlKey } from '@desk/server/internals';
import type { ApplicationDetail, ErrorBody, Rfi } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { type SignedInClient, startTestDesk, type TestDesk } from '../support/desk.js';
import { png, realFile, uploadDocument } from '../support/uploads.js';

const html =
  '<!doctype html><html><body><script>fetch("/api/auth/me").then((r) => r.text()).then(alert)</script></body></html>';
const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><circle r="9"/></svg>';
const blob = (parts: BlobPart[], type: string) => new Blob(parts, { type });
const bytesOf = async (file: Blob) => Buffer.from(await file.arrayBuffer());

/** Files that are not what they claim, each with what the answer must say about its bytes. */
const impostors: [string, () => Promise<Blob>, RegExp][] = [
  ['HTML sent as image/png', async () => blob([html], 'image/png'), /text markup \(HTML, SVG or XML\), not image\/png/],
  ['SVG sent as image/png', async () => blob([svg], 'image/png'), /text markup/],
  [
    'a text file sent as application/pdf',
    async () => blob(['Payslip, March: 4,200.00\n'], 'application/pdf'),
    /plain text, not application\/pdf/,
  ],
  [
    'a JPEG declared as a PNG',
    async () => blob([await bytesOf(realFile('image/jpeg'))], 'image/png'),
    /declared image\/png but its bytes are image\/jpeg/,
  ],
  ['an empty file', async () => png(0), /is empty/],
  [
    'a PNG header followed by HTML',
    async () => blob([Buffer.from('89504e470d0a1a0a', 'hex'), html], 'image/png'),
    /not image\/png/,
  ],
  [
    'a whole PNG with HTML after its end',
    async () => blob([await bytesOf(realFile('image/png')), html], 'image/png'),
    /does not end like one/,
  ],
  ['a PDF header on an HTML page', async () => blob(['%PDF-1.7\n', html], 'application/pdf'), /does not end like one/],
  [
    'an HTML page holding a PDF',
    async () => blob([html, await bytesOf(realFile('application/pdf'))], 'application/pdf'),
    /text markup/,
  ],
];

describe.each(databaseKinds)('Uploads checked by content on %s database', (kind) => {
  let desk: TestDesk;
  let analyst: SignedInClient;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 60 });
    analyst = desk.as('analyst');
  });
  afterAll(async () => {
    await desk?.stop();
  });

  /** A demo Jiko case the provider asked documents for, one per test so none sees another's uploads. */
  async function documentsNeededCase(skip: number): Promise<string> {
    const row = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('provider', '=', 'jiko')
      .where('provider_status', '=', 'DOCUMENTS_NEEDED')
      .orderBy('created_at')
      .orderBy('id')
      .offset(skip)
      .limit(1)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** What an upload could have written for a case: documents, their bytes, provider actions. */
  async function storedFor(applicationId: string) {
    const documents = await desk.db
      .selectFrom('application_documents as d')
      .leftJoin('document_contents as c', 'c.document_id', 'd.id')
      .select(['d.id', 'd.sha256', 'd.content_type', 'd.version', 'c.document_id as hasBytes'])
      .where('d.application_id', '=', applicationId)
      .orderBy('d.id')
      .execute();
    const actions = await desk.db
      .selectFrom('provider_actions')
      .select('id')
      .where('application_id', '=', applicationId)
      .execute();
    return { documents, actions: actions.length };
  }

  it('When an analyst uploads a case document that is not what it claims, then it is 415 naming the file and saying what the bytes are, and nothing is stored or sent', async () => {
    const id = await documentsNeededCase(0);
    const before = await storedFor(id);
    for (const [what, make, problem] of impostors) {
      const res = await uploadDocument(analyst, id, 'ID_FRONT', await make(), 'scan.png');
      expect(res.status, what).toBe(415);
      expect(res.body.code, what).toBe('unsupported_media_type');
      expect(Object.keys(res.body.errors ?? {}), what).toEqual(['file']);
      expect(res.body.errors?.file?.join(' '), what).toMatch(problem);
    }
    expect(await storedFor(id)).toEqual(before);
    const detail = (await analyst.get<ApplicationDetail>(`/api/applications/${id}`)).body;
    expect(detail.providerActions.filter((a) => a.kind === 'upload_document')).toEqual([]);
  });

  it('When the declared type itself is not accepted or the file is too large, then those answers come first, as before', async () => {
    const id = await documentsNeededCase(1);
    const before = await storedFor(id);
    const declared = await uploadDocument(analyst, id, 'ID_FRONT', blob([html], 'text/html'), 'page.html');
    expect(declared.status).toBe(415);
    expect(declared.body.errors?.file).toEqual(['must be one of image/png, image/jpeg, application/pdf']);
    const large = await uploadDocument(
      analyst,
      id,
      'ID_FRONT',
      blob([Buffer.alloc(5 * 1024 * 1024 + 1, 0x3c)], 'image/png'),
      'big.png',
    );
    expect(large.status).toBe(413);
    expect(await storedFor(id)).toEqual(before);
  });

  it('When real PNG, JPEG and PDF files are uploaded, then each is accepted and stored as the type its bytes show', async () => {
    const id = await documentsNeededCase(2);
    const uploads: [string, Blob, string, string][] = [
      ['ID_FRONT', realFile('image/png'), 'front.png', 'image/png'],
      ['ID_BACK', realFile('image/jpeg'), 'back.jpg', 'image/jpeg'],
      // Some senders call JPEG image/jpg: the desk reads it as image/jpeg.
      [
        'IDENTIFICATION_NUMBER_VERIFICATION',
        blob([await bytesOf(realFile('image/jpeg'))], 'image/jpg'),
        'card.jpg',
        'image/jpeg',
      ],
      ['ADDRESS_VERIFICATION', realFile('application/pdf'), 'bill.pdf', 'application/pdf'],
    ];
    for (const [type, file, name, stored] of uploads) {
      const res = await uploadDocument(analyst, id, type, file, name);
      expect(res.status, name).toBe(202);
      const row = await desk.db
        .selectFrom('application_documents')
        .select(['content_type', 'size_bytes'])
        .where('id', '=', res.body.document?.id ?? '')
        .executeTakeFirstOrThrow();
      expect(row, name).toEqual({ content_type: stored, size_bytes: file.size });
    }
  });

  describe('RFI answers', () => {
    async function openRfi(): Promise<Rfi> {
      const target = await desk.db
        .selectFrom('applications')
        .select('id')
        .where('stage', '=', 'manual_review')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const res = await analyst.post<Rfi>(`/api/applications/${target.id}/rfis`, {
        title: 'Proof of income',
        dueAt: new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString(),
        items: [
          { kind: 'document', key: 'PAYSLIP', label: 'A recent payslip' },
          { kind: 'document', key: 'BANK_STATEMENT', label: 'A bank statement' },
        ],
      });
      expect(res.status).toBe(201);
      return res.body;
    }

    async function answer(rfiId: string, files: Record<string, { file: Blob; name: string }>) {
      const form = new FormData();
      for (const [key, { file, name }] of Object.entries(files)) form.set(key, file, name);
      const res = await analyst.fetch(`/api/rfis/${rfiId}/answers`, { method: 'POST', body: form });
      return { status: res.status, body: (await res.json()) as Rfi & ErrorBody };
    }

    const answersOf = async (rfiId: string) =>
      (await desk.db.selectFrom('rfi_answers').select('id').where('rfi_id', '=', rfiId).execute()).length;

    it('When an answer carries a file that is not what it claims, then it is 415 naming that item, and the RFI stays open with no answer', async () => {
      const rfi = await openRfi();
      for (const [what, make, problem] of impostors) {
        const res = await answer(rfi.id, {
          PAYSLIP: { file: await make(), name: 'payslip.pdf' },
          BANK_STATEMENT: { file: realFile('application/pdf'), name: 'statement.pdf' },
        });
        expect(res.status, what).toBe(415);
        expect(res.body.code, what).toBe('unsupported_media_type');
        expect(Object.keys(res.body.errors ?? {}), what).toEqual(['PAYSLIP']);
        expect(res.body.errors?.PAYSLIP?.join(' '), what).toMatch(problem);
      }
      // Every bad file is named at once; a declared type that is not accepted is named too.
      const both = await answer(rfi.id, {
        PAYSLIP: { file: blob([svg], 'image/png'), name: 'payslip.png' },
        BANK_STATEMENT: { file: blob([svg], 'image/svg+xml'), name: 'statement.svg' },
      });
      expect(both.status).toBe(415);
      expect(both.body.errors).toEqual({
        PAYSLIP: ['is text markup (HTML, SVG or XML), not image/png'],
        BANK_STATEMENT: ['must be one of application/pdf, image/png, image/jpeg'],
      });
      expect(await answersOf(rfi.id)).toBe(0);
      expect((await analyst.get<Rfi>(`/api/rfis/${rfi.id}`)).body).toMatchObject({ status: 'open', answers: [] });
    });

    it('When an answer carries real files, then it is recorded with the types their bytes show', async () => {
      const rfi = await openRfi();
      const res = await answer(rfi.id, {
        PAYSLIP: { file: blob([await bytesOf(realFile('image/jpeg'))], 'image/jpg'), name: 'payslip.jpg' },
        BANK_STATEMENT: { file: realFile('application/pdf'), name: 'statement.pdf' },
      });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('answered');
      const documents = res.body.answers[0]?.documents ?? [];
      expect(Object.fromEntries(documents.map((d) => [d.itemKey, d.contentType]))).toEqual({
        PAYSLIP: 'image/jpeg',
        BANK_STATEMENT: 'application/pdf',
      });
    });
  });

  describe('/files answers', () => {
    const signedLink = async (kind: 'document' | 'rfi-answer', id: string) =>
      createFileUrls(await loadFileUrlKey(desk.db), () => desk.url).urlFor(kind, id);

    it('When a signed link is fetched, then the file comes as an attachment under a safe name, never sniffed, rendered or cached', async () => {
      const id = await documentsNeededCase(3);
      const file = realFile('image/png', 3000);
      // A name with a path, a direction-changing character and text outside ASCII.
      const uploaded = await uploadDocument(
        analyst,
        id,
        'ID_FRONT',
        file,
        'scans/Reisepass Müller; (2) \u202Egpj.exe.png',
      );
      expect(uploaded.status).toBe(202);
      const res = await fetch(await signedLink('document', uploaded.body.document?.id ?? ''));
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(await bytesOf(file))).toBe(true);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="Reisepass M_ller; (2) gpj.exe.png"; filename*=UTF-8''Reisepass%20M%C3%BCller%3B%20%282%29%20gpj.exe.png`,
      );
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toMatch(/\bno-store\b/);
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    });

    it('When an RFI answer file is fetched by its link, then it is an attachment with the same headers', async () => {
      const target = await desk.db
        .selectFrom('applications')
        .select('id')
        .where('stage', '=', 'manual_review')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const rfi = (
        await analyst.post<Rfi>(`/api/applications/${target.id}/rfis`, {
          title: 'Payslip',
          dueAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
          items: [{ kind: 'document', key: 'PAYSLIP', label: 'A recent payslip' }],
        })
      ).body;
      const form = new FormData();
      form.set('PAYSLIP', realFile('application/pdf'), 'payslip.pdf');
      const answered = (await (
        await analyst.fetch(`/api/rfis/${rfi.id}/answers`, { method: 'POST', body: form })
      ).json()) as Rfi;
      const documentId = answered.answers[0]?.documents[0]?.id ?? '';
      const res = await fetch(await signedLink('rfi-answer', documentId));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="payslip.pdf"; filename*=UTF-8''payslip.pdf`,
      );
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const tampered = await fetch(
        (await signedLink('rfi-answer', documentId)).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      );
      expect(tampered.status).toBe(404);
    });
  });
});
