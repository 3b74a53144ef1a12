/**
 * A case's own reads (what the case page and the audit report show) and the only writer of
 * `applications` and `status_history` (a status change and its history row are written
 * together, here). The queue's reads are in queue.query.ts; documents are written by
 * document.repository.ts, RFIs by the RFI module.
 */

import { type DocumentFlags, openCaseStages, type Provider, type Stage, type StatusChangeSource } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { executePrepared, preparedMarker } from '../db/database.js';
import type { ApplicationRow, ApplicationTable, Database, NewApplication } from '../db/schema.js';
import type { SnapshotWrites, StoredCase } from '../provider-actions/snapshot-diff.js';
import { syncProviderRfi } from '../rfis/rfi.repository.js';
import { applyDocumentChanges } from './document.repository.js';
import { type ApplicationSummaryRow, flagColumns, summarySelectList } from './queue.query.js';

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
