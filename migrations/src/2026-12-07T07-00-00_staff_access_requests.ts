/**
 * Separation of duties for a privileged member's access: a new set-password link or a second-factor
 * reset for a member whose role is privileged waits, like a role grant, for a second admin.
 *
 * - `staff_role_grants.kind`: what the request asks for — `role` (a privileged role, as before),
 *   `invitation` (a new set-password link) or `second_factor_reset`. One request per member is
 *   pending at a time, whatever its kind.
 * - `staff_role_grants.link_shown_at`: when the requester of an approved `invitation` took the link;
 *   the link is issued then, shown once, and only its hash is kept (in `staff_invitations`).
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE staff_role_grants
      ADD COLUMN kind text NOT NULL DEFAULT 'role' CHECK (kind IN ('role', 'invitation', 'second_factor_reset')),
      ADD COLUMN link_shown_at timestamptz(3),
      ADD CHECK (link_shown_at IS NULL OR (kind = 'invitation' AND state = 'approved'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE staff_role_grants DROP COLUMN link_shown_at, DROP COLUMN kind;
  `.execute(db);
}
