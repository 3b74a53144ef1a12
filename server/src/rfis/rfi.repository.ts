/**
 * The only place with queries on RFIs, their items and answers (every version, with the
 * provider's refusal of it), and the only writer of `rfis`, `rfi_items`, `rfi_answers` and
 * `rfi_answer_documents`. Status changes follow the
 * lifecycle in `@desk/shared` (lifecycles/rfis.ts): every move is filtered in SQL by the
 * statuses it may come from, so a row in any other status is left as it is.
 */

import { createHash } from 'node:crypto';
import {
  type FieldFormat,
  type Provider,
  type RfiItemKind,
  type RfiItemReason,
  type RfiOrigin,
  type RfiRefusal,
  type RfiStatus,
  rfiStatusesBefore,
  rfiStatusesClosableBy,
} from '@desk/shared';
import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database, RfiTable } from '../db/schema.js';
import type { ProviderSnapshot } from '../providers/provider-adapter.js';

export type RfiFilter = {
  status?: RfiStatus[];
  provider?: Provider[];
  /** null = unassigned. */
  assigneeId?: string | null;
  applicationId?: string;
  dueBefore?: Date;
};

function rfiViewQuery(db: Kysely<Database>) {
  return db
    .selectFrom('rfis as r')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .leftJoin('staff as s', 's.id', 'r.assignee_id')
    .leftJoin('staff as rb', 'rb.id', 'r.raised_by')
    .select([
      'r.id',
      'r.application_id',
      'r.origin',
      'r.provider_rfi_id',
      'r.status',
      'r.title',
      'r.due_at',
      'r.version',
      'r.created_at',
      'r.updated_at',
      'r.closed_at',
      'a.provider',
      'c.first_name',
      'c.last_name',
      's.id as assignee_id',
      's.name as assignee_name',
      's.email as assignee_email',
      's.role as assignee_role',
      'rb.id as raiser_id',
      'rb.name as raiser_name',
      'rb.email as raiser_email',
      'rb.role as raiser_role',
    ]);
}
export type RfiRow = Awaited<ReturnType<ReturnType<typeof rfiViewQuery>['executeTakeFirstOrThrow']>>;

export async function findRfiPage(
  db: Kysely<Database>,
  filter: RfiFilter,
  page: { limit: number; after: { at: Date; id: string } | null },
): Promise<RfiRow[]> {
  let query = rfiViewQuery(db);
  if (filter.status?.length) query = query.where('r.status', 'in', filter.status);
  if (filter.provider?.length) query = query.where('a.provider', 'in', filter.provider);
  if (filter.assigneeId === null) query = query.where('r.assignee_id', 'is', null);
  else if (filter.assigneeId !== undefined) query = query.where('r.assignee_id', '=', filter.assigneeId);
  if (filter.applicationId) query = query.where('r.application_id', '=', filter.applicationId);
  if (filter.dueBefore) query = query.where('r.due_at', '<', filter.dueBefore);
  if (page.after) query = query.where(sql<boolean>`(r.due_at, r.id) > (${page.after.at}, ${page.after.id}::uuid)`);
  return query.orderBy('r.due_at').orderBy('r.id').limit(page.limit).execute();
}

export async function findRfi(db: Kysely<Database>, id: string): Promise<RfiRow | undefined> {
  return rfiViewQuery(db).where('r.id', '=', id).executeTakeFirst();
}

export async function findItems(db: Kysely<Database>, rfiIds: string[]) {
  if (rfiIds.length === 0) return [];
  return db
    .selectFrom('rfi_items')
    .selectAll()
    .where('rfi_id', 'in', rfiIds)
    .orderBy('rfi_id')
    .orderBy('position')
    .execute();
}
export type RfiItemRow = Awaited<ReturnType<typeof findItems>>[number];

export async function findAnswers(db: Kysely<Database>, rfiIds: string[]) {
  if (rfiIds.length === 0) return { answers: [], documents: [] };
  const answers = await db
    .selectFrom('rfi_answers as x')
    .leftJoin('staff as s', 's.id', 'x.answered_by')
    .select([
      'x.id',
      'x.rfi_id',
      'x.version',
      'x.text',
      'x.field_values',
      'x.answered_at',
      'x.refused_at',
      'x.refusal',
      's.id as answerer_id',
      's.name as answerer_name',
      's.email as answerer_email',
      's.role as answerer_role',
    ])
    .where('x.rfi_id', 'in', rfiIds)
    .orderBy('x.rfi_id')
    .orderBy('x.version')
    .execute();
  const documents = answers.length
    ? await db
        .selectFrom('rfi_answer_documents')
        .select(['id', 'answer_id', 'item_key', 'file_name', 'content_type', 'size_bytes', 'sha256'])
        .where(
          'answer_id',
          'in',
          answers.map((a) => a.id),
        )
        .execute()
    : [];
  return { answers, documents };
}
export type RfiAnswerRows = Awaited<ReturnType<typeof findAnswers>>;

