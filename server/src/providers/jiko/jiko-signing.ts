/**
 * Jiko's signatures. Partner requests: `x-jiko-signature` = base64 HMAC-SHA256 of
 * idempotency key + path + body with the shared secret. Webhooks: base64 HMAC-SHA256 of
 * `${timestamp}.${body}` with the webhook secret, sent with `x-jiko-timestamp`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function jikoRequestSignature(secret: string, idempotencyKey: string, path: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(idempotencyKey).update(path).update(body).digest('base64');
}

export function jikoWebhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('base64');
}

/** Constant-time comparison of two base64 signatures. */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
