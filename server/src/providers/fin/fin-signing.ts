/**
 * Fin.com webhook signatures: `x-fin-signature` = base64 HMAC-SHA256 of
 * `${x-fin-timestamp}.${body}` with the webhook secret; `x-fin-timestamp` is unix seconds,
 * taken at each delivery attempt. Fin.com signs no partner requests (a Bearer token is the
 * only credential).
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../../http/secrets.js';

export function finWebhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('base64');
}

/** Constant-time comparison (see `sameSecret`). */
export function finSignaturesMatch(expected: string, given: string): boolean {
  return sameSecret(expected, given);
}