/** A file of an answer with its bytes, when the file, the answer and the RFI belong together. */
export async function findAnswerDocumentContent(
  db: Kysely<Database>,
  ids: { rfiId: string; answerId: string; documentId: string },
) {
  return db
    .selectFrom('rfi_answer_documents as d')
    .innerJoin('rfi_answers as x', 'x.id', 'd.answer_id')
    .innerJoin('rfis as r', 'r.id', 'x.rfi_id')
    .select(['d.id', 'd.item_key', 'd.content_type', 'd.file_name', 'd.bytes', 'r.application_id'])
    .where('d.id', '=', ids.documentId)
    .where('d.answer_id', '=', ids.answerId)
    .where('x.rfi_id', '=', ids.rfiId)
    .executeTakeFirst();
}

/** Locks the RFI for a change of status. */
export async function lockRfi(trx: Kysely<Database>, id: string) {
  return trx.selectFrom('rfis').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks the case an RFI is raised on, so it cannot be decided meanwhile. */
export async function lockCaseOfRfi(trx: Kysely<Database>, applicationId: string) {
  return trx
    .selectFrom('applications')
    .select(['id', 'stage'])
    .where('id', '=', applicationId)
    .forUpdate()
    .executeTakeFirst();
}

/** The provider of the case an RFI is raised on. */
export async function findApplicationProvider(db: Kysely<Database>, applicationId: string) {
  return db.selectFrom('applications').select('provider').where('id', '=', applicationId).executeTakeFirstOrThrow();
}

export async function staffExists(db: Kysely<Database>, staffId: string): Promise<boolean> {
  const row = await db.selectFrom('staff').select('id').where('id', '=', staffId).executeTakeFirst();
  return row !== undefined;
}

/** What is asked, in order (the position is the index). */
export type NewRfiItem = {
  kind: RfiItemKind;
  key: string;
  label: string;
  section: string | null;
  reason: RfiItemReason | null;
  note: string | null;
  format: FieldFormat | null;
};

/**
 * Writes an RFI and its items. A provider's RFI is written once per (application, provider
 * RFI id): when it is there already nothing is written and the answer is null.
 */
export async function insertRfi(
  trx: Kysely<Database>,
  rfi: Omit<Insertable<RfiTable>, 'status'>,
  items: readonly NewRfiItem[],
): Promise<string | null> {
  const created = await trx
    .insertInto('rfis')
    .values({ ...rfi, status: 'open' })
    .onConflict((oc) =>
      oc.columns(['application_id', 'provider_rfi_id']).where('provider_rfi_id', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (!created) return null;
  if (items.length > 0) {
    await trx
      .insertInto('rfi_items')
      .values(items.map((item, position) => ({ rfi_id: created.id, position, ...item })))
      .execute();
  }
  return created.id;
}

export type NewRfiAnswer = {
  rfiId: string;
  text: string | null;
  fieldValues: Record<string, string>;
  answeredBy: string | null;
  files: readonly { itemKey: string; originalName: string; contentType: string; bytes: Buffer }[];
};

/** The SHA-256 an answer's file is stored and audited under. */
export function fileSha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Writes an answer, the RFI's next version (the caller holds the RFI's lock), and its files;
 * returns the answer's id and version.
 */
export async function insertAnswer(
  trx: Kysely<Database>,
  answer: NewRfiAnswer,
): Promise<{ id: string; version: number }> {
  const last = await trx
    .selectFrom('rfi_answers')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('rfi_id', '=', answer.rfiId)
    .executeTakeFirst();
  const version = (last?.version ?? 0) + 1;
  const row = await trx
    .insertInto('rfi_answers')
    .values({
      rfi_id: answer.rfiId,
      version,
      text: answer.text,
      field_values: JSON.stringify(answer.fieldValues),
      answered_by: answer.answeredBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (answer.files.length > 0) {
    await trx
      .insertInto('rfi_answer_documents')
      .values(
        answer.files.map((f) => ({
          answer_id: row.id,
          item_key: f.itemKey,
          file_name: f.originalName.slice(0, 255) || null,
          content_type: f.contentType,
          size_bytes: f.bytes.length,
          sha256: fileSha256(f.bytes),
          bytes: f.bytes,
        })),
      )
      .execute();
  }
  return { id: row.id, version };
}

/** The answer a delivery carries, with its RFI and the provider it went to, for recording the provider's refusal. */
export async function findAnswerForDelivery(trx: Kysely<Database>, answerId: string) {
  return trx
    .selectFrom('rfi_answers as x')
    .innerJoin('rfis as r', 'r.id', 'x.rfi_id')
    .innerJoin('applications as a', 'a.id', 'r.application_id')
    .select(['x.id', 'x.rfi_id', 'x.version', 'x.refused_at', 'r.application_id', 'a.provider'])
    .where('x.id', '=', answerId)
    .executeTakeFirst();
}

/**
 * Records the provider's refusal of an answer and moves its RFI to `refused` when that answer
 * is the RFI's latest and the lifecycle lets it move (an answered RFI). Returns whether the
 * RFI moved.
 */
export async function markAnswerRefused(
  trx: Kysely<Database>,
  answer: { id: string; rfiId: string; version: number },
  refusal: RfiRefusal,
  now: Date,
): Promise<boolean> {
  await trx
    .updateTable('rfi_answers')
    .set({ refused_at: now, refusal: JSON.stringify(refusal) })
    .where('id', '=', answer.id)
    .where('refused_at', 'is', null)
    .execute();
  const moved = await trx
    .updateTable('rfis')
    .set((eb) => ({ status: 'refused', version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', answer.rfiId)
    .where('status', 'in', rfiStatusesBefore('refused'))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('rfi_answers as later')
            .select('later.id')
            .whereRef('later.rfi_id', '=', 'rfis.id')
            .where('later.version', '>', answer.version),
        ),
      ),
    )
    .returning('id')
    .executeTakeFirst();
  return moved !== undefined;
}

/** Marks an RFI answered, if its status lets it be; returns whether it moved. */
export async function markRfiAnswered(trx: Kysely<Database>, id: string, now: Date): Promise<boolean> {
  const moved = await trx
    .updateTable('rfis')
    .set((eb) => ({ status: 'answered', version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('status', 'in', rfiStatusesBefore('answered'))
    .returning('id')
    .executeTakeFirst();
  return moved !== undefined;
}

/**
 * Which RFIs to close: one, by a person on the desk; or, for the provider, every RFI of the
 * provider's on a case except the one it still reports.
 */
export type RfiClosing =
  | { closer: 'staff'; rfiId: string; origin: RfiOrigin }
  | { closer: 'provider'; applicationId: string; exceptProviderRfiId: string | null };

/**
 * The one way an RFI closes, whoever closes it: only from a status the lifecycle lets that
 * closer close it from. Returns the ids closed.
 */
export async function closeRfis(trx: Kysely<Database>, closing: RfiClosing, now: Date): Promise<string[]> {
  const origin = closing.closer === 'staff' ? closing.origin : 'provider';
  const from = rfiStatusesClosableBy(closing.closer, origin);
  if (from.length === 0) return [];
  let query = trx
    .updateTable('rfis')
    .set((eb) => ({ status: 'closed', closed_at: now, version: eb('version', '+', 1), updated_at: now }))
    .where('origin', '=', origin)
    .where('status', 'in', from);
  if (closing.closer === 'staff') query = query.where('id', '=', closing.rfiId);
  else {
    query = query.where('application_id', '=', closing.applicationId);
    if (closing.exceptProviderRfiId !== null) query = query.where('provider_rfi_id', '<>', closing.exceptProviderRfiId);
  }
  const closed = await query.returning('id').execute();
  return closed.map((r) => r.id);
}

/** A provider RFI without a due time of the provider's own is due this long after it was raised. */
export const providerRfiDueMs = 5 * 24 * 3600 * 1000;

/**
 * The provider's open RFI becomes the desk's (once, by the provider's id); any other of the
 * provider's RFIs the desk still has open or answered is over: the provider moved on (after
 * our answer, or without it), so it is closed.
 */
export async function syncProviderRfi(
  trx: Kysely<Database>,
  applicationId: string,
  rfi: ProviderSnapshot['rfi'],
  now: Date,
): Promise<void> {
  await closeRfis(trx, { closer: 'provider', applicationId, exceptProviderRfiId: rfi?.providerRfiId ?? null }, now);
  if (!rfi) return;
  await insertRfi(
    trx,
    {
      application_id: applicationId,
      origin: 'provider',
      provider_rfi_id: rfi.providerRfiId,
      title: rfi.title,
      due_at: rfi.dueAt ?? new Date(rfi.raisedAt.getTime() + providerRfiDueMs),
      assignee_id: null,
      raised_by: null,
      created_at: rfi.raisedAt,
    },
    rfi.items,
  );
}
