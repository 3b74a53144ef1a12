/**
 * The headers every stored document file is served with (a case document or an RFI answer
 * file): inline under a plain name, never cached or sniffed, in the type sniffed at upload; an
 * image sandboxed, a PDF framable by the desk only and loading nothing else.
 */
export const servedImageHeaders = (bytes: Buffer, disposition: string) => ({
  'content-type': 'image/png',
  'content-length': String(bytes.length),
  'cache-control': 'private, no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
  'x-frame-options': 'SAMEORIGIN',
  'cross-origin-resource-policy': 'same-origin',
  'content-disposition': disposition,
});

export const servedPdfHeaders = (bytes: Buffer, disposition: string) => ({
  'content-type': 'application/pdf',
  'content-length': String(bytes.length),
  'cache-control': 'private, no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; object-src 'self'; plugin-types application/pdf; frame-ancestors 'self'",
  'x-frame-options': 'SAMEORIGIN',
  'content-disposition': disposition,
});
