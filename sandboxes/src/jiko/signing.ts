/**
 * Jiko's two signatures and the digests the sandbox keeps instead of secrets.
 *
 *   partner request  x-jiko-signature = base64 HMAC-SHA256(signing secret, idempotency key + path + body)
 *                    where path is the API path as called (e.g. /api/v1/applications/), no
 *                    host, no mount prefix, no query string
 *   webhook          x-jiko-signature = base64 HMAC-SHA256(webhook secret, `${x-jiko-timestamp}.${body}`)
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export function signJikoRequest(secret: string, idempotencyKey: string, path: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(idempotencyKey).update(path).update(body).digest('base64');
}

export function signJikoWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('base64');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Constant-time equality of two secrets or signatures. Both sides are hashed first so the
 * comparison takes the same time whatever their lengths.
 */
export function secretsEqual(expected: string, given: string): boolean {
  return timingSafeEqual(createHash('sha256').update(expected).digest(), createHash('sha256').update(given).digest());
}

export function verifyJikoRequestSignature(
  secret: string,
  idempotencyKey: string,
  path: string,
  body: Buffer,
  given: string,
): boolean {
  return secretsEqual(signJikoRequest(secret, idempotencyKey, path, body), given);
}
