/**
 * Trusted devices (OWASP's "device cookies"): after a successful sign-in the browser receives a
 * long-lived cookie naming a random device id, bound to that staff member by an HMAC under a key
 * generated into `desk_secrets` by a migration (so every desk process issues and checks alike).
 * A sign-in that presents a valid one for the account it names is throttled per device, not in
 * the account's pool shared by every other client — which is what lets the owner sign in while
 * the account is being guessed at from elsewhere.
 *
 *   <issued (unix s)>.<device id (128 random bits, base64url)>.<HMAC-SHA256 (base64url)>
 *
 * The cookie grants nothing by itself: it only decides which failure count a password check
 * is reserved against.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { sameSecret } from '../http/secrets.js';

/** How long a device stays trusted after its last successful sign-in. */
export const deviceTrustSeconds = 180 * 24 * 3600;

export const deviceTokenPattern = /^\d{1,12}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

const keys = new WeakMap<Kysely<Database>, Promise<string>>();

/** The signing key, read once per database handle. */
function deviceKey(db: Kysely<Database>): Promise<string> {
  let key = keys.get(db);
  if (!key) {
    key = db
      .selectFrom('desk_secrets')
      .select('value')
      .where('name', '=', 'device_cookie_signing_key')
      .executeTakeFirstOrThrow()
      .then((row) => row.value);
    // A failed read is not remembered: the next sign-in tries again.
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

function mac(key: string, staffId: string, issued: string, deviceId: string): string {
  return createHmac('sha256', key).update(`device.${staffId}.${issued}.${deviceId}`).digest('base64url');
}

/** A fresh device cookie value for a staff member who just signed in. */
export async function issueDeviceToken(db: Kysely<Database>, staffId: string, now = new Date()): Promise<string> {
  const issued = String(Math.floor(now.getTime() / 1000));
  const deviceId = randomBytes(16).toString('base64url');
  return `${issued}.${deviceId}.${mac(await deviceKey(db), staffId, issued, deviceId)}`;
}

/** The device id of a token this desk issued to this staff member and that has not expired; null otherwise. */
export async function trustedDeviceOf(
  db: Kysely<Database>,
  staffId: string,
  token: string,
  now = new Date(),
): Promise<string | null> {
  if (!deviceTokenPattern.test(token)) return null;
  const [issued = '', deviceId = '', signature = ''] = token.split('.');
  if (!sameSecret(mac(await deviceKey(db), staffId, issued, deviceId), signature)) return null;
  const age = now.getTime() / 1000 - Number(issued);
  // A few minutes of clock skew between desk processes is not a forgery.
  return age >= -300 && age <= deviceTrustSeconds ? deviceId : null;
}
