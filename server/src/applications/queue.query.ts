/**
 * The queue's read side: what a queue row shows, the filters, the sorts and their keyset
 * paging, and the counts in the queue header. Reads only; application.repository.ts writes.
 */

import {
  type ApplicationListQuery,
  type ApplicationSort,
  type DocumentFlag,
  openCaseStages,
  type SlaState,
  type SortOrder,
  slaDueSoonShare,
  stageSlaHours,
  stages,
} from '@desk/shared';
import { type Expression, type ExpressionBuilder, expressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { QueuePosition } from './keyset-cursor.js';

export const flagColumns = {
  idVerification: 'flag_id_verification',
  identificationNumberVerification: 'flag_identification_number_verification',
  addressVerification: 'flag_address_verification',
} as const satisfies Record<DocumentFlag, keyof Database['applications']>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type QueueFilter = Omit<ApplicationListQuery, 'limit' | 'cursor' | 'assignee' | 'sort' | 'order' | 'q'> & {
  /** Resolved: null = unassigned, a staff id, or undefined for no filter. */
  assigneeId?: string | null;
  /** Resolved from `q`. */
  search?: QueueSearch;
};

/**
 * What a queue row shows, over `a` (an application row), `c` (its customer) and `s` (its
 * assignee): the summary query below, and "next case", which reads the row it has just claimed.
 */
export const summaryColumns = [
  'a.id',
  'a.customer_id',
  'a.provider',
  'a.provider_application_id',
  'a.provider_status',
  'a.stage',
  'a.flag_id_verification',
  'a.flag_identification_number_verification',
  'a.flag_address_verification',
  'a.agreement_version',
  'a.consented_at',
  'a.provider_customer_id',
  'a.version',
  'a.created_at',
  'a.updated_at',
  'a.stage_entered_at',
  'c.first_name',
  'c.last_name',
  'c.email',
  's.id as assignee_id',
  's.name as assignee_name',
  's.email as assignee_email',
  's.role as assignee_role',
] as const;

/** `summaryColumns` as a SELECT list, for the few statements written as SQL text. */
export const summarySelectList = sql.raw(
  summaryColumns
    .map((column) => {
      const [reference = '', alias] = column.split(' as ');
      const [table, name] = reference.split('.');
      return `${table}."${name}"${alias ? ` AS "${alias}"` : ''}`;
    })
    .join(', '),
);

function summaryQuery(db: Kysely<Database>) {
  return db
    .selectFrom('applications as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .leftJoin('staff as s', 's.id', 'a.assignee_id')
    .select(summaryColumns);
}
type SummaryQuery = ReturnType<typeof summaryQuery>;
export type ApplicationSummaryRow = Awaited<ReturnType<SummaryQuery['executeTakeFirstOrThrow']>>;

type QueueTables = Database & { a: Database['applications'] };

/**
 * The filter as SQL conditions on `applications as a`, usable by any query that has that
 * alias (the page query joins more tables; the counts do not).
 */
function filterConditions(filter: QueueFilter): Expression<SqlBool>[] {
  const eb = expressionBuilder<QueueTables, 'a'>();
  const conditions: Expression<SqlBool>[] = [];
  if (filter.stage?.length) conditions.push(eb('a.stage', 'in', filter.stage));
  if (filter.provider?.length) conditions.push(eb('a.provider', 'in', filter.provider));
  if (filter.providerStatus?.length) conditions.push(eb('a.provider_status', 'in', filter.providerStatus));
  for (const flag of filter.flag ?? []) conditions.push(eb(`a.${flagColumns[flag]}`, '=', true));
  if (filter.assigneeId === null) conditions.push(eb('a.assignee_id', 'is', null));
  else if (filter.assigneeId !== undefined) conditions.push(eb('a.assignee_id', '=', filter.assigneeId));
  if (filter.createdFrom) conditions.push(eb('a.created_at', '>=', filter.createdFrom));
  if (filter.createdTo) conditions.push(eb('a.created_at', '<', filter.createdTo));
  if (filter.search) conditions.push(textSearchCondition(eb, filter.search));
  if (filter.sla?.length) conditions.push(slaCondition(eb, filter.sla));
  return conditions;
}

/**
 * Cases whose stage's service level is in one of `states`, from how long they have been in the
 * stage: an OR over the stages that have one (each arm a range on `(stage, stage_entered_at)`).
 */
function slaCondition(eb: ExpressionBuilder<QueueTables, 'a'>, states: readonly SlaState[]): Expression<SqlBool> {
  const arms: Expression<SqlBool>[] = [];
  for (const stage of stages) {
    const hours = stageSlaHours[stage];
    if (hours === null) continue;
    const dueBy = sql<Date>`now() - make_interval(secs => ${hours * 3600})`;
    const soonFrom = sql<Date>`now() - make_interval(secs => ${hours * 3600 * (1 - slaDueSoonShare)})`;
    for (const state of states) {
      const range =
        state === 'breached'
          ? eb('a.stage_entered_at', '<=', dueBy)
          : state === 'due_soon'
            ? eb.and([eb('a.stage_entered_at', '>', dueBy), eb('a.stage_entered_at', '<=', soonFrom)])
            : eb('a.stage_entered_at', '>', soonFrom);
      arms.push(eb.and([eb('a.stage', '=', stage), range]));
    }
  }
  return arms.length > 0 ? eb.or(arms) : sql<SqlBool>`false`;
}

/**
 * The queue's text search: `q` as typed, and the customers the customer lookup
 * (`customers/customer-search.ts`) finds for it, so that the queue matches every way the
 * lookup does (ids, email, phone, last four, names and misspelt names).
 */
export type QueueSearch = { text: string; customerIds: readonly string[] };

/**
 * `q` is an application or customer id, a provider's application or customer id, or whatever
 * finds customers in the customer lookup (resolved to their ids beforehand, bounded).
 */
function textSearchCondition(eb: ExpressionBuilder<QueueTables, 'a'>, search: QueueSearch): Expression<SqlBool> {
  const { text, customerIds } = search;
  const arms: Expression<SqlBool>[] = [
    eb('a.provider_application_id', '=', text),
    eb('a.provider_customer_id', '=', text),
  ];
  if (uuidPattern.test(text)) {
    const id = text.toLowerCase();
    arms.push(eb('a.id', '=', id), eb('a.customer_id', '=', id));
  } else if (customerIds.length > 0) {
    arms.push(eb('a.customer_id', 'in', customerIds));
  }
  return eb.or(arms);
}

/**
 * A stage's place in the lifecycle (1 = intake), the stage sort's key. The stages are SQL
 * literals so that the expression is the one the index `applications_stage_rank_created_idx`
 * holds; a change to `stages` needs a new index.
 */
const stageRank = sql<number>`array_position(${sql.raw(`ARRAY[${stages.map((stage) => `'${stage}'`).join(', ')}]::text[]`)}, a.stage)`;
const lowerLastName = sql<string>`lower(c.last_name)`;
const lowerFirstName = sql<string>`lower(c.first_name)`;

/** The columns a sort orders by, the row's id last (the unique tiebreak); each is an index's order. */
const sortColumns: Record<ApplicationSort, readonly Expression<unknown>[]> = {
  createdAt: [sql.ref('a.created_at'), sql.ref('a.id')],
  updatedAt: [sql.ref('a.updated_at'), sql.ref('a.id')],
  provider: [sql.ref('a.provider'), sql.ref('a.created_at'), sql.ref('a.id')],
  stage: [stageRank, sql.ref('a.created_at'), sql.ref('a.id')],
  applicant: [lowerLastName, lowerFirstName, sql.ref('c.id'), sql.ref('a.id')],
};

/** The values of `sortColumns` at a cursor's position; the applicant's are read from its row. */
async function positionValues(db: Kysely<Database>, after: QueuePosition): Promise<readonly unknown[]> {
  const id = sql`${after.id}::uuid`;
  switch (after.sort) {
    case 'createdAt':
    case 'updatedAt':
      return [after.at, id];
    case 'provider':
      return [after.provider, after.at, id];
    case 'stage':
      return [sql`${stages.indexOf(after.stage) + 1}::int`, after.at, id];
    case 'applicant': {
      const row = await db
        .selectFrom('applications as a')
        .innerJoin('customers as c', 'c.id', 'a.customer_id')
        .select([lowerLastName.as('last'), lowerFirstName.as('first'), 'c.id as customer_id'])
        .where('a.id', '=', after.id)
        .executeTakeFirst();
      if (!row) {
        throw new AppError('validation_failed', 'Invalid query: cursor', {
          cursor: ['points at a case this desk does not have; start again from the first page'],
        });
      }
      return [row.last, row.first, sql`${row.customer_id}::uuid`, id];
    }
  }
}

export async function findApplicationPage(
  db: Kysely<Database>,
  filter: QueueFilter,
  page: { sort: ApplicationSort; order: SortOrder; limit: number; after: QueuePosition | null },
): Promise<ApplicationSummaryRow[]> {
  const columns = sortColumns[page.sort];
  let query = summaryQuery(db).where((eb) => eb.and(filterConditions(filter)));
  if (page.after) {
    const comparison = page.order === 'asc' ? sql`>` : sql`<`;
    const values = await positionValues(db, page.after);
    query = query.where(sql<boolean>`(${sql.join(columns)}) ${comparison} (${sql.join(values.map((v) => sql`${v}`))})`);
  }
  for (const column of columns) query = query.orderBy(column, page.order);
  return query.limit(page.limit).execute();
}

export async function findApplicationSummary(db: Kysely<Database>, id: string) {
  return summaryQuery(db).where('a.id', '=', id).executeTakeFirst();
}

/** Counts for the queue header: per stage, per raised flag, and open cases by age. */
export async function countApplications(db: Kysely<Database>, filter: QueueFilter, now: Date) {
  const day = 24 * 60 * 60 * 1000;
  const ago = (days: number) => new Date(now.getTime() - days * day);
  const open = sql<boolean>`a.stage IN (${sql.join(openCaseStages.map((stage) => sql.lit(stage)))})`;
  return db
    .selectFrom('applications as a')
    .select((eb) => [
      'a.stage',
      eb.fn.countAll<number>().as('total'),
      eb.fn.countAll<number>().filterWhere('a.flag_id_verification', '=', true).as('flag_id'),
      eb.fn.countAll<number>().filterWhere('a.flag_identification_number_verification', '=', true).as('flag_number'),
      eb.fn.countAll<number>().filterWhere('a.flag_address_verification', '=', true).as('flag_address'),
      eb.fn
        .countAll<number>()
        .filterWhere(eb.and([open, eb('a.created_at', '>', ago(1))]))
        .as('lt1d'),
      eb.fn
        .countAll<number>()
        .filterWhere(eb.and([open, eb('a.created_at', '<=', ago(1)), eb('a.created_at', '>', ago(3))]))
        .as('d1to3'),
      eb.fn
        .countAll<number>()
        .filterWhere(eb.and([open, eb('a.created_at', '<=', ago(3)), eb('a.created_at', '>', ago(7))]))
        .as('d3to7'),
      eb.fn
        .countAll<number>()
        .filterWhere(eb.and([open, eb('a.created_at', '<=', ago(7)), eb('a.created_at', '>', ago(30))]))
        .as('d7to30'),
      eb.fn
        .countAll<number>()
        .filterWhere(eb.and([open, eb('a.created_at', '<=', ago(30))]))
        .as('gt30d'),
    ])
    .where((eb) => eb.and(filterConditions(filter)))
    .groupBy('a.stage')
    .execute();
}
