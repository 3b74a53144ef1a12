/**
 * Sign-in throttling that holds under concurrency, and trusted devices.
 *
 * A password check is now reserved before it runs: the attempt row is written (as a failure)
 * under a per-account advisory lock, the password is verified, and only then is the row
 * settled. `settled_at` is null while the check is in flight; such a row already counts as a
 * failure, so a check cut off by a crash never frees its place.
 *
 * `device` is the id of the trusted-device cookie the attempt came with (null: an untrusted
 * client). Failures from a trusted device count against that device only, so an attack from
 * elsewhere that locks the account's untrusted pool never locks out its owner's browser. The
 * cookie's signing key is generated here, like the file-URL key, so every desk process signs and
 * checks alike.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE login_attempts ADD COLUMN device text;
    ALTER TABLE login_attempts ADD COLUMN settled_at timestamptz(3);
    UPDATE login_attempts SET settled_at = at;
    CREATE INDEX login_attempts_device_idx ON login_attempts (device, at) WHERE device IS NOT NULL;
  `.execute(db);
  await db
    .insertInto('desk_secrets')
    .values({ name: 'device_cookie_signing_key', value: randomBytes(32).toString('base64url') })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('desk_secrets').where('name', '=', 'device_cookie_signing_key').execute();
  await sql`
    DROP INDEX login_attempts_device_idx;
    ALTER TABLE login_attempts DROP COLUMN settled_at;
    ALTER TABLE login_attempts DROP COLUMN device;
  `.execute(db);
}
