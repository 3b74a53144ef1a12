/**
 * Fin.com webhook signatures: `x-fin-signature` = base64 HMAC-SHA256 of
 * `${x-fin-timestamp}.${body}` with the webhook secret; `x-fin-timestamp` is unix seconds,
 * taken at each delivery attempt (checked by `verifySignedWebhook`). `x-fin-event-id`, when
 * sent, must name the body's event (the adapter checks it). Fin.com signs no partner requests
 * (a Bearer token is the only credential).
 */
import type { WebhookSigning } from '../webhook-verification.js';

export const finEventIdHeader = 'x-fin-event-id';

export const finWebhookSigning: WebhookSigning = {
  signatureHeader: 'x-fin-signature',
  timestampHeader: 'x-fin-timestamp',
  eventIdHeader: finEventIdHeader,
  requiredHeaders: ['x-fin-signature', 'x-fin-timestamp'],
};
