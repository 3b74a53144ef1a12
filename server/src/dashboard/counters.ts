/**
 * The statistics from the counters the database keeps (migration
 * `2026-12-07T19-00-00_application_counters`: counts per provider, stage, provider status,
 * flags and holder, per hour of creation, per hour a stage was entered, and status changes per
 * day), so that they cost the same at ten million applications as at a thousand. Each count
 * is kept in up to 16 slots (migration `2026-12-07T22-00-00_counter_slots`, so that concurrent
 * writers do not queue on one row): every read sums over them.
 *
 * Counts "older than" a moment (the aging buckets, the service levels) add whole hours from the
 * counters and count the part of an hour before the moment from the applications themselves:
 * an index range of at most an hour.
 */

import {
  type AgingBucket,
  type ApplicationStats,
  agingBuckets,
  documentFlags,
  openCaseStages,
  type Stage,
  stages,
} from '@desk/shared';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { countApplications, flagColumns, type QueueFilter } from '../applications/queue.query.js';
import type { Database } from '../db/schema.js';

const hour = 3_600_000;
const day = 24 * hour;

/** The aging buckets' lower edges in days: a case is in the first bucket whose edge it is younger than. */
const agingEdges: readonly { bucket: AgingBucket; days: number }[] = [
  { bucket: 'lt1d', days: 1 },
  { bucket: 'd1to3', days: 3 },
  { bucket: 'd3to7', days: 7 },
  { bucket: 'd7to30', days: 30 },
];

/**
 * Whether the counters can answer the queue's counts under this filter: stage, provider,
 * provider status, flags and "unassigned" are counter keys; a search, a creation window, a
 * service-level state or one person's cases are counted from the applications.
 */
export function countersAnswer(filter: QueueFilter): boolean {
  return (
    filter.search === undefined &&
    filter.createdFrom === undefined &&
    filter.createdTo === undefined &&
    !filter.sla?.length &&
    (filter.assigneeId === undefined || filter.assigneeId === null)
  );
}

