/**
 * Jiko's signatures. Partner requests: `x-jiko-signature` = base64 HMAC-SHA256 of
 * idempotency key + path + body with the shared secret. Webhooks: `x-jiko-signature` = base64
 * HMAC-SHA256 of `${timestamp}.${body}` with the webhook secret, the timestamp (unix seconds)
 * sent as `x-jiko-timestamp` (checked by `verifySignedWebhook`).
 */
import { createHmac } from 'node:crypto';
import { type WebhookSigning, webhookSignature } from '../webhook-verification.js';

export function jikoRequestSignature(
  secret: string,
  idempotencyKey: string,
  path: string,
  body: string | Buffer,
): string {
  return createHmac('sha256', secret).update(idempotencyKey).update(path).update(body).digest('base64');
}

export const jikoWebhookSigning: WebhookSigning = {
  signatureHeader: 'x-jiko-signature',
  timestampHeader: 'x-jiko-timestamp',
  eventIdHeader: null,
  requiredHeaders: ['x-jiko-signature', 'x-jiko-timestamp'],
};

/** What Jiko sends as `x-jiko-signature` with a webhook (for tests that deliver one by hand). */
export const jikoWebhookSignature = webhookSignature;
