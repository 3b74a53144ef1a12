/**
 * Checking the audit chain. Each row must hash to its stored hash (recomputed with the same
 * database function the chaining trigger used), and must link to the row before it. The two
 * checks are separate queries: the hash check is a plain aggregate the database can spread over
 * parallel workers (the digest function is PARALLEL SAFE), the link check one ordered walk of
 * the primary key comparing each row with the one before. Both run at once where the database
 * has more than one connection.
 */

import type { AuditVerify } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

const genesis = '0'.repeat(64);

export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerify> {
  const [hashes, links, head] = await Promise.all([
    sql<{ first_broken_id: string | null; checked: number }>`
      SELECT
        (min(id) FILTER (
          WHERE hash <> audit_event_digest(prev_hash, id, at, actor_id, actor, action, entity_type, entity_id, application_id, ip, data)
        ))::text AS first_broken_id,
        count(*)::int AS checked
      FROM audit_events
    `.execute(db),
    sql<{ first_broken_id: string | null }>`
      SELECT min(id)::text AS first_broken_id
      FROM (SELECT id, prev_hash, lag(hash) OVER (ORDER BY id) AS expected FROM audit_events) walk
      WHERE prev_hash IS DISTINCT FROM coalesce(expected, ${genesis})
    `.execute(db),
    auditChainHead(db),
  ]);
  const broken = [hashes.rows[0]?.first_broken_id, links.rows[0]?.first_broken_id]
    .filter((id): id is string => id !== null && id !== undefined)
    .sort((x, y) => Number(BigInt(x) - BigInt(y)));
  const firstBrokenId = broken[0] ?? null;
  return {
    ok: firstBrokenId === null,
    checked: hashes.rows[0]?.checked ?? 0,
    ...(firstBrokenId !== null ? { firstBrokenId } : {}),
    headId: head?.id ?? null,
    headHash: head?.hash ?? null,
  };
}

/** The chain's last row, as a manifest records it. */
export async function auditChainHead(db: Kysely<Database>): Promise<{ id: string; hash: string } | null> {
  const row = await db
    .selectFrom('audit_events')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: String(row.id), hash: row.hash } : null;
}
