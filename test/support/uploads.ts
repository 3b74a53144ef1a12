import type { ErrorBody, ProviderAction } from '@desk/shared';
import type { TestDesk } from './desk.js';

/** A document upload from the desk, as the case page sends it (multipart: type, details, file). */
export async function uploadDocument(
  desk: TestDesk,
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

export const png = (bytes = 2048) => new Blob([Buffer.alloc(bytes, 7)], { type: 'image/png' });

const signatures = {
  'image/png': Buffer.from('89504e470d0a1a0a', 'hex'),
  'image/jpeg': Buffer.from('ffd8ffe0', 'hex'),
  'application/pdf': Buffer.from('%PDF-1.7\n', 'latin1'),
} as const;

/** A file whose first bytes are those of its type (providers check them), padded to `bytes`. */
export function realFile(contentType: keyof typeof signatures, bytes = 4096, fill = 7): Blob {
  const head = signatures[contentType];
  return new Blob([Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length), fill)])], { type: contentType });
}

/** An answer to an RFI as the RFI page sends it: `text`, `fields` (JSON), files by item key. */
export async function answerRfi(
  desk: TestDesk,
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
