/**
 * Single sign-on with OpenID Connect.
 *
 * - `staff_identities`: which member an identity provider's subject is (issuer + `sub`), made
 *   when the member is provisioned or linked at their first sign-in.
 * - `oidc_sign_ins`: a sign-in sent to the identity provider and not back yet: its `state`,
 *   `nonce` and PKCE code verifier, found by the SHA-256 of the browser's cookie token, used
 *   once, for ten minutes.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE staff_identities (
      issuer text NOT NULL,
      subject text NOT NULL,
      staff_id uuid NOT NULL REFERENCES staff (id),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (issuer, subject)
    );
    CREATE INDEX staff_identities_staff_idx ON staff_identities (staff_id);

    CREATE TABLE oidc_sign_ins (
      id text PRIMARY KEY,
      state text NOT NULL,
      nonce text NOT NULL,
      code_verifier text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      expires_at timestamptz(3) NOT NULL,
      used_at timestamptz(3)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE oidc_sign_ins;
    DROP TABLE staff_identities;
  `.execute(db);
}
