/**
 * The webhook signature. The guide defers signing to its webhook guide, which we do not
 * have, so the sandbox signs as the desk's other providers do:
 *
 *   X-Webhook-Signature = base64 HMAC-SHA256(webhook secret, `${X-Webhook-Timestamp}.${body}`)
 *
 * where the timestamp is unix seconds taken at each attempt and body the exact bytes sent.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function signKycWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('base64');
}

/**
 * Constant-time equality of two secrets. Both sides are hashed first so the comparison takes
 * the same time whatever their lengths.
 */
export function secretsEqual(expected: string, given: string): boolean {
  return timingSafeEqual(createHash('sha256').update(expected).digest(), createHash('sha256').update(given).digest());
}
