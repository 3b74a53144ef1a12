/**
 * The only place with queries on applications and what hangs off them.
 */

import {
  type ApplicationListQuery,
  type ApplicationSort,
  type DocumentFlag,
  type Provider,
  type SlaState,
  type SortOrder,
  slaDueSoonShare,
  stageSlaHours,
  stages,
} from '@desk/shared';
import { type Expression, type ExpressionBuilder, expressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { KeysetPosition } from './keyset-cursor.js';

export const flagColumns = {
  idVerification: 'flag_id_verification',
  identificationNumberVerification: 'flag_identification_number_verification',
  addressVerification: 'flag_address_verification',
} as const satisfies Record<DocumentFlag, keyof Database['applications']>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How many customers a text search may match before the queue filters on them. */
const maxCustomersPerSearch = 500;

export type QueueFilter = Omit<ApplicationListQuery, 'limit' | 'cursor' | 'assignee' | 'sort' | 'order'> & {
  /** Resolved: null = unassigned, a staff id, or undefined for no filter. */
  assigneeId?: string | null;
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
function filterConditions(db: Kysely<Database>, filter: QueueFilter): Expression<SqlBool>[] {
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
  if (filter.q) conditions.push(textSearchCondition(db, eb, filter.q));
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
 * `q` is an application or customer id, a provider's application or customer id, or the start
 * of a name or email. Names are matched through a bounded customer lookup so the queue scan
 * stays an index range.
 */
function textSearchCondition(
  db: Kysely<Database>,
  eb: ExpressionBuilder<QueueTables, 'a'>,
  text: string,
): Expression<SqlBool> {
  if (uuidPattern.test(text)) {
    const id = text.toLowerCase();
    return eb.or([
      eb('a.id', '=', id),
      eb('a.customer_id', '=', id),
      eb('a.provider_application_id', '=', text),
      eb('a.provider_customer_id', '=', text),
    ]);
  }
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const escapeLike = (w: string) => w.replace(/[\\%_]/g, (m) => `\\${m}`);
  const matchingCustomers = db
    .selectFrom('customers')
    .select('id')
    .where((c) => {
      const [first, second] = words;
      if (words.length >= 2 && first && second) {
        // "jane doe" or "doe jane"
        return c.or([
          c.and([
            c(c.fn('lower', ['first_name']), 'like', `${escapeLike(first)}%`),
            c(c.fn('lower', ['last_name']), 'like', `${escapeLike(words.slice(1).join(' '))}%`),
          ]),
          c.and([
            c(c.fn('lower', ['last_name']), 'like', `${escapeLike(first)}%`),
            c(c.fn('lower', ['first_name']), 'like', `${escapeLike(second)}%`),
          ]),
        ]);
      }
      const prefix = `${escapeLike(words[0] ?? '')}%`;
      return c.or([
        c(c.fn('lower', ['last_name']), 'like', prefix),
        c(c.fn('lower', ['first_name']), 'like', prefix),
        c(c.fn('lower', ['email']), 'like', prefix),
      ]);
    })
    .limit(maxCustomersPerSearch);
  return eb.or([
    eb('a.provider_application_id', '=', text),
    eb('a.provider_customer_id', '=', text),
    eb('a.customer_id', 'in', matchingCustomers),
  ]);
}

export async function findApplicationPage(
  db: Kysely<Database>,
  filter: QueueFilter,
  page: { sort: ApplicationSort; order: SortOrder; limit: number; after: KeysetPosition | null },
): Promise<ApplicationSummaryRow[]> {
  const column = page.sort === 'updatedAt' ? 'a.updated_at' : 'a.created_at';
  const direction = page.order;
  let query = summaryQuery(db).where((eb) => eb.and(filterConditions(db, filter)));
  if (page.after) {
    const comparison = direction === 'asc' ? sql`>` : sql`<`;
    query = query.where(
      sql<boolean>`(${sql.ref(column)}, a.id) ${comparison} (${page.after.at}, ${page.after.id}::uuid)`,
    );
  }
  return query.orderBy(column, direction).orderBy('a.id', direction).limit(page.limit).execute();
}

export async function findApplicationSummary(db: Kysely<Database>, id: string) {
  return summaryQuery(db).where('a.id', '=', id).executeTakeFirst();
}

/** What the provider asks for, and the case's RFIs (newest first). */
export async function findProviderRequirements(db: Kysely<Database>, id: string): Promise<string[]> {
  const row = await db
    .selectFrom('applications')
    .select('provider_requirements')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.provider_requirements ?? [];
}

export async function findCaseRfis(db: Kysely<Database>, applicationId: string) {
  return db
    .selectFrom('rfis as r')
    .select((eb) => [
      'r.id',
      'r.origin',
      'r.status',
      'r.title',
      'r.due_at',
      'r.created_at',
      'r.closed_at',
      eb
        .selectFrom('rfi_answers as a')
        .select((a) => a.fn.max('a.answered_at').as('at'))
        .whereRef('a.rfi_id', '=', 'r.id')
        .as('answered_at'),
    ])
    .where('r.application_id', '=', applicationId)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
}
export type CaseRfiRow = Awaited<ReturnType<typeof findCaseRfis>>[number];

export async function findApplicantOf(db: Kysely<Database>, customerId: string) {
  return db
    .selectFrom('customers')
    .select([
      'id',
      'first_name',
      'last_name',
      'email',
      'phone',
      'date_of_birth',
      'street',
      'city',
      'postal_code',
      'state',
      'country',
    ])
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
}
export type ApplicantRow = Awaited<ReturnType<typeof findApplicantOf>>;

export async function findDocuments(db: Kysely<Database>, applicationId: string) {
  return db
    .selectFrom('application_documents as d')
    .leftJoin('staff as s', 's.id', 'd.uploaded_by')
    .select([
      'd.id',
      'd.type',
      'd.status',
      'd.content_type',
      'd.size_bytes',
      'd.sha256',
      'd.file_name',
      'd.provider_document_id',
      'd.created_at',
      'd.updated_at',
      's.id as uploader_id',
      's.name as uploader_name',
      's.email as uploader_email',
      's.role as uploader_role',
    ])
    .where('d.application_id', '=', applicationId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute();
}
export type DocumentRow = Awaited<ReturnType<typeof findDocuments>>[number];

export async function findStatusHistory(db: Kysely<Database>, applicationId: string) {
  return db
    .selectFrom('status_history as h')
    .leftJoin('staff as s', 's.id', 'h.actor_id')
    .select([
      'h.id',
      'h.from_status',
      'h.to_status',
      'h.from_stage',
      'h.to_stage',
      'h.at',
      'h.source',
      'h.reason',
      's.id as actor_id',
      's.name as actor_name',
      's.email as actor_email',
      's.role as actor_role',
    ])
    .where('h.application_id', '=', applicationId)
    .orderBy('h.at')
    .orderBy('h.id')
    .execute();
}
export type HistoryRow = Awaited<ReturnType<typeof findStatusHistory>>[number];

/** The consented version's release date and the newest version released by the consent instant. */
export async function findConsentContext(db: Kysely<Database>, provider: Provider, version: string, consentedAt: Date) {
  const [consented, latest] = await Promise.all([
    db
      .selectFrom('agreements')
      .select('released_at')
      .where('provider', '=', provider)
      .where('version', '=', version)
      .executeTakeFirst(),
    db
      .selectFrom('agreements')
      .select('version')
      .where('provider', '=', provider)
      .where('released_at', '<=', consentedAt)
      .orderBy('released_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { versionReleasedAt: consented?.released_at ?? null, latestVersionAtConsent: latest?.version ?? null };
}

/** Counts for the queue header: per stage, per raised flag, and open cases by age. */
export async function countApplications(db: Kysely<Database>, filter: QueueFilter, now: Date) {
  const day = 24 * 60 * 60 * 1000;
  const ago = (days: number) => new Date(now.getTime() - days * day);
  const open = sql<boolean>`a.stage NOT IN ('approved', 'rejected')`;
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
    .where((eb) => eb.and(filterConditions(db, filter)))
    .groupBy('a.stage')
    .execute();
}
