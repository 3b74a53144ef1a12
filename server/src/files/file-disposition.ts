/**
 * How a stored file is handed out from `/files/...`. The file name was typed by whoever
 * uploaded it, so it is never put into a header as given: it becomes a plain name (no path,
 * no control or direction-changing characters, the extension of the type actually served)
 * written twice — an ASCII fallback in `filename="…"` and the full name in RFC 5987's
 * `filename*=UTF-8''…` — so the header is always plain ASCII and nothing can end it early.
 */

/** The types the desk stores files as, and the extension a saved file gets. */
const extensionByType = new Map([
  ['application/pdf', 'pdf'],
  ['image/png', 'png'],
  ['image/jpeg', 'jpg'],
]);

/** A stored file of any other type (from before content checks) is served as opaque bytes. */
export function servedContentType(stored: string | null): string {
  return stored !== null && extensionByType.has(stored) ? stored : 'application/octet-stream';
}

// Control characters (C0, DEL, C1) and the bidirectional controls that can make
// `scan‮gpj.exe` display as `scanexe.jpg`.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a file name must not hold
const unsafeCharacters = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const maxStemLength = 100;

/** The name a download is saved under: the stored name's last segment, made plain, with the served type's extension. */
export function downloadName(storedName: string | null, contentType: string): string {
  // Round-tripping through UTF-8 turns lone surrogates into U+FFFD, so the name is well formed.
  const wellFormed = Buffer.from(storedName ?? '', 'utf8').toString('utf8');
  const lastSegment = wellFormed.split(/[/\\]/).pop() ?? '';
  const plain = lastSegment.replace(unsafeCharacters, '').trim();
  const dot = plain.lastIndexOf('.');
  const stem = (dot > 0 ? plain.slice(0, dot) : plain).replace(/^[.\s]+|[.\s]+$/g, '');
  const shortened = Array.from(stem).slice(0, maxStemLength).join('');
  return `${shortened || 'document'}.${extensionByType.get(contentType) ?? 'bin'}`;
}

// RFC 5987 attr-char: what may stand unencoded in `filename*`.
const attrChar = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

function percentEncoded(name: string): string {
  let out = '';
  for (const byte of Buffer.from(name, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && attrChar.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The fallback for clients that ignore `filename*`: printable ASCII without quote, backslash or percent. */
function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
}

function disposition(kind: 'attachment' | 'inline', storedName: string | null, contentType: string): string {
  const name = downloadName(storedName, contentType);
  return `${kind}; filename="${asciiFallback(name)}"; filename*=UTF-8''${percentEncoded(name)}`;
}

/** `attachment; filename="…"; filename*=UTF-8''…` for a stored file name. */
export function attachmentDisposition(storedName: string | null, contentType: string): string {
  return disposition('attachment', storedName, contentType);
}

/** `inline; filename="…"; filename*=UTF-8''…`: shown in the page, saved under the same plain name. */
export function inlineDisposition(storedName: string | null, contentType: string): string {
  return disposition('inline', storedName, contentType);
}
