/**
 * Checks document images as the provider would on review: the guide has the partner upload
 * images to its own storage and send their URLs, so the sandbox fetches each
 * `frontImageUrl` / `backImageUrl` and holds it to the guide's technical requirements:
 *
 *   format  JPG, PNG or PDF, by the file's first bytes (not its name or Content-Type)
 *   size    100 KB to 10 MB (102,400 to 10,485,760 bytes)
 *
 * An image that cannot be fetched (no answer within 10 s, a non-2xx status) is a problem
 * too. Resolution and colour, which the guide only recommends, are not checked. Nothing is
 * kept of the file. Problems do not fail a request: they become the review's RFI.
 *
 * Where the images may come from (the guide is silent; a sandbox on the desk's own server must
 * not fetch whatever it is told): only from the partner's file origin given at creation — the
 * desk's public origin, where its signed file links point — with scheme, host and port equal
 * and no user name or password in the URL. Any other URL is a problem ("not fetched") and no
 * request is made. A redirect is never followed: a 3xx answer is "could not be retrieved".
 */
import type { KycDocument } from './kyc-data.js';
import type { ImageProblem } from './review-rules.js';

export const imageLimits = { minBytes: 100 * 1024, maxBytes: 10 * 1024 * 1024, fetchTimeoutMs: 10_000 } as const;

const signatures: { format: string; bytes: number[] }[] = [
  { format: 'JPG', bytes: [0xff, 0xd8, 0xff] },
  { format: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'PDF', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
];

export function imageFormatOf(head: Uint8Array): string | null {
  return signatures.find((s) => s.bytes.every((b, i) => head[i] === b))?.format ?? null;
}

/** Reads the body up to one byte over the limit; returns the first bytes and the size seen. */
async function readCapped(
  body: ReadableStream<Uint8Array>,
): Promise<{ head: Uint8Array; size: number; tooLarge: boolean }> {
  const reader = body.getReader();
  const head = new Uint8Array(16);
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size < head.length) head.set(value.subarray(0, head.length - size), size);
      size += value.length;
      if (size > imageLimits.maxBytes) return { head, size, tooLarge: true };
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return { head, size, tooLarge: false };
}

/** Why `url` is not fetched from `allowedOrigin` (e.g. http://127.0.0.1:3000), or null when it may be. */
export function imageUrlRefusal(url: string, allowedOrigin: string): string | null {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  const allowed = new URL(allowedOrigin);
  const sameOrigin =
    parsed !== null &&
    parsed.protocol === allowed.protocol &&
    parsed.host === allowed.host &&
    parsed.username === '' &&
    parsed.password === '';
  return sameOrigin ? null : `the image was not fetched: image URLs must be on ${allowed.origin}`;
}

/** What is wrong with the image at `url`, or null when it meets the requirements. */
export async function imageProblemOf(url: string, allowedOrigin: string): Promise<string | null> {
  const refusal = imageUrlRefusal(url, allowedOrigin);
  if (refusal) return refusal;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(imageLimits.fetchTimeoutMs), redirect: 'manual' });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      return `the image could not be retrieved (HTTP ${res.status}: redirects are not followed)`;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      return `the image could not be retrieved (HTTP ${res.status})`;
    }
    const { head, size, tooLarge } = await readCapped(res.body);
    if (tooLarge) return 'the file is larger than 10 MB';
    if (imageFormatOf(head) === null) return 'the file is not a JPG, PNG or PDF';
    if (size < imageLimits.minBytes) return `the file is ${size} bytes; files must be at least 100 KB`;
    return null;
  } catch (err) {
    const reason =
      err instanceof Error && err.name === 'TimeoutError' ? 'no answer within 10 s' : 'the URL could not be reached';
    return `the image could not be retrieved (${reason})`;
  }
}

/** Every image of every document, checked concurrently; only `allowedOrigin` is ever fetched. */
export async function checkDocumentImages(
  documents: readonly KycDocument[],
  allowedOrigin: string,
): Promise<ImageProblem[]> {
  const checks = documents.flatMap((document, documentIndex) =>
    (['frontImageUrl', 'backImageUrl'] as const).flatMap((field) => {
      const url = document[field];
      return url ? [{ documentIndex, field, url }] : [];
    }),
  );
  const results = await Promise.all(
    checks.map(async (c) => ({ ...c, problem: await imageProblemOf(c.url, allowedOrigin) })),
  );
  return results.flatMap(({ documentIndex, field, problem }) => (problem ? [{ documentIndex, field, problem }] : []));
}
