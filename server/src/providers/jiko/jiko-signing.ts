/**
 * Jiko's signatures. Partner requests: `x-jiko-signature` = base64 HMAC-SHA256 of
 * idempotency key + path + body with the shared secret. Webhooks: base64 HMAC-SHA256 of
 * `${timestamp}.${body}` with the webhook secret, sent with `x-jiko-timestamp`.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../../http/secrets.js';

export function jikoRequestSignature(
  secret: string,
  idempotencyKey: string,
  path: string,
  body: string | Buffer,
): string {
  return createHmac('sha256', secret).update(idempotencyKey).update(path).update(body).digest('base64');
}

export function jikoWebhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('base64');
}

/** Constant-time comparison of two base64 signatures (see `sameSecret`). */
export function signaturesMatch(expected: string, given: string): boolean {
  return sameSecret(expected, given);
}
