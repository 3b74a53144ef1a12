/**
 * What an uploaded file is, by its bytes rather than by what the sender declared. A declared
 * type is only a claim: an HTML page sent as `image/png` would otherwise be stored, handed to a
 * provider and served back from `/files/...`. The file's magic bytes (read by `file-type`) must
 * name a type the use accepts and the very type that was declared.
 *
 * Beyond the first bytes, a cheap look at the end says whether the file is plausibly whole:
 *
 *   PNG   ends with its IEND chunk. Nothing legitimate follows it, so a PNG header with HTML,
 *         a script or a second file glued on after the image is refused.
 *   PDF   has its `%%EOF` marker within the last 1,024 bytes (where PDF readers look for it;
 *         some writers leave a little padding after it).
 *   JPEG  holds an end-of-image marker (FF D9) after its header. Data after it is allowed:
 *         phone cameras append their own (motion photos, maker trailers), and refusing those
 *         would refuse real identity documents.
 *
 * A polyglot whose start is a valid PNG/JPEG/PDF header is therefore that type by its magic
 * bytes; what could make it dangerous is a reader sniffing it as something else, which the
 * `/files/...` answers prevent (`nosniff`, a sandboxing CSP, `attachment`). Text formats
 * (HTML, SVG, XML, plain text) have no magic bytes and are never one of the accepted types.
 */

import type { FieldErrors } from '@desk/shared';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../http/app-error.js';

/** The types a file answering an RFI may be. */
export const rfiAnswerContentTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;

/** Names some senders use for a type, and the type the desk knows it by. */
const aliases = new Map([
  ['image/jpg', 'image/jpeg'],
  ['image/pjpeg', 'image/jpeg'],
]);

/** A declared content type as the desk compares it: lower case, no parameters, aliases resolved. */
export function declaredContentType(declared: string): string {
  const bare = declared.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return aliases.get(bare) ?? bare;
}

export type ContentCheck = { ok: true; contentType: string } | { ok: false; problem: string };

const pngEnd = Buffer.from('0000000049454e44ae426082', 'hex');
const pdfEnd = Buffer.from('%%EOF', 'latin1');
const jpegEnd = Buffer.from([0xff, 0xd9]);
const pdfTrailerWindow = 1024;

/** Whether a file that starts like `contentType` also ends like one (see the header). */
function looksWhole(contentType: string, bytes: Buffer): boolean {
  switch (contentType) {
    case 'image/png':
      return bytes.length >= 8 + pngEnd.length && bytes.subarray(bytes.length - pngEnd.length).equals(pngEnd);
    case 'application/pdf':
      return bytes.subarray(Math.max(0, bytes.length - pdfTrailerWindow)).includes(pdfEnd);
    case 'image/jpeg':
      return bytes.lastIndexOf(jpegEnd) >= 3;
    default:
      return false;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what plain text must not hold
const textControl = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

/** Whether the bytes open like markup (`<` after an optional BOM and white space), as browsers sniff HTML. */
function opensLikeMarkup(bytes: Buffer): boolean {
  let at = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  while (at < bytes.length && [0x09, 0x0a, 0x0c, 0x0d, 0x20].includes(bytes[at] ?? 0)) at++;
  return bytes[at] === 0x3c;
}

/** A few words on bytes that carry no known magic: empty, markup, plain text, or unknown. */
function describeUnknown(bytes: Buffer): string {
  if (bytes.length === 0) return 'is empty';
  if (opensLikeMarkup(bytes)) return 'is text markup (HTML, SVG or XML)';
  try {
    // `stream` keeps a character cut at the window's edge from counting as invalid UTF-8.
    const head = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 1024), { stream: true });
    return textControl.test(head) ? 'is of no type the desk recognises' : 'is plain text';
  } catch {
    return 'is of no type the desk recognises';
  }
}

/** What `file-type` reads, with the types the desk treats as one (an APNG is a PNG). */
async function sniff(bytes: Buffer): Promise<string | null> {
  if (bytes.length === 0) return null;
  const found = await fileTypeFromBuffer(bytes);
  if (!found) return null;
  return found.mime === 'image/apng' ? 'image/png' : found.mime;
}

/**
 * Checks a file's bytes against its declared type and the types this use accepts. On success,
 * the type to store is the one the bytes showed (equal to the declared one, aliases resolved).
 */
export async function checkFileContent(
  bytes: Buffer,
  declared: string,
  accepted: readonly string[],
): Promise<ContentCheck> {
  const claimed = declaredContentType(declared);
  const sniffed = await sniff(bytes);
  if (!sniffed) return { ok: false, problem: `${describeUnknown(bytes)}, not ${claimed}` };
  if (!accepted.includes(sniffed))
    return { ok: false, problem: `is ${sniffed} by its bytes, which is not accepted (${accepted.join(', ')})` };
  if (sniffed !== claimed) return { ok: false, problem: `is declared ${claimed} but its bytes are ${sniffed}` };
  if (!looksWhole(sniffed, bytes))
    return {
      ok: false,
      problem: `starts like ${sniffed} but does not end like one (truncated, or something appended)`,
    };
  return { ok: true, contentType: sniffed };
}

/** The 415 for files of a type not accepted here, or whose bytes are not what they claim, naming each field. */
export function unsupportedContent(errors: FieldErrors): AppError {
  return new AppError('unsupported_media_type', `Unsupported file: ${errors.fields.join(', ')}`, errors.toRecord());
}
