/**
 * Webhook signatures. The guide points to "Verifying Webhooks" without giving the scheme, so
 * the sandbox uses the desk's default:
 *
 *   x-fin-timestamp  unix seconds, taken at each delivery attempt
 *   x-fin-signature  base64 HMAC-SHA256(webhook secret, `${x-fin-timestamp}.${body}`)
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function signFinWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('base64');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Constant-time equality; both sides hashed first so their lengths do not show. */
export function secretsEqual(expected: string, given: string): boolean {
  return timingSafeEqual(createHash('sha256').update(expected).digest(), createHash('sha256').update(given).digest());
}
