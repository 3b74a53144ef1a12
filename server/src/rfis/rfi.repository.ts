/** The only place with queries on RFIs, their items and answers. */

import type { Provider, RfiStatus } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

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
      'x.text',
      'x.field_values',
      'x.answered_at',
      's.id as answerer_id',
      's.name as answerer_name',
      's.email as answerer_email',
      's.role as answerer_role',
    ])
    .where('x.rfi_id', 'in', rfiIds)
    .orderBy('x.answered_at')
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

/** Locks the RFI for a change of status. */
export async function lockRfi(trx: Kysely<Database>, id: string) {
  return trx.selectFrom('rfis').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
