/**
 * The statistics' counters (migrations 2026-12-07T19-00-00_application_counters and
 * 2026-12-07T22-00-00_counter_slots, each count the sum of its slots): after a series
 * of changes of every kind that moves an application between counters (claims through the API,
 * changes of stage, status, flags, holder, creation and stage-entry times, inserts and deletes of
 * one and of many rows, many writers at once, new status history), every counter equals a fresh count, and the queue's
 * counts read from them equal the applications counted one by one.
 */

import { type ApplicationStats, type ApplicationSummary, openCaseStages, stages } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const hour = 3_600_000;
const day = 24 * hour;

type Row = Record<string, unknown>;

/** Rows as comparable text, zero counts left out (a counter may stay at 0). */
function normalised(rows: Row[]): string[] {
  return rows
    .filter((r) => Number(r.n) !== 0)
    .map((r) =>
      Object.keys(r)
        .sort()
        .map((k) => {
          const v = r[k];
          return `${k}=${v instanceof Date ? v.toISOString() : String(k === 'n' ? Number(v) : v)}`;
        })
        .join(' '),
    )
    .sort();
}

const key =
  'provider, stage, provider_status, flag_id_verification, flag_identification_number_verification, flag_address_verification';

describe.each(databaseKinds)('statistics counters on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 150 });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  async function expectCountersFresh(): Promise<void> {
    const pairs: [string, string][] = [
      [
        `SELECT ${key}, assigned, sum(n) AS n FROM application_counts GROUP BY ${key}, assigned`,
        `SELECT ${key}, assignee_id IS NOT NULL AS assigned, count(*) AS n FROM applications GROUP BY ${key}, 7`,
      ],
      [
        `SELECT to_char(created_hour, 'YYYY-MM-DD HH24') AS h, ${key}, assigned, sum(n) AS n FROM application_hourly_counts GROUP BY 1, ${key}, assigned`,
        `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24') AS h, ${key}, assignee_id IS NOT NULL AS assigned, count(*) AS n
         FROM applications GROUP BY 1, ${key}, 8`,
      ],
      [
        `SELECT stage, to_char(entered_hour, 'YYYY-MM-DD HH24') AS h, sum(n) AS n FROM application_stage_entry_counts GROUP BY 1, 2`,
        `SELECT stage, to_char(stage_entered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24') AS h, count(*) AS n FROM applications GROUP BY 1, 2`,
      ],
      [
        `SELECT to_char(day, 'YYYY-MM-DD') AS d, to_stage, sum(n) AS n FROM status_change_daily_counts GROUP BY 1, 2`,
        `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d, to_stage, count(*) AS n FROM status_history GROUP BY 1, 2`,
      ],
    ];
    for (const [counters, fresh] of pairs) {
      const kept = (await sql.raw<Row>(counters).execute(desk.db)).rows;
      const counted = (await sql.raw<Row>(fresh).execute(desk.db)).rows;
      expect(normalised(kept)).toEqual(normalised(counted));
    }
  }

  it('When a fresh desk has seeded its demo data, then the counters equal a fresh count', async () => {
    await expectCountersFresh();
  });

  it('When cases are claimed, moved, re-dated, inserted and deleted, then the counters still equal a fresh count', async () => {
    // Through the API: claims move cases from unassigned to held.
    for (let i = 0; i < 3; i++) {
      const res = await desk.as('analyst').post<ApplicationSummary>('/api/applications/next', {});
      expect(res.status).toBe(200);
    }
    const ids = (await desk.db.selectFrom('applications').select('id').orderBy('id').execute()).map((r) => r.id);
    const now = Date.now();
    // One row at a time: stage and status, flags, holder, and times just either side of the aging edges and hours.
    await desk.db
      .updateTable('applications')
      .set({ stage: 'manual_review', provider_status: 'MANUAL_REVIEW', flag_address_verification: true })
      .where('id', '=', ids[0] ?? '')
      .execute();
    const edges = [1, 3, 7, 30];
    for (const [k, days] of edges.entries()) {
      for (const [j, offset] of [-5 * 60_000, 5 * 60_000].entries()) {
        // Creation times are not set by the desk after insert; the test moves them directly.
        await sql`
          UPDATE applications SET stage = 'needs_documents', created_at = ${new Date(now - days * day + offset)},
            stage_entered_at = ${new Date(now - (k + 1) * 20 * hour + offset)}, assignee_id = NULL
          WHERE id = ${ids[1 + k * 2 + j] ?? ''}
        `.execute(desk.db);
      }
    }
    // Many rows in one statement, and a statement that changes nothing counted.
    await desk.db
      .updateTable('applications')
      .set({ flag_id_verification: sql<boolean>`NOT flag_id_verification` })
      .where('id', 'in', ids.slice(20, 60))
      .execute();
    await desk.db
      .updateTable('applications')
      .set({ updated_at: new Date() })
      .where('id', 'in', ids.slice(60, 90))
      .execute();
    // Each column the counters read, changed alone on a row of its own: the counters' trigger
    // skips an update that changed none of them, so each must be seen changing by itself.
    const holder = (await desk.db.selectFrom('staff').select('id').limit(1).executeTakeFirstOrThrow()).id;
    const alone = [
      sql`stage = CASE WHEN stage = 'manual_review' THEN 'needs_documents' ELSE 'manual_review' END`,
      sql`provider_status = coalesce((SELECT b.provider_status FROM applications b
        WHERE b.provider = applications.provider AND b.provider_status <> applications.provider_status LIMIT 1), provider_status)`,
      sql`flag_identification_number_verification = NOT flag_identification_number_verification`,
      sql`flag_address_verification = NOT flag_address_verification`,
      sql`assignee_id = CASE WHEN assignee_id IS NULL THEN ${holder}::uuid END`,
      sql`created_at = created_at - interval '3 hours'`,
      sql`stage_entered_at = stage_entered_at - interval '3 hours'`,
    ];
    for (const [k, change] of alone.entries()) {
      const id = ids[110 + k];
      expect(id).toBeDefined();
      await sql`UPDATE applications SET ${change} WHERE id = ${id ?? ''}`.execute(desk.db);
    }
    // Many writers at once, each adding to its own connection's slot of the same counters.
    await Promise.all(
      ids.slice(90, 110).map((id, k) =>
        desk.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('applications')
            .set({ stage: k % 2 === 0 ? 'manual_review' : 'needs_documents', assignee_id: null })
            .where('id', '=', id)
            .execute();
          await trx
            .insertInto('status_history')
            .values({
              application_id: id,
              from_status: null,
              to_status: 'MANUAL_REVIEW',
              from_stage: null,
              to_stage: k % 2 === 0 ? 'manual_review' : 'needs_documents',
              at: new Date(now),
              source: 'import',
            })
            .execute();
        }),
      ),
    );
    if (kind === 'postgres') {
      const slots = await sql<{
        n: number;
      }>`SELECT count(DISTINCT slot)::int AS n FROM status_change_daily_counts`.execute(desk.db);
      expect(slots.rows[0]?.n).toBeGreaterThan(1);
    }
    // A new application with its history, then one deleted.
    const template = await desk.db
      .selectFrom('applications')
      .selectAll()
      .where('id', '=', ids[100] ?? '')
      .executeTakeFirstOrThrow();
    const inserted = await desk.db
      .insertInto('applications')
      .values({
        customer_id: template.customer_id,
        provider: template.provider,
        provider_application_id: `counters-test-${now}`,
        provider_status: 'CREATED',
        stage: 'intake',
        agreement_version: template.agreement_version,
        consented_at: new Date(now - hour),
        created_at: new Date(now - 2 * hour),
        stage_entered_at: new Date(now - 2 * hour),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await desk.db
      .insertInto('status_history')
      .values({
        application_id: inserted.id,
        from_status: null,
        to_status: 'CREATED',
        from_stage: null,
        to_stage: 'intake',
        at: new Date(now - 2 * hour),
        source: 'import',
      })
      .execute();
    const doomed = await desk.db
      .insertInto('applications')
      .values({
        customer_id: template.customer_id,
        provider: template.provider,
        provider_application_id: `counters-test-doomed-${now}`,
        provider_status: 'CREATED',
        stage: 'intake',
        agreement_version: template.agreement_version,
        consented_at: new Date(now - day),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await desk.db.deleteFrom('applications').where('id', '=', doomed.id).execute();

    await expectCountersFresh();

    // The queue's counts, read from the counters, against the applications counted one by one.
    const apps = await desk.db
      .selectFrom('applications')
      .select([
        'stage',
        'provider',
        'assignee_id',
        'created_at',
        'flag_id_verification',
        'flag_identification_number_verification',
        'flag_address_verification',
      ])
      .execute();
    const filters: [string, (a: (typeof apps)[number]) => boolean][] = [
      ['', () => true],
      ['?provider=jiko', (a) => a.provider === 'jiko'],
      ['?flag=idVerification', (a) => a.flag_id_verification],
      ['?assignee=none', (a) => a.assignee_id === null],
      [
        '?provider=jiko&flag=addressVerification&assignee=none',
        (a) => a.provider === 'jiko' && a.flag_address_verification && a.assignee_id === null,
      ],
    ];
    for (const [query, keep] of filters) {
      const res = await desk.get<ApplicationStats>(`/api/applications/stats${query}`);
      expect(res.status).toBe(200);
      const at = Date.now();
      const matching = apps.filter(keep);
      const open = matching.filter((a) => openCaseStages.some((s) => s === a.stage));
      const age = (a: (typeof apps)[number]) => at - a.created_at.getTime();
      expect(res.body.total).toBe(matching.length);
      for (const stage of stages)
        expect(res.body.byStage[stage]).toBe(matching.filter((a) => a.stage === stage).length);
      expect(res.body.byFlag.idVerification).toBe(matching.filter((a) => a.flag_id_verification).length);
      expect(res.body.byFlag.addressVerification).toBe(matching.filter((a) => a.flag_address_verification).length);
      expect(res.body.aging).toEqual({
        lt1d: open.filter((a) => age(a) < day).length,
        d1to3: open.filter((a) => age(a) >= day && age(a) < 3 * day).length,
        d3to7: open.filter((a) => age(a) >= 3 * day && age(a) < 7 * day).length,
        d7to30: open.filter((a) => age(a) >= 7 * day && age(a) < 30 * day).length,
        gt30d: open.filter((a) => age(a) >= 30 * day).length,
      });
    }
    // The rows moved next to the edges are in the buckets they should be in.
    const all = await desk.get<ApplicationStats>('/api/applications/stats');
    expect(all.body.aging.lt1d).toBeGreaterThanOrEqual(2);
  });
});
