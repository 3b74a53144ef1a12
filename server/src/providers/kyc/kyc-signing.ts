/**
 * The generic KYC provider's webhook signature: `X-Webhook-Signature` = base64 HMAC-SHA256
 * of `${X-Webhook-Timestamp}.${body}` under the webhook secret, the timestamp in unix seconds
 * and the body the exact bytes received. Requests to the provider are not signed (the API
 * key in `Authorization: Bearer` is the only credential).
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from '../../http/secrets.js';

export function kycWebhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('base64');
}

/** Constant-time comparison of the expected base64 signature with the one given. */
export function kycSignaturesMatch(expected: string, given: string): boolean {
  return sameSecret(expected, given.trim());
}
