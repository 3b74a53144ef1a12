/**
 * Fin.com webhook signatures: `x-fin-signature` = base64 HMAC-SHA256 of
 * `${x-fin-timestamp}.${body}` with the webhook secret; `x-fin-timestamp` is unix seconds,
 * taken at each delivery attempt. Fin.com signs no partner requests (a Bearer token is the
 * only credential).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function finWebhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('base64');
}

/** Constant-time comparison; both sides are hashed first so their lengths do not show. */
export function finSignaturesMatch(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
