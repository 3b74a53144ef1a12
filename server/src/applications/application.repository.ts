/**
 * The only place with queries on applications and what hangs off them, and the only writer
 * of `applications` and `status_history` (a status change and its history row are written
 * together, here). Documents are written by document.repository.ts, RFIs by the RFI module.
 */

import {
  type ApplicationListQuery,
  type ApplicationSort,
  type DocumentFlag,
  type DocumentFlags,
  openCaseStages,
  type Provider,
  type SlaState,
  type SortOrder,
  type Stage,
  type StatusChangeSource,
  slaDueSoonShare,
  stageSlaHours,
  stages,
} from '@desk/shared';
import { type Expression, type ExpressionBuilder, expressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { executePrepared, preparedMarker } from '../db/database.js';
import type { ApplicationRow, ApplicationTable, Database, NewApplication } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { SnapshotWrites, StoredCase } from '../provider-actions/snapshot-diff.js';
import { syncProviderRfi } from '../rfis/rfi.repository.js';
import { applyDocumentChanges } from './document.repository.js';
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
      'd.uploaded_at',
      (eb) =>
        eb
          .exists(
            eb.selectFrom('document_contents as c').select('c.document_id').whereRef('c.document_id', '=', 'd.id'),
          )
          .$castTo<boolean>()
          .as('viewable'),
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

/**
 * Every column of an application row by name, for the prepared statements that read the whole
 * row: a prepared `SELECT *` would fail ("cached plan must not change result type") once a
 * migration of a newer release added a column while this process still ran. The compiler holds
 * this list to the table's type: a column missing here or not in the table is an error.
 */
const applicationColumns = Object.keys({
  id: true,
  customer_id: true,
  provider: true,
  provider_application_id: true,
  provider_status: true,
  stage: true,
  flag_id_verification: true,
  flag_identification_number_verification: true,
  flag_address_verification: true,
  agreement_version: true,
  consented_at: true,
  provider_customer_id: true,
  provider_observed_at: true,
  provider_requirements: true,
  assignee_id: true,
  claimed_at: true,
  stage_entered_at: true,
  account_status: true,
  version: true,
  created_at: true,
  updated_at: true,
} satisfies Record<keyof ApplicationTable, true>) as (keyof ApplicationTable)[];

/** The application row, locked until the transaction ends: every change to a case starts here. */
export async function lockApplication(trx: Kysely<Database>, id: string): Promise<ApplicationRow | undefined> {
  const { rows } = await executePrepared(
    trx,
    trx.selectFrom('applications').select(applicationColumns).where('id', '=', id).forUpdate(),
  );
  return rows[0];
}

export async function findApplicationRow(db: Kysely<Database>, id: string): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Open applications of these providers not heard about since `staleBefore`, oldest news first. */
export async function findStaleOpenApplications(
  db: Kysely<Database>,
  options: { providers: Provider[]; staleBefore: Date; limit: number },
) {
  return db
    .selectFrom('applications as a')
    .select(['a.id', 'a.provider', 'a.provider_application_id'])
    .where('a.provider', 'in', options.providers)
    .where('a.stage', 'in', openCaseStages)
    .where((eb) =>
      eb.or([eb('a.provider_observed_at', 'is', null), eb('a.provider_observed_at', '<', options.staleBefore)]),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('provider_actions as p')
            .select(sql`1`.as('one'))
            .whereRef('p.application_id', '=', 'a.id')
            .where('p.state', '=', 'sending'),
        ),
      ),
    )
    .orderBy(sql`a.provider_observed_at NULLS FIRST`)
    .limit(options.limit)
    .execute();
}

/**
 * A new application and its first status-history row (from nothing to the provider's status),
 * as a provider answered its creation.
 */
