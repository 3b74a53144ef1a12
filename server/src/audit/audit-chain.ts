/**
 * Checking the audit chain. The chain runs in lanes (see the `audit_events_chain` trigger), each
 * a hash chain of its own. Each row must hash to its stored hash (recomputed with the same
 * database function the chaining trigger used), and must link to the row before it in its lane
 * (a lane's first row to the genesis hash). The two checks are separate queries: the hash check
 * is a plain aggregate the database can spread over parallel workers (the digest function is
 * PARALLEL SAFE), the link check one walk of the `(lane, id)` index comparing each row with the
 * one before it in its lane. Both run at once where the database has more than one connection.
 */

import type { AuditChainHead, AuditVerify } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

const genesis = '0'.repeat(64);

export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerify> {
  const [hashes, links, heads] = await Promise.all([
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
      FROM (
        SELECT id, prev_hash, lag(hash) OVER (PARTITION BY lane ORDER BY id) AS expected FROM audit_events
      ) walk
      WHERE prev_hash IS DISTINCT FROM coalesce(expected, ${genesis})
    `.execute(db),
    auditChainHeads(db),
  ]);
  const broken = [hashes.rows[0]?.first_broken_id, links.rows[0]?.first_broken_id]
    .filter((id): id is string => id !== null && id !== undefined)
    .sort((x, y) => Number(BigInt(x) - BigInt(y)));
  const firstBrokenId = broken[0] ?? null;
  return {
    ok: firstBrokenId === null,
    checked: hashes.rows[0]?.checked ?? 0,
    ...(firstBrokenId !== null ? { firstBrokenId } : {}),
    heads,
  };
}

/**
 * Each lane's newest row, in lane order, as a manifest records them: the lanes in use found by
 * skipping through the `(lane, id)` index, then one probe a lane.
 */
export async function auditChainHeads(db: Kysely<Database>): Promise<AuditChainHead[]> {
  const { rows } = await sql<{ lane: number; id: string; hash: string }>`
    WITH RECURSIVE lanes(lane) AS (
      SELECT min(lane) FROM audit_events
      UNION ALL
      SELECT (SELECT min(e.lane) FROM audit_events e WHERE e.lane > lanes.lane) FROM lanes WHERE lanes.lane IS NOT NULL
    )
    SELECT head.lane, head.id::text AS id, head.hash
    FROM lanes
    CROSS JOIN LATERAL (
      SELECT lane, id, hash FROM audit_events e WHERE e.lane = lanes.lane ORDER BY id DESC LIMIT 1
    ) head
    ORDER BY head.lane
  `.execute(db);
  return rows.map((row) => ({ lane: Number(row.lane), id: row.id, hash: row.hash }));
}

/**
 * The id up to which the trail is settled: every row with an id at or below it is visible now
 * or was rolled back, so a reader that has read up to it never meets a lower id later. (Across
 * lanes, ids do not follow commit order; see the `audit_events_settled_id` function.) Read it
 * before the rows it bounds, in a statement of its own.
 */
export async function settledAuditId(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ id: string | null }>`SELECT audit_events_settled_id()::text AS id`.execute(db);
  return Number(rows[0]?.id ?? 0);
}
