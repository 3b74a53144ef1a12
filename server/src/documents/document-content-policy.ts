/** Which stored files the desk shows to staff, and under which content security policy. */
import { servedContentType } from '../files/file-disposition.js';

const imagePolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox";
const pdfPolicy = "default-src 'none'; object-src 'self'; plugin-types application/pdf; frame-ancestors 'self'";

/** The policy a served type is shown under; null for a type the desk does not show. */
export function documentContentPolicy(contentType: string): string | null {
  if (contentType === 'application/pdf') return pdfPolicy;
  if (contentType === 'image/png' || contentType === 'image/jpeg') return imagePolicy;
  return null;
}

/** Whether a file stored as `storedType` can be opened in the viewer (it is served in a type the desk shows). */
export function isViewableContentType(storedType: string | null): boolean {
  return documentContentPolicy(servedContentType(storedType)) !== null;
}
