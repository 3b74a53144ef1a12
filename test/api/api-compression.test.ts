/**
 * API answers on the wire: compressed for a client that accepts it (brotli first, gzip else,
 * as they are otherwise), export downloads still streamed and still exactly the bytes their
 * manifest describes once decoded, and what must never be compressed left alone: an answer
 * without a body, and document files. Requests go out raw (`support/raw-http.ts`), so the bytes
 * checked are the bytes that came, never decompressed on the way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { brotliDecompressSync, createBrotliDecompress, gunzipSync } from 'node:zlib';
import { createFileUrls, loadFileUrlKey } from '@desk/server/internals';
import { applicationListSchema, type ExportManifest } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { emailOf, startTestDesk, type TestDesk, testPassword } from '../support/desk.js';
import { csvRows, ndjsonRows } from '../support/export-files.js';
import { rawRequest } from '../support/raw-http.js';
import { realFile, uploadDocument } from '../support/uploads.js';

/** What a browser sends. */
const browserEncodings = 'gzip, deflate, br, zstd';
/** Extra status changes that make the export long: many network pieces even compressed. */
const extraHistoryRows = 12_000;

type StreamedReply = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as it came, piece by piece. */
  pieces: Buffer[];
  /** The decoded body. */
  decoded: Buffer;
  /** How many decoded bytes the client had before the last piece arrived. */
  decodedBeforeLastPiece: number;
};

