/**
 * Checking the audit chain. Each row must hash to its stored hash (recomputed with the same
 * database function the chaining trigger used), and must link to the row before it. Both are
 * per-row checks over one ordered scan, so the database does the whole walk in one query.
 */
import { sql, type Kysely } from 'kysely';
import type { AuditVerify } from '@desk/shared';
import type { Database } from '../db/schema.js';

const genesis = '0'.repeat(64);

export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerify> {
  const { rows } = await sql<{ checked: number; first_broken_id: string | null; head_id: string | null; head_hash: string | null }>`
    WITH walk AS (
      SELECT
        id,
        hash,
        prev_hash = coalesce(lag(hash) OVER (ORDER BY id), ${genesis})
          AND hash = audit_event_digest(prev_hash, id, at, actor_id, actor, action, entity_type, entity_id, application_id, ip, data)
          AS holds
      FROM audit_events
    )
    SELECT
      count(*)::int AS checked,
      (min(id) FILTER (WHERE NOT holds))::text AS first_broken_id,
      (max(id))::text AS head_id,
      (SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1) AS head_hash
    FROM walk
  `.execute(db);
  const row = rows[0];
  const checked = row?.checked ?? 0;
  const firstBrokenId = row?.first_broken_id ?? null;
  return {
    ok: firstBrokenId === null,
    checked,
    ...(firstBrokenId !== null ? { firstBrokenId } : {}),
    headId: row?.head_id ?? null,
    headHash: row?.head_hash ?? null,
  };
}

/** The chain's last row, as a manifest records it. */
export async function auditChainHead(db: Kysely<Database>): Promise<{ id: string; hash: string } | null> {
  const row = await db.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? { id: String(row.id), hash: row.hash } : null;
}
