/**
 * What every provider's webhook check shares. Each provider signs a delivery the same way —
 * base64 HMAC-SHA256 of `${timestamp}.${raw body}` under its webhook secret, the timestamp in
 * unix seconds — in headers of its own (`WebhookSigning`, beside each adapter). So the steps
 * are one: the provider's headers present, the timestamp well-formed and within the window
 * (an old delivery replayed is refused), the signature compared in constant time, then the
 * body read as the provider's event (`readSignedEvent`). A check of a header against the body
 * stays with its adapter.
 */
import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import { sameSecret } from '../http/secrets.js';
import type { WebhookVerification } from './provider-adapter.js';
import { readSignedEvent } from './webhook-payload.js';

export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** How one provider signs its webhooks: its header names. */
export type WebhookSigning = {
  /** Carries the signature: base64 HMAC-SHA256 of `${timestamp}.${raw body}` under the webhook secret. */
  signatureHeader: string;
  /** Carries the time of the delivery in unix seconds (signed with the body). */
  timestampHeader: string;
  /** Names the event; not covered by the signature, so its adapter checks it against the body's id. */
  eventIdHeader: string | null;
  /** Every header a delivery must carry (those two among them), in the order a refusal names them. */
  requiredHeaders: readonly string[];
};

/** How far a delivery's timestamp may be from the desk's clock, either way, unless configured. */
export const defaultWebhookToleranceSeconds = 300;

/** The signature a provider sends with `body`, delivered at `timestamp` (unix seconds, as sent). */
export function webhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('base64');
}

/** A header's first value (header names match whatever their case); empty is absent. */
export function headerValue(headers: WebhookHeaders, name: string): string | null {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}

/** "a", "a or b", "a, b or c". */
function either(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export type SignedWebhook<T> = { ok: true; event: T; json: unknown };
export type RefusedWebhook = Extract<WebhookVerification, { ok: false }>;

/**
 * Verifies a delivery signed as `signing` says and reads its body as `schema`. A refusal before
 * the signature holds (`rejected` unset) keeps nothing; a signed body that is not an event is
 * `rejected` (kept, never applied). `label` names the provider's event in messages ("a Jiko").
 */
export function verifySignedWebhook<S extends z.ZodType>(
  delivery: { headers: WebhookHeaders; rawBody: Buffer; now: Date },
  signing: WebhookSigning,
  key: { secret: string; toleranceSeconds?: number | undefined },
  event: { schema: S; label: string },
): SignedWebhook<z.output<S>> | RefusedWebhook {
  const { headers, rawBody, now } = delivery;
  const signature = headerValue(headers, signing.signatureHeader);
  const timestamp = headerValue(headers, signing.timestampHeader);
  if (signature === null || timestamp === null || signing.requiredHeaders.some((h) => headerValue(headers, h) === null))
    return { ok: false, reason: `missing ${either(signing.requiredHeaders)}` };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: `malformed ${signing.timestampHeader}` };
  const tolerance = key.toleranceSeconds ?? defaultWebhookToleranceSeconds;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > tolerance)
    return { ok: false, reason: 'timestamp outside the accepted window' };
  // Header values carry no surrounding whitespace over HTTP; a caller handing one over is trimmed alike.
  if (!sameSecret(webhookSignature(key.secret, timestamp, rawBody), signature.trim()))
    return { ok: false, reason: 'signature does not match' };
  // Signed by the provider: from here on, a body the desk cannot take is kept and answered 422.
  const read = readSignedEvent(rawBody, event.schema, event.label);
  if (!read.ok) return { ok: false, reason: read.rejected.message, rejected: read.rejected };
  return { ok: true, event: read.event, json: read.json };
}
