/**
 * Server-side sessions. The cookie holds a random 256-bit token; the table holds only its
 * SHA-256, so a copy of the database signs nobody in. A session ends at the first of: sign-out,
 * the idle timeout since it was last used, the absolute timeout since sign-in, or its staff
 * member being deactivated.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StaffRole, StaffSession } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { preparedMarker } from '../db/database.js';
import type { Database } from '../db/schema.js';

export type SessionSettings = {
  /** Seconds without a request after which a session ends (default 30 minutes). */
  idleTimeoutSeconds: number;
  /** Seconds after sign-in after which a session ends whatever happens (default 12 hours). */
  absoluteTimeoutSeconds: number;
};

export type SignedInStaff = {
  sessionId: string;
  /** The session's public handle (what the API names it by). */
  sessionHandle: string;
  staffId: string;
  email: string;
  name: string;
  role: StaffRole;
};

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Kysely<Database>,
  staffId: string,
  settings: SessionSettings,
  client: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; sessionId: string }> {
  const token = randomBytes(32).toString('base64url');
  const sessionId = sessionIdOf(token);
  await db
    .insertInto('staff_sessions')
    .values({
      id: sessionId,
      staff_id: staffId,
      expires_at: new Date(Date.now() + settings.absoluteTimeoutSeconds * 1000),
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 500) ?? null,
    })
    .execute();
  return { token, sessionId };
}

/** The live session a token names, refreshed as used; null when none. */
export async function resumeSession(
  db: Kysely<Database>,
  token: string,
  settings: SessionSettings,
): Promise<SignedInStaff | null> {
  const sessionId = sessionIdOf(token);
  // SQL text, prepared once per connection: it runs on every request, where building it through
  // the query builder and planning it cost more than answering it.
  const { rows } = await sql<{
    handle: string;
    last_seen_at: Date;
    staff_id: string;
    email: string;
    name: string;
    role: StaffRole;
  }>`${sql.raw(preparedMarker)}
    SELECT s.handle, s.last_seen_at, staff.id AS staff_id, staff.email, staff.name, staff.role
    FROM staff_sessions s
    JOIN staff ON staff.id = s.staff_id
    WHERE s.id = ${sessionId}
      AND s.ended_at IS NULL
      AND s.expires_at > now()
      AND s.last_seen_at > now() - make_interval(secs => ${settings.idleTimeoutSeconds})
      AND staff.active
  `.execute(db);
  const row = rows[0];
  if (!row) return null;
  // Write "last seen" at most every quarter of the idle timeout (and at most once a minute).
  const refreshAfterMs = Math.min(60, settings.idleTimeoutSeconds / 4) * 1000;
  if (Date.now() - row.last_seen_at.getTime() > refreshAfterMs) {
    await db
      .updateTable('staff_sessions')
      .set({ last_seen_at: sql<Date>`now()` })
      .where('id', '=', sessionId)
      .execute();
  }
  return {
    sessionId,
    sessionHandle: row.handle,
    staffId: row.staff_id,
    email: row.email,
    name: row.name,
    role: row.role,
  };
}

export async function endSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ ended_at: sql<Date>`now()` })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Ends every session of a staff member (deactivated, role or password changed). */
export async function endSessionsOf(db: Kysely<Database>, staffId: string): Promise<void> {
  await db
    .updateTable('staff_sessions')
    .set({ ended_at: sql<Date>`now()` })
    .where('staff_id', '=', staffId)
    .where('ended_at', 'is', null)
    .execute();
}

/** A live session's condition: not ended, not past its absolute or idle timeout. */
function liveSessions(db: Kysely<Database>, settings: SessionSettings) {
  return db
    .selectFrom('staff_sessions')
    .where('ended_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${settings.idleTimeoutSeconds})`);
}

/** A member's live sessions, newest first; `currentHandle` marks the one the request came with. */
export async function listSessionsOf(
  db: Kysely<Database>,
  staffId: string,
  settings: SessionSettings,
  currentHandle: string | null,
): Promise<StaffSession[]> {
  const rows = await liveSessions(db, settings)
    .select(['handle', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('staff_id', '=', staffId)
    .orderBy('created_at', 'desc')
    .orderBy('handle')
    .execute();
  return rows.map((row) => ({
    id: row.handle,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    ip: row.ip,
    userAgent: row.user_agent,
    current: row.handle === currentHandle,
  }));
}

/** Ends one live session of a member by its handle; false when the member has no such live session. */
export async function endSessionByHandle(
  db: Kysely<Database>,
  staffId: string,
  handle: string,
  settings: SessionSettings,
): Promise<boolean> {
  const live = await liveSessions(db, settings)
    .select('id')
    .where('staff_id', '=', staffId)
    .where('handle', '=', handle)
    .executeTakeFirst();
  if (!live) return false;
  await endSession(db, live.id);
  return true;
}
