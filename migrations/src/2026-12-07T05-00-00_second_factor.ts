/**
 * A second factor for password accounts: TOTP (RFC 6238) secrets sealed like identification
 * numbers (AES-256-GCM under a named PII key), one-time recovery codes kept as hashes, and the
 * half-finished sign-ins waiting for their second step.
 *
 * - `staff_second_factors`: one per member; `confirmed_at` null while an enrolment waits for
 *   its first code; `last_used_step` is the TOTP time step last accepted, so no code works twice.
 * - `staff_recovery_codes`: SHA-256 of each code; `used_at` set when it is spent.
 * - `sign_in_challenges`: a password accepted, a second step owed (`verify`: a code; `enrol`:
 *   an authenticator to add first). The cookie holds a random token; the table its SHA-256.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE staff_second_factors (
      staff_id uuid PRIMARY KEY REFERENCES staff (id),
      secret_sealed text NOT NULL,
      key_id text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      confirmed_at timestamptz(3),
      last_used_step bigint
    );

    CREATE TABLE staff_recovery_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      staff_id uuid NOT NULL REFERENCES staff (id),
      code_hash text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      used_at timestamptz(3)
    );
    CREATE INDEX staff_recovery_codes_unused_idx ON staff_recovery_codes (staff_id, code_hash) WHERE used_at IS NULL;

    CREATE TABLE sign_in_challenges (
      id text PRIMARY KEY,
      staff_id uuid NOT NULL REFERENCES staff (id),
      purpose text NOT NULL CHECK (purpose IN ('verify', 'enrol')),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      expires_at timestamptz(3) NOT NULL,
      completed_at timestamptz(3),
      ip text,
      user_agent text
    );
    CREATE INDEX sign_in_challenges_staff_idx ON sign_in_challenges (staff_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE sign_in_challenges;
    DROP TABLE staff_recovery_codes;
    DROP TABLE staff_second_factors;
  `.execute(db);
}
