/** Queries on provider actions, the desk's outbox toward providers. */
import type { Insertable, Kysely } from 'kysely';
import type { Database, ProviderActionTable } from '../db/schema.js';

function actionViewQuery(db: Kysely<Database>) {
  return db
    .selectFrom('provider_actions as p')
    .leftJoin('application_documents as d', 'd.id', 'p.document_id')
    .leftJoin('staff as s', 's.id', 'p.requested_by')
    .leftJoin('rfi_answers as ra', 'ra.id', 'p.rfi_answer_id')
    .select([
      'p.id',
      'p.application_id',
      'p.kind',
      'p.state',
      'p.attempts',
      'p.last_error',
      'p.gave_up',
      'p.created_at',
      'p.updated_at',
      'p.completed_at',
      'd.id as document_id',
      'd.type as document_type',
      'ra.rfi_id',
      's.id as requester_id',
      's.name as requester_name',
      's.email as requester_email',
      's.role as requester_role',
    ]);
}

export async function findActionsOf(db: Kysely<Database>, applicationId: string) {
  return actionViewQuery(db)
    .where('p.application_id', '=', applicationId)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .execute();
}
export type ProviderActionListRow = Awaited<ReturnType<typeof findActionsOf>>[number];

export async function findActionView(db: Kysely<Database>, id: string) {
  return actionViewQuery(db).where('p.id', '=', id).executeTakeFirstOrThrow();
}

export async function findActionById(db: Kysely<Database>, id: string) {
  return db.selectFrom('provider_actions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAction(db: Kysely<Database>, action: Insertable<ProviderActionTable>) {
  return db.insertInto('provider_actions').values(action).returningAll().executeTakeFirstOrThrow();
}

/** An action of this kind that is still on its way (queued, sending, or failed and retrying). */
export async function findOpenAction(db: Kysely<Database>, applicationId: string, kind: ProviderActionTable['kind']) {
  return db
    .selectFrom('provider_actions')
    .select(['id', 'state'])
    .where('application_id', '=', applicationId)
    .where('kind', '=', kind)
    .where((eb) =>
      eb.or([
        eb('state', 'in', ['queued', 'sending']),
        eb.and([eb('state', '=', 'failed'), eb('gave_up', '=', false)]),
      ]),
    )
    .executeTakeFirst();
}