export async function insertApplication(
  trx: Kysely<Database>,
  values: NewApplication,
  firstChange: { source: StatusChangeSource; actorId: string | null; reason: string },
): Promise<ApplicationRow> {
  const app = await trx.insertInto('applications').values(values).returningAll().executeTakeFirstOrThrow();
  await trx
    .insertInto('status_history')
    .values({
      application_id: app.id,
      from_status: null,
      to_status: app.provider_status,
      from_stage: null,
      to_stage: app.stage,
      source: firstChange.source,
      actor_id: firstChange.actorId,
      reason: firstChange.reason,
    })
    .execute();
  return app;
}

/** Who holds the case (null: nobody); the case's version moves. */
export async function setAssignee(
  trx: Kysely<Database>,
  app: Pick<ApplicationRow, 'id' | 'version'>,
  assigneeId: string | null,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('applications')
    .set({ assignee_id: assigneeId, claimed_at: assigneeId ? now : null, version: app.version + 1, updated_at: now })
    .where('id', '=', app.id)
    .execute();
}

/** Something hanging off the case changed (an outcome): the case's version moves. */
export async function touchApplication(
  trx: Kysely<Database>,
  app: Pick<ApplicationRow, 'id' | 'version'>,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('applications')
    .set({ version: app.version + 1, updated_at: now })
    .where('id', '=', app.id)
    .execute();
}

/** The columns an audit row is written with (audit-log.ts `auditRowOf`). */
type AuditRowValues = {
  actor_id: string | null;
  actor: string;
  action: string;
  entity_type: string;
  ip: string | null;
  data: string;
};

/**
 * Claims the oldest case in `stages` that nobody holds for `staffId` and returns its queue row
 * (undefined: none free right now). One statement, one round trip: pick (skipping rows others
 * hold), claim, audit — the audit row is written by the same statement, so the claim never
 * exists without it — and read the claimed row (as updated: RETURNING) with its customer and
 * new assignee. SQL text, prepared once per connection: it runs at every "next", where
 * building it through the query builder and planning it cost more than executing it. Stages
 * and provider are literals from closed sets (the shape stays fixed, and the plan can use the
 * partial index of workable unheld cases).
 */
export async function claimOldestUnheld(
  db: Kysely<Database>,
  pick: { stages: readonly Stage[]; provider?: Provider | undefined },
  staffId: string,
  audit: AuditRowValues,
): Promise<ApplicationSummaryRow | undefined> {
  const candidate = sql`
      SELECT id FROM applications
      WHERE assignee_id IS NULL AND stage IN (${sql.join(pick.stages.map((stage) => sql.lit(stage)))})${pick.provider ? sql` AND provider = ${sql.lit(pick.provider)}` : sql``}
      ORDER BY created_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED`;
  const { rows } = await sql<ApplicationSummaryRow>`${sql.raw(preparedMarker)}
      WITH candidate AS (${candidate}),
      claimed AS (
        UPDATE applications
        SET assignee_id = ${staffId}, claimed_at = now(), version = version + 1, updated_at = now()
        WHERE id = (SELECT id FROM candidate) AND assignee_id IS NULL
        RETURNING *
      ),
      audited AS (
        INSERT INTO audit_events (actor_id, actor, action, entity_type, entity_id, application_id, ip, data)
        SELECT ${audit.actor_id}::uuid, ${audit.actor}, ${audit.action}, ${audit.entity_type}, claimed.id::text, claimed.id, ${audit.ip}, ${audit.data}::jsonb
        FROM claimed
      )
      SELECT ${summarySelectList}
      FROM claimed a
      JOIN customers c ON c.id = a.customer_id
      LEFT JOIN staff s ON s.id = a.assignee_id
    `.execute(db);
  return rows[0];
}

/** Whether any case in `stages` is waiting for someone to take it. */
export async function hasUnheldCase(
  db: Kysely<Database>,
  pick: { stages: readonly Stage[]; provider?: Provider | undefined },
): Promise<boolean> {
  let waiting = db
    .selectFrom('applications')
    .select('id')
    .where('assignee_id', 'is', null)
    .where('stage', 'in', pick.stages)
    .limit(1);
  if (pick.provider) waiting = waiting.where('provider', '=', pick.provider);
  return (await waiting.executeTakeFirst()) !== undefined;
}

