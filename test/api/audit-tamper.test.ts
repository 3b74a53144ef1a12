/**
 * The audit chain caught when tampered with: a row changed or deleted behind the desk (as the
 * database owner, the append-only triggers bypassed) is named by verification and shows in the
 * case report. These tests break the chain on purpose, so they run on a desk of their own, and
 * each puts the row back (and sees the chain heal) before it ends, whatever the order.
 */

import type { AuditVerify } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

describe.each(databaseKinds)('Audit chain tampering on %s database', (kind) => {
  let desk: TestDesk;
  let caseId: string;

  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 10 });
    caseId = (
      await desk.db
        .selectFrom('applications')
        .select('id')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const verify = async () => (await desk.as('auditor').get<AuditVerify>('/api/audit-events/verify')).body;

  async function chainIds(): Promise<number[]> {
    const rows = await desk.db.selectFrom('audit_events').select('id').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** The ids of the lane `id` is in, in order. */
  async function laneIds(id: number): Promise<number[]> {
    const { lane } = await desk.db
      .selectFrom('audit_events')
      .select('lane')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const rows = await desk.db.selectFrom('audit_events').select('id').where('lane', '=', lane).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** As the database owner, with the append-only triggers bypassed for one transaction. */
  async function bypassingTriggers(change: (trx: typeof desk.db) => Promise<void>): Promise<void> {
    await desk.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await change(trx);
    });
  }

  it('When a row is changed behind the desk, then verification names exactly that row; restoring it heals the chain', async () => {
    expect(await verify()).toMatchObject({ ok: true });
    const ids = await chainIds();
    const target = ids[Math.floor(ids.length / 2)] ?? 0;
    const original = await sql<{
      data: string;
    }>`SELECT data::text AS data FROM audit_events WHERE id = ${target}`.execute(desk.db);
    const restore = () =>
      bypassingTriggers(async (trx) => {
        await sql`UPDATE audit_events SET data = ${original.rows[0]?.data ?? '{}'}::jsonb WHERE id = ${target}`.execute(
          trx,
        );
      });
    await bypassingTriggers(async (trx) => {
      await sql`UPDATE audit_events SET data = data || '{"tampered": true}'::jsonb WHERE id = ${target}`.execute(trx);
    });
    try {
      const broken = await verify();
      expect(broken).toMatchObject({ ok: false, checked: ids.length, firstBrokenId: String(target) });
      // The triggers are back once that transaction ended.
      await expect(sql`UPDATE audit_events SET actor = 'x' WHERE id = ${target}`.execute(desk.db)).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await restore();
    }
    expect(await verify()).toMatchObject({ ok: true, checked: ids.length });
  });

  it('When a row is moved to another lane behind the desk, then verification names that row; moving it back heals the chain', async () => {
    expect(await verify()).toMatchObject({ ok: true });
    const ids = await chainIds();
    // A row that is not the first of its lane (its link is not the genesis hash).
    const lane = await laneIds(ids[Math.floor(ids.length / 2)] ?? 0);
    const moved = lane[Math.max(1, Math.floor(lane.length / 2))] ?? 0;
    const { lane: from } = await desk.db
      .selectFrom('audit_events')
      .select('lane')
      .where('id', '=', moved)
      .executeTakeFirstOrThrow();
    const moveTo = (to: number) =>
      bypassingTriggers(async (trx) => {
        await sql`UPDATE audit_events SET lane = ${to} WHERE id = ${moved}`.execute(trx);
      });
    await moveTo((from + 1) % 16);
    try {
      expect(await verify()).toMatchObject({ ok: false, checked: ids.length, firstBrokenId: String(moved) });
    } finally {
      await moveTo(from);
    }
    expect(await verify()).toMatchObject({ ok: true, checked: ids.length });
  });

  it('When a middle row is deleted behind the desk, then verification names the row after the gap, and the report shows the break', async () => {
    // A report viewed now is the newest row, after the gap made below.
    expect((await desk.as('auditor').fetch(`/api/applications/${caseId}/audit-report`)).status).toBe(200);
    expect(await verify()).toMatchObject({ ok: true });
    const ids = await chainIds();
    // The row after the gap is the next one of the removed row's lane.
    const lane = await laneIds(ids[Math.floor(ids.length / 3)] ?? 0);
    const index = Math.min(Math.floor(lane.length / 3), lane.length - 2);
    const removed = lane[index] ?? 0;
    const next = lane[index + 1];
    const saved = await sql<{
      row: string;
    }>`SELECT row_to_json(e)::text AS row FROM audit_events e WHERE id = ${removed}`.execute(desk.db);
    await bypassingTriggers(async (trx) => {
      await sql`DELETE FROM audit_events WHERE id = ${removed}`.execute(trx);
    });
    try {
      expect(await verify()).toMatchObject({ ok: false, checked: ids.length - 1, firstBrokenId: String(next) });
      const report = await (await desk.as('auditor').fetch(`/api/applications/${caseId}/audit-report`)).text();
      expect(report).toContain('data-ok="false"');
      expect(report).toContain(`#${next}`);
    } finally {
      // The very row, with its own id, time and hash, put back as it was.
      await bypassingTriggers(async (trx) => {
        await sql`INSERT INTO audit_events SELECT * FROM json_populate_record(null::audit_events, ${saved.rows[0]?.row ?? '{}'}::json)`.execute(
          trx,
        );
      });
    }
    expect(await verify()).toMatchObject({ ok: true });
  });
});
