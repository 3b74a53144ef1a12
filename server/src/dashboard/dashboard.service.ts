/**
 * The dashboard's figures: the counts of applications from the counters the database keeps
 * (counters.ts), the RFIs and escalations (small tables) counted; nothing here walks a case at
 * a time.
 */

import {
  agingBuckets,
  answerableRfiStatuses,
  closedCaseStages,
  type Dashboard,
  openRfiStatuses,
  type Provider,
  type Stage,
  slaDueSoonShare,
  stageSlaHours,
  stages,
  workableStages,
} from '@desk/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  changesPerDay,
  countsByStageProvider,
  countUnassigned,
  createdPerDay,
  enteredStageAfter,
  openAging,
} from './counters.js';

const day = 86_400_000;
const throughputDays = 14;

export async function getDashboard(db: Kysely<Database>, now = new Date()): Promise<Dashboard> {
  const slaStages = stages.filter((s) => stageSlaHours[s] !== null);
  const since = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (throughputDays - 1) * day,
  );
  const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

  const [byStageProvider, aging, sla, rfis, created, decided, escalations, unassigned] = await Promise.all([
    countsByStageProvider(db),
    openAging(db, now),
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
    createdPerDay(db, since),
    changesPerDay(db, since, closedCaseStages),
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
    countUnassigned(db, workableStages),
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
    unassignedWorkable: unassigned,
  };
}

async function slaCounts(db: Kysely<Database>, slaStages: Stage[], now: Date): Promise<Dashboard['sla']> {
  return Promise.all(
    slaStages.map(async (stage) => {
      const hours = stageSlaHours[stage] ?? 0;
      const dueBy = new Date(now.getTime() - hours * 3_600_000);
      const soonFrom = new Date(now.getTime() - hours * 3_600_000 * (1 - slaDueSoonShare));
      const {
        total,
        after: [afterDueBy = 0, afterSoonFrom = 0],
      } = await enteredStageAfter(db, stage, [dueBy, soonFrom]);
      return { stage, breached: total - afterDueBy, dueSoon: afterDueBy - afterSoonFrom, onTrack: afterSoonFrom };
    }),
  );
}