function flagsOf(row: ApplicationRow): DocumentFlags {
  return {
    idVerification: row[flagColumns.idVerification],
    identificationNumberVerification: row[flagColumns.identificationNumberVerification],
    addressVerification: row[flagColumns.addressVerification],
  };
}

/** What a provider's answer is compared with (see snapshot-diff.ts), read under the row lock. */
export async function findStoredCase(trx: Kysely<Database>, app: ApplicationRow): Promise<StoredCase> {
  // Both lists in one statement (each a JSON array): one round trip inside the locked section.
  const found = await executePrepared(
    trx,
    trx.selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('application_documents')
          .select(['id', 'type', 'status', 'provider_document_id'])
          .where('application_id', '=', app.id)
          .where('provider_document_id', 'is not', null),
      ).as('documents'),
      jsonArrayFrom(
        eb
          .selectFrom('rfis')
          .select(['provider_rfi_id', 'status'])
          .where('application_id', '=', app.id)
          .where('origin', '=', 'provider')
          .where('provider_rfi_id', 'is not', null),
      ).as('providerRfis'),
    ]),
  );
  const { documents, providerRfis } = found.rows[0] ?? { documents: [], providerRfis: [] };
  return {
    application: {
      id: app.id,
      provider: app.provider,
      providerStatus: app.provider_status,
      stage: app.stage,
      flags: flagsOf(app),
      providerCustomerId: app.provider_customer_id,
      providerObservedAt: app.provider_observed_at,
      requirements: app.provider_requirements,
    },
    documents: documents.flatMap((d) =>
      d.provider_document_id
        ? [{ id: d.id, type: d.type, status: d.status, providerDocumentId: d.provider_document_id }]
        : [],
    ),
    providerRfis: providerRfis.flatMap((r) =>
      r.provider_rfi_id ? [{ providerRfiId: r.provider_rfi_id, status: r.status }] : [],
    ),
  };
}

/**
 * Applies what a provider's answer changes (`diffSnapshot`), in the caller's transaction,
 * after the application row has been locked: the history row, the application's fields (its
 * version moves only when they change), the documents, and the RFIs through the RFI module.
 */
export async function applySnapshotDiff(trx: Kysely<Database>, diff: SnapshotWrites): Promise<void> {
  const { applicationId, at, application, statusChange } = diff;
  // Prepared: a fixed text, planned once (the update below has three: the observation alone, a
  // change, a change of stage).
  if (statusChange) {
    await executePrepared(
      trx,
      trx.insertInto('status_history').values({
        application_id: applicationId,
        from_status: statusChange.fromStatus,
        to_status: statusChange.toStatus,
        from_stage: statusChange.fromStage,
        to_stage: statusChange.toStage,
        at: statusChange.at,
        source: statusChange.source,
        actor_id: statusChange.actorId,
        reason: statusChange.reason,
      }),
    );
  }
  await executePrepared(
    trx,
    trx
      .updateTable('applications')
      .set((eb) => ({
        provider_observed_at: diff.observation.observedAt,
        provider_requirements: JSON.stringify(diff.observation.requirements),
        ...(application
          ? {
              provider_status: application.providerStatus,
              stage: application.stage,
              [flagColumns.idVerification]: application.flags.idVerification,
              [flagColumns.identificationNumberVerification]: application.flags.identificationNumberVerification,
              [flagColumns.addressVerification]: application.flags.addressVerification,
              provider_customer_id: application.providerCustomerId,
              ...(application.stageEnteredAt ? { stage_entered_at: application.stageEnteredAt } : {}),
              version: eb('version', '+', 1),
              updated_at: at,
            }
          : {}),
      }))
      .where('id', '=', applicationId),
  );
  await applyDocumentChanges(trx, applicationId, diff.documents, at);
  // The RFI module applies the provider's RFI as a whole (create once, close the rest).
  if (diff.rfi) await syncProviderRfi(trx, applicationId, diff.rfi.open, at);
}
