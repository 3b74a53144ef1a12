/**
 * The dashboard's figures, each one grouped query over indexed columns; nothing here walks
 * a case at a time.
 */

import {
  agingBuckets,
  answerableRfiStatuses,
  closedCaseStages,
  type Dashboard,
  openCaseStages,
  openRfiStatuses,
  type Provider,
  type Stage,
  slaDueSoonShare,
  stageSlaHours,
  stages,
  workableStages,
} from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

const day = 86_400_000;
const throughputDays = 14;

export async function getDashboard(db: Kysely<Database>, now = new Date()): Promise<Dashboard> {
  const slaStages = stages.filter((s) => stageSlaHours[s] !== null);
  const since = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (throughputDays - 1) * day,
  );
  const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

  const [byStageProvider, aging, sla, rfis, created, decided, escalations, unassigned] = await Promise.all([
    db
      .selectFrom('applications')
      .select(['stage', 'provider', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy(['stage', 'provider'])
      .execute(),
    db
      .selectFrom('applications')
      .select([
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere('created_at', '>', new Date(now.getTime() - day))
            .as('lt1d'),
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere((w) =>
              w.and([
                w('created_at', '<=', new Date(now.getTime() - day)),
                w('created_at', '>', new Date(now.getTime() - 3 * day)),
              ]),
            )
            .as('d1to3'),
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere((w) =>
              w.and([
                w('created_at', '<=', new Date(now.getTime() - 3 * day)),
                w('created_at', '>', new Date(now.getTime() - 7 * day)),
              ]),
            )
            .as('d3to7'),
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere((w) =>
              w.and([
                w('created_at', '<=', new Date(now.getTime() - 7 * day)),
                w('created_at', '>', new Date(now.getTime() - 30 * day)),
              ]),
            )
            .as('d7to30'),
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere('created_at', '<=', new Date(now.getTime() - 30 * day))
            .as('gt30d'),
      ])
      .where('stage', 'in', openCaseStages)
      .executeTakeFirstOrThrow(),
    slaCounts(db, slaStages, now),
    db
      .selectFrom('rfis')
      .select([
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere((w) => w.and([w('status', 'in', answerableRfiStatuses), w('due_at', '<', now)]))
            .as('overdue'),
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere((w) =>
              w.and([
                w('status', 'in', answerableRfiStatuses),
                w('due_at', '>=', now),
                w('due_at', '<', new Date(startOfDay.getTime() + day)),
              ]),
            )
            .as('today'),
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere((w) =>
              w.and([
                w('status', 'in', answerableRfiStatuses),
                w('due_at', '>=', new Date(startOfDay.getTime() + day)),
                w('due_at', '<', new Date(startOfDay.getTime() + 8 * day)),
              ]),
            )
            .as('next7'),
        (eb) =>
          eb.fn
            .countAll<number>()
            .filterWhere((w) =>
              w.and([
                w('status', 'in', answerableRfiStatuses),
                w('due_at', '>=', new Date(startOfDay.getTime() + 8 * day)),
              ]),
            )
            .as('later'),
        (eb) => eb.fn.countAll<number>().filterWhere('status', '=', 'answered').as('answered'),
      ])
      .where('status', 'in', openRfiStatuses)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('applications')
      .select([
        sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('day'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('created_at', '>=', since)
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom('status_history')
      .select([
        sql<string>`to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('day'),
        'to_stage',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('at', '>=', since)
      .where('to_stage', 'in', closedCaseStages)
      .groupBy([sql`1`, 'to_stage'])
      .execute(),
    db
      .selectFrom('application_outcomes as o')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('o.outcome', '=', 'escalated')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('application_outcomes as later')
              .select('later.id')
              .whereRef('later.application_id', '=', 'o.application_id')
              .whereRef('later.created_at', '>', 'o.created_at'),
          ),
        ),
      )
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assignee_id', 'is', null)
      .where('stage', 'in', [...workableStages])
      .executeTakeFirstOrThrow(),
  ]);

  const days: Dashboard['throughput'] = [];
  for (let i = 0; i < throughputDays; i++) {
    const d = new Date(since.getTime() + i * day).toISOString().slice(0, 10);
    days.push({
      day: d,
      created: Number(created.find((r) => r.day === d)?.n ?? 0),
      approved: Number(decided.find((r) => r.day === d && r.to_stage === 'approved')?.n ?? 0),
      rejected: Number(decided.find((r) => r.day === d && r.to_stage === 'rejected')?.n ?? 0),
    });
  }
  return {
    generatedAt: now.toISOString(),
    byStageProvider: byStageProvider.map((r) => ({
      stage: r.stage as Stage,
      provider: r.provider as Provider,
      count: Number(r.count),
    })),
    aging: Object.fromEntries(agingBuckets.map((b) => [b, Number(aging[b])])) as Dashboard['aging'],
    sla,
    rfisByDue: {
      overdue: Number(rfis.overdue),
      today: Number(rfis.today),
      next7Days: Number(rfis.next7),
      later: Number(rfis.later),
      answered: Number(rfis.answered),
    },
    throughput: days,
    openEscalations: Number(escalations.n),
    unassignedWorkable: Number(unassigned.n),
  };
}

async function slaCounts(db: Kysely<Database>, slaStages: Stage[], now: Date): Promise<Dashboard['sla']> {
  const rows = await Promise.all(
    slaStages.map(async (stage) => {
      const hours = stageSlaHours[stage] ?? 0;
      const dueBy = new Date(now.getTime() - hours * 3_600_000);
      const soonFrom = new Date(now.getTime() - hours * 3_600_000 * (1 - slaDueSoonShare));
      const row = await db
        .selectFrom('applications')
        .select([
          (eb) => eb.fn.countAll<number>().filterWhere('stage_entered_at', '<=', dueBy).as('breached'),
          (eb) =>
            eb.fn
              .countAll<number>()
              .filterWhere((w) => w.and([w('stage_entered_at', '>', dueBy), w('stage_entered_at', '<=', soonFrom)]))
              .as('due_soon'),
          (eb) => eb.fn.countAll<number>().filterWhere('stage_entered_at', '>', soonFrom).as('on_track'),
        ])
        .where('stage', '=', stage)
        .executeTakeFirstOrThrow();
      return { stage, breached: Number(row.breached), dueSoon: Number(row.due_soon), onTrack: Number(row.on_track) };
    }),
  );
  return rows;
}
