/**
 * Invitations instead of admin-chosen passwords, separation of duties, and sessions a member
 * can see.
 *
 * - `staff_invitations`: one-time set-password links. Only the SHA-256 of the token is kept;
 *   a link is used once, expires, and issuing a new one revokes the member's open ones.
 * - `staff_role_grants`: a privileged role asked for by one admin waits here for another's
 *   decision. At most one grant per member is pending, and the database itself refuses an
 *   approval by the admin who asked.
 * - `staff_sessions.handle`: a random id to name a session by in the API (the primary key is
 *   the hash of the cookie's token, which never leaves the server).
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE staff_invitations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      staff_id uuid NOT NULL REFERENCES staff (id),
      token_hash text NOT NULL UNIQUE,
      issued_by uuid REFERENCES staff (id),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      expires_at timestamptz(3) NOT NULL,
      used_at timestamptz(3),
      revoked_at timestamptz(3)
    );
    CREATE INDEX staff_invitations_open_idx ON staff_invitations (staff_id)
      WHERE used_at IS NULL AND revoked_at IS NULL;

    CREATE TABLE staff_role_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      staff_id uuid NOT NULL REFERENCES staff (id),
      role text NOT NULL CHECK (role IN ('analyst', 'senior_analyst', 'support', 'auditor', 'admin')),
      activates boolean NOT NULL,
      from_role text NOT NULL,
      from_active boolean NOT NULL,
      requested_by uuid NOT NULL REFERENCES staff (id),
      requested_at timestamptz(3) NOT NULL DEFAULT now(),
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'refused')),
      decided_by uuid REFERENCES staff (id),
      decided_at timestamptz(3),
      reason text,
      CHECK ((state = 'pending') = (decided_at IS NULL)),
      CHECK (state <> 'approved' OR (decided_by <> requested_by AND decided_by <> staff_id))
    );
    CREATE UNIQUE INDEX staff_role_grants_one_pending ON staff_role_grants (staff_id) WHERE state = 'pending';
    CREATE INDEX staff_role_grants_requested_idx ON staff_role_grants (requested_at DESC, id);

    ALTER TABLE staff_sessions ADD COLUMN handle uuid NOT NULL DEFAULT gen_random_uuid();
    CREATE UNIQUE INDEX staff_sessions_handle_key ON staff_sessions (handle);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX staff_sessions_handle_key;
    ALTER TABLE staff_sessions DROP COLUMN handle;
    DROP TABLE staff_role_grants;
    DROP TABLE staff_invitations;
  `.execute(db);
}