function counterConditions(filter: QueueFilter): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`];
  if (filter.stage?.length) parts.push(sql<boolean>`stage IN (${sql.join(filter.stage)})`);
  if (filter.provider?.length) parts.push(sql<boolean>`provider IN (${sql.join(filter.provider)})`);
  if (filter.providerStatus?.length) parts.push(sql<boolean>`provider_status IN (${sql.join(filter.providerStatus)})`);
  for (const flag of filter.flag ?? []) parts.push(sql<boolean>`${sql.ref(flagColumns[flag])}`);
  if (filter.assigneeId === null) parts.push(sql<boolean>`NOT assigned`);
  return sql<boolean>`${sql.join(parts, sql` AND `)}`;
}

/** The start of the UTC hour after the one `at` falls in, as the counters' `timestamp` (UTC) text. */
function nextHour(at: Date): { date: Date; text: string } {
  const date = new Date(Math.floor(at.getTime() / hour) * hour + hour);
  return { date, text: date.toISOString().slice(0, 19).replace('T', ' ') };
}

/** Open applications under the filter created after `now - days` for each edge: whole hours from the counters, the rest counted. */
async function openCreatedAfter(
  db: Kysely<Database>,
  filter: QueueFilter,
  now: Date,
  days: readonly number[],
): Promise<number[]> {
  const edges = days.map((d) => {
    const at = new Date(now.getTime() - d * day);
    return { at, next: nextHour(at) };
  });
  const oldest = edges.reduce((a, b) => (a.at < b.at ? a : b)).next.text;
  const whole = await sql<Record<string, string | number | null>>`
    SELECT ${sql.join(
      edges.map((e, k) => sql`sum(n) FILTER (WHERE created_hour >= ${e.next.text}::timestamp) AS ${sql.ref(`e${k}`)}`),
    )}
    FROM application_hourly_counts
    WHERE created_hour >= ${oldest}::timestamp
      AND stage IN (${sql.join([...openCaseStages])})
      AND ${counterConditions(filter)}
  `.execute(db);
  const partial = await Promise.all(
    edges.map(async (e) => {
      // created_at > at (milliseconds are the columns' precision) and before the next whole hour.
      const rows = await countApplications(
        db,
        {
          ...filter,
          stage: (filter.stage ?? [...openCaseStages]).filter((s) => openCaseStages.includes(s)),
          createdFrom: new Date(e.at.getTime() + 1),
          createdTo: e.next.date,
        },
        now,
      );
      return rows.reduce((sum, r) => sum + Number(r.total), 0);
    }),
  );
  return edges.map((_, k) => Number(whole.rows[0]?.[`e${k}`] ?? 0) + (partial[k] ?? 0));
}

/** Aging of the open cases under the filter, given how many open cases it matches. */
async function agingFromCounters(
  db: Kysely<Database>,
  filter: QueueFilter,
  now: Date,
  openTotal: number,
): Promise<ApplicationStats['aging']> {
  const wantsOpen = !filter.stage?.length || filter.stage.some((s) => openCaseStages.includes(s));
  const aging = Object.fromEntries(agingBuckets.map((b) => [b, 0])) as ApplicationStats['aging'];
  if (!wantsOpen || openTotal === 0) return aging;
  const after = await openCreatedAfter(
    db,
    filter,
    now,
    agingEdges.map((e) => e.days),
  );
  let younger = 0;
  agingEdges.forEach((edge, k) => {
    const upTo = after[k] ?? 0;
    aging[edge.bucket] = upTo - younger;
    younger = upTo;
  });
  aging.gt30d = openTotal - younger;
  return aging;
}

/** The counts above the queue (`GET /api/applications/stats`) from the counters; see `countersAnswer`. */
export async function statsFromCounters(
  db: Kysely<Database>,
  filter: QueueFilter,
  now: Date,
): Promise<ApplicationStats> {
  const { rows } = await sql<{
    stage: Stage;
    total: string | number;
    flag_id: string | number;
    flag_number: string | number;
    flag_address: string | number;
  }>`
    SELECT stage, sum(n) AS total,
      coalesce(sum(n) FILTER (WHERE flag_id_verification), 0) AS flag_id,
      coalesce(sum(n) FILTER (WHERE flag_identification_number_verification), 0) AS flag_number,
      coalesce(sum(n) FILTER (WHERE flag_address_verification), 0) AS flag_address
    FROM application_counts
    WHERE ${counterConditions(filter)}
    GROUP BY stage
  `.execute(db);
  const stats: ApplicationStats = {
    total: 0,
    byStage: Object.fromEntries(stages.map((s) => [s, 0])) as ApplicationStats['byStage'],
    byFlag: Object.fromEntries(documentFlags.map((f) => [f, 0])) as ApplicationStats['byFlag'],
    aging: Object.fromEntries(agingBuckets.map((b) => [b, 0])) as ApplicationStats['aging'],
  };
  let openTotal = 0;
  for (const row of rows) {
    const total = Number(row.total);
    stats.total += total;
    stats.byStage[row.stage] += total;
    if (openCaseStages.includes(row.stage)) openTotal += total;
    stats.byFlag.idVerification += Number(row.flag_id);
    stats.byFlag.identificationNumberVerification += Number(row.flag_number);
    stats.byFlag.addressVerification += Number(row.flag_address);
  }
  stats.aging = await agingFromCounters(db, filter, now, openTotal);
  return stats;
}

/** Applications per stage and provider (the counts that are not 0). */
export async function countsByStageProvider(db: Kysely<Database>) {
  const { rows } = await sql<{ stage: string; provider: string; count: string | number }>`
    SELECT stage, provider, sum(n) AS count FROM application_counts GROUP BY stage, provider HAVING sum(n) > 0
  `.execute(db);
  return rows.map((r) => ({ stage: r.stage, provider: r.provider, count: Number(r.count) }));
}

/** Unassigned applications in these stages. */
export async function countUnassigned(db: Kysely<Database>, inStages: readonly Stage[]): Promise<number> {
  const { rows } = await sql<{ n: string | number | null }>`
    SELECT sum(n) AS n FROM application_counts WHERE NOT assigned AND stage IN (${sql.join([...inStages])})
  `.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Open cases by age, as the dashboard shows them (no filter). */
export async function openAging(db: Kysely<Database>, now: Date): Promise<ApplicationStats['aging']> {
  const openTotal = await countInStages(db, openCaseStages);
  return agingFromCounters(db, {}, now, openTotal);
}

/** Applications in these stages. */
export async function countInStages(db: Kysely<Database>, inStages: readonly Stage[]): Promise<number> {
  const { rows } = await sql<{ n: string | number | null }>`
    SELECT sum(n) AS n FROM application_counts WHERE stage IN (${sql.join([...inStages])})
  `.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Cases in `stage` that entered it after each moment: whole hours from the counters, the rest counted. */
export async function enteredStageAfter(
  db: Kysely<Database>,
  stage: Stage,
  moments: readonly Date[],
): Promise<{ total: number; after: number[] }> {
  const edges = moments.map((at) => ({ at, next: nextHour(at) }));
  const whole = await sql<Record<string, string | number | null>>`
    SELECT sum(n) AS total, ${sql.join(
      edges.map((e, k) => sql`sum(n) FILTER (WHERE entered_hour >= ${e.next.text}::timestamp) AS ${sql.ref(`e${k}`)}`),
    )}
    FROM application_stage_entry_counts WHERE stage = ${stage}
  `.execute(db);
  const partial = await Promise.all(
    edges.map(async (e) => {
      const row = await db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('stage', '=', stage)
        .where('stage_entered_at', '>', e.at)
        .where('stage_entered_at', '<', e.next.date)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }),
  );
  return {
    total: Number(whole.rows[0]?.total ?? 0),
    after: edges.map((_, k) => Number(whole.rows[0]?.[`e${k}`] ?? 0) + (partial[k] ?? 0)),
  };
}

/** Cases created per UTC day from `since` (a UTC midnight) on. */
export async function createdPerDay(db: Kysely<Database>, since: Date): Promise<{ day: string; n: number }[]> {
  const { rows } = await sql<{ day: string; n: string | number }>`
    SELECT to_char(created_hour, 'YYYY-MM-DD') AS day, sum(n) AS n
    FROM application_hourly_counts
    WHERE created_hour >= ${since.toISOString().slice(0, 19).replace('T', ' ')}::timestamp
    GROUP BY 1
  `.execute(db);
  return rows.map((r) => ({ day: r.day, n: Number(r.n) }));
}

/** Status changes per UTC day from `since` on that reached one of these stages. */
export async function changesPerDay(
  db: Kysely<Database>,
  since: Date,
  toStages: readonly Stage[],
): Promise<{ day: string; to_stage: string; n: number }[]> {
  const { rows } = await sql<{ day: string; to_stage: string; n: string | number }>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, to_stage, sum(n) AS n
    FROM status_change_daily_counts
    WHERE day >= ${since.toISOString().slice(0, 10)}::date AND to_stage IN (${sql.join([...toStages])})
    GROUP BY day, to_stage
  `.execute(db);
  return rows.map((r) => ({ day: r.day, to_stage: r.to_stage, n: Number(r.n) }));
}
