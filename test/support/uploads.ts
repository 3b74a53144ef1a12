import { crc32, deflateSync } from 'node:zlib';
import type { ErrorBody, ProviderAction } from '@desk/shared';
import type { DeskClient } from './desk.js';

/** A document upload from the desk, as the case page sends it (multipart: type, details, file). */
export async function uploadDocument(
  desk: Pick<DeskClient, 'fetch'>,
  id: string,
  type: string,
  file: Blob | null,
  name = 'scan.png',
  details: Record<string, string> = {},
) {
  const form = new FormData();
  form.set('type', type);
  for (const [key, value] of Object.entries(details)) form.set(key, value);
  if (file) form.set('file', file, name);
  const res = await desk.fetch(`/api/applications/${id}/documents`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as ProviderAction & ErrorBody };
}

/** A PNG of exactly `bytes` bytes (a whole one: see `realFile`); 0 gives an empty file. */
export const png = (bytes = 2048) => (bytes === 0 ? new Blob([], { type: 'image/png' }) : realFile('image/png', bytes));

const pngChunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};

/** A 1×1 grey PNG: signature, IHDR, one IDAT and IEND; padding goes in a private chunk before IEND. */
function pngFile(bytes: number, fill: number): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, fill & 0xff]));
  const head = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat)]);
  const end = pngChunk('IEND', Buffer.alloc(0));
  const padding = bytes - head.length - end.length - 12;
  return Buffer.concat([head, padding >= 0 ? pngChunk('deSk', Buffer.alloc(padding, fill)) : Buffer.alloc(0), end]);
}

/** The start and the end each type's checks look at, with filler between. */
const frames = {
  'image/jpeg': {
    head: Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
    tail: Buffer.from('ffd9', 'hex'),
  },
  'application/pdf': { head: Buffer.from('%PDF-1.7\n', 'latin1'), tail: Buffer.from('\n%%EOF\n', 'latin1') },
} as const;

/**
 * A file that is what it says by its bytes (the desk and the providers check them): it starts
 * with its type's magic bytes and ends as its type ends (PNG IEND, JPEG end-of-image, PDF
 * `%%EOF`), `bytes` long (or the least such a file can be).
 */
export function realFile(contentType: 'image/png' | 'image/jpeg' | 'application/pdf', bytes = 4096, fill = 7): Blob {
  if (contentType === 'image/png') return new Blob([new Uint8Array(pngFile(bytes, fill))], { type: contentType });
  const { head, tail } = frames[contentType];
  const body = Buffer.alloc(Math.max(0, bytes - head.length - tail.length), fill);
  return new Blob([new Uint8Array(Buffer.concat([head, body, tail]))], { type: contentType });
}

/** An answer to an RFI as the RFI page sends it: `text`, `fields` (JSON), files by item key. */
export async function answerRfi(
  desk: Pick<DeskClient, 'fetch'>,
  rfiId: string,
  parts: { text?: string; fields?: Record<string, string>; files?: Record<string, { blob: Blob; name: string }> },
) {
  const form = new FormData();
  if (parts.text !== undefined) form.set('text', parts.text);
  if (parts.fields) form.set('fields', JSON.stringify(parts.fields));
  for (const [key, file] of Object.entries(parts.files ?? {})) form.set(key, file.blob, file.name);
  const res = await desk.fetch(`/api/rfis/${rfiId}/answers`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as unknown };
}
