/**
 * The generic KYC provider's webhook signature: `X-Webhook-Signature` = base64 HMAC-SHA256
 * of `${X-Webhook-Timestamp}.${body}` under the webhook secret, the timestamp in unix seconds
 * and the body the exact bytes received (checked by `verifySignedWebhook`). `X-Webhook-Id`
 * is required and must name the body's event (the adapter checks it). Requests to the
 * provider are not signed (the API key in `Authorization: Bearer` is the only credential).
 */
import type { WebhookSigning } from '../webhook-verification.js';

export const kycEventIdHeader = 'x-webhook-id';

export const kycWebhookSigning: WebhookSigning = {
  signatureHeader: 'x-webhook-signature',
  timestampHeader: 'x-webhook-timestamp',
  eventIdHeader: kycEventIdHeader,
  requiredHeaders: [kycEventIdHeader, 'x-webhook-timestamp', 'x-webhook-signature'],
};