/** A GET whose brotli body is decoded as it arrives, the way a browser reads a download. */
function streamBrotli(baseUrl: string, path: string, headers: Record<string, string>): Promise<StreamedReply> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, headers }, (res) => {
      const pieces: Buffer[] = [];
      const decodedParts: Buffer[] = [];
      let decodedSoFar = 0;
      let decodedBeforeLastPiece = 0;
      const decoder = createBrotliDecompress();
      decoder.on('data', (part: Buffer) => {
        decodedParts.push(part);
        decodedSoFar += part.length;
      });
      res.on('data', (piece: Buffer) => {
        decodedBeforeLastPiece = decodedSoFar;
        pieces.push(piece);
        decoder.write(piece);
      });
      res.on('end', () => {
        decoder.end();
        decoder.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            pieces,
            decoded: Buffer.concat(decodedParts),
            decodedBeforeLastPiece,
          }),
        );
      });
      res.on('error', reject);
      decoder.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(databaseKinds)('Compressed API answers on %s database', (kind) => {
  let desk: TestDesk;

  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 60 });
    // A long status history: reasons of random text, which compresses about 2:1, so the
    // compressed export is still hundreds of kilobytes.
    const application = await desk.db.selectFrom('applications').select('id').orderBy('id').executeTakeFirstOrThrow();
    const rows = Array.from({ length: extraHistoryRows }, (_, i) => ({
      application_id: application.id,
      from_status: 'MANUAL_REVIEW' as const,
      to_status: 'MANUAL_REVIEW' as const,
      from_stage: 'manual_review' as const,
      to_stage: 'manual_review' as const,
      at: new Date(Date.UTC(2031, 0, 1) + i),
      source: 'staff' as const,
      actor_id: desk.as('auditor').me.id,
      reason: randomBytes(48).toString('base64'),
    }));
    for (let i = 0; i < rows.length; i += 2_000) {
      await desk.db
        .insertInto('status_history')
        .values(rows.slice(i, i + 2_000))
        .execute();
    }
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const get = (path: string, headers: Record<string, string>) =>
    rawRequest(desk.url, 'GET', path, { headers: { cookie: desk.as('auditor').cookie, ...headers } });

  it('When a client accepts brotli, then a JSON list comes brotli-compressed (gzip when that is all it takes), and as it is to a client that accepts no encoding', async () => {
    const path = '/api/applications?limit=50';
    const br = await get(path, { 'accept-encoding': browserEncodings });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^application\/json/);
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    const fromBrotli = brotliDecompressSync(br.bytes);
    expect(br.bytes.length).toBeLessThan(fromBrotli.length / 3);
    const listed = applicationListSchema.parse(JSON.parse(fromBrotli.toString('utf8')));
    expect(listed.data.length).toBe(50);

    const gzip = await get(path, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const fromGzip = applicationListSchema.parse(JSON.parse(gunzipSync(gzip.bytes).toString('utf8')));

    const plain = await get(path, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const asIs = applicationListSchema.parse(JSON.parse(plain.body));
    // The same page each time (the oldest 50 cases), whatever their statuses do meanwhile.
    const ids = (list: typeof listed) => list.data.map((item) => item.id);
    expect(ids(fromGzip)).toEqual(ids(listed));
    expect(ids(asIs)).toEqual(ids(listed));

    // A fixed document: byte for byte the same in each encoding.
    const spec = await get('/api/openapi.json', {});
    const specBrotli = await get('/api/openapi.json', { 'accept-encoding': browserEncodings });
    expect(specBrotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(specBrotli.bytes).equals(spec.bytes)).toBe(true);
  });

  it('When an auditor downloads a long export accepting brotli, then it streams compressed, arrives in pieces the client decodes as they come, and decodes to exactly the bytes its manifest describes', async () => {
    for (const format of ['csv', 'ndjson'] as const) {
      const res = await streamBrotli(desk.url, `/api/exports/status-history?format=${format}`, {
        cookie: desk.as('auditor').cookie,
        'accept-encoding': browserEncodings,
      });
      expect(res.status, format).toBe(200);
      expect(res.headers['content-encoding'], format).toBe('br');
      // Streamed: no length announced up front, the body sent in chunks as it is produced.
      expect(res.headers['content-length'], format).toBeUndefined();
      expect(res.headers['transfer-encoding'], format).toBe('chunked');
      expect(res.pieces.length, format).toBeGreaterThan(3);
      expect(res.decodedBeforeLastPiece, format).toBeGreaterThan(0);

      const exportId = String(res.headers['x-export-id']);
      const manifest = await get(`/api/exports/${exportId}/manifest`, {});
      expect(manifest.status).toBe(200);
      const described = JSON.parse(manifest.body) as ExportManifest;
      expect(described.state).toBe('complete');
      expect(described.byteCount).toBe(res.decoded.length);
      expect(described.sha256).toBe(createHash('sha256').update(res.decoded).digest('hex'));
      const text = res.decoded.toString('utf8');
      const rows = format === 'csv' ? csvRows(text).rows : ndjsonRows(text);
      expect(rows.length, format).toBe(described.rowCount);
      expect(rows.length, format).toBeGreaterThan(extraHistoryRows);
      const sent = res.pieces.reduce((sum, piece) => sum + piece.length, 0);
      expect(sent, format).toBeLessThan(res.decoded.length * 0.75);
    }
  });

  it('When an answer has no body (204), then it goes untouched even to a client that accepts brotli', async () => {
    const session = await desk.signIn(emailOf('analyst'), testPassword);
    const signOut = await rawRequest(desk.url, 'POST', '/api/auth/logout', {
      headers: { cookie: session.cookie, origin: desk.url, 'accept-encoding': browserEncodings },
    });
    expect(signOut.status).toBe(204);
    expect(signOut.headers['content-encoding']).toBeUndefined();
    expect(String(signOut.headers.vary ?? '')).not.toMatch(/accept-encoding/i);
    expect(signOut.bytes.length).toBe(0);
  });

  it('When a provider fetches a document file accepting brotli, then the file comes as it was stored, never compressed', async () => {
    // A PDF uploaded to a case, fetched through a signed link as a provider does.
    const analyst = desk.as('analyst');
    const needsDocuments = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('provider', '=', 'jiko')
      .where('provider_status', '=', 'DOCUMENTS_NEEDED')
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const pdf = realFile('application/pdf', 64 * 1024);
    const uploaded = await uploadDocument(analyst, needsDocuments.id, 'ID_FRONT', pdf, 'passport.pdf');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(202);
    const link = createFileUrls(await loadFileUrlKey(desk.db), () => desk.url).urlFor(
      'document',
      uploaded.body.document?.id ?? '',
    );
    const file = await rawRequest(desk.url, 'GET', new URL(link).pathname, {
      headers: { 'accept-encoding': browserEncodings },
    });
    expect(file.status).toBe(200);
    expect(file.headers['content-encoding']).toBeUndefined();
    expect(file.bytes.equals(Buffer.from(await pdf.arrayBuffer()))).toBe(true);
  });
});
