import type { ErrorBody, ProviderAction } from '@desk/shared';
import type { TestDesk } from './desk.js';

/** A document upload from the desk, as the case page sends it (multipart: type + file). */
export async function uploadDocument(desk: TestDesk, id: string, type: string, file: Blob | null, name = 'scan.png') {
  const form = new FormData();
  form.set('type', type);
  if (file) form.set('file', file, name);
  const res = await fetch(`${desk.url}/api/applications/${id}/documents`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as ProviderAction & ErrorBody };
}

export const png = (bytes = 2048) => new Blob([Buffer.alloc(bytes, 7)], { type: 'image/png' });
