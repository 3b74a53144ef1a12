/**
 * Provider actions, the desk's outbox toward providers: the only module that writes
 * `provider_actions`. Every change of state is a move of the shared lifecycle
 * (`@desk/shared`, lifecycles/provider-actions.ts), made only from a phase the lifecycle
 * allows it from.
 */
import {
  type ProviderActionKind,
  type ProviderActionPhase,
  type ProviderActionState,
  pendingProviderActionPhases,
  providerActionPhasesBefore,
  providerActionStatesSplitByGaveUp,
  storedProviderAction,
} from '@desk/shared';
import type { Expression, ExpressionBuilder, Insertable, Kysely, SqlBool } from 'kysely';
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
      'ra.refused_at as answer_refused_at',
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

/** The action, its row locked until the transaction ends. */
export async function lockAction(trx: Kysely<Database>, id: string) {
  return trx.selectFrom('provider_actions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A new action, queued: its delivery job is enqueued by the caller in the same transaction. */
export async function insertAction(
  db: Kysely<Database>,
  action: Omit<Insertable<ProviderActionTable>, 'state' | 'gave_up'>,
) {
  const { state, gaveUp } = storedProviderAction('queued');
  return db
    .insertInto('provider_actions')
    .values({ ...action, state, gave_up: gaveUp })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The phases as conditions on the stored columns: the state, and `gave_up` only where it tells
 * phases apart (null: any). Shared by every table that stores this lifecycle (actions, intakes).
 */
export function storedPhaseConditions(
  phases: readonly ProviderActionPhase[],
): { state: ProviderActionState; gaveUp: boolean | null }[] {
  return phases.map((phase) => {
    const stored = storedProviderAction(phase);
    return {
      state: stored.state,
      gaveUp: providerActionStatesSplitByGaveUp.includes(stored.state) ? stored.gaveUp : null,
    };
  });
}

function inPhases(
  eb: ExpressionBuilder<Database, 'provider_actions'>,
  phases: readonly ProviderActionPhase[],
): Expression<SqlBool> {
  return eb.or(
    storedPhaseConditions(phases).map(({ state, gaveUp }) =>
      gaveUp === null ? eb('state', '=', state) : eb.and([eb('state', '=', state), eb('gave_up', '=', gaveUp)]),
    ),
  );
}

/** The kinds of the application's actions that are still pending (the worker has more to do). */
export async function findPendingActionKinds(
  db: Kysely<Database>,
  applicationId: string,
): Promise<ProviderActionKind[]> {
  const rows = await db
    .selectFrom('provider_actions')
    .select('kind')
    .distinct()
    .where('application_id', '=', applicationId)
    .where((eb) => inPhases(eb, pendingProviderActionPhases))
    .execute();
  return rows.map((row) => row.kind);
}

/**
 * Moves an action to `to`, if it is in a phase the lifecycle allows that move from; returns
 * whether it moved. `attempt` counts a delivery attempt; `error` is what went wrong (a failure
 * phase), and reaching `done` clears it.
 */
export async function moveAction(
  db: Kysely<Database>,
  id: string,
  to: ProviderActionPhase,
  details: { now: Date; attempt?: boolean; error?: string },
): Promise<boolean> {
  const { state, gaveUp } = storedProviderAction(to);
  const result = await db
    .updateTable('provider_actions')
    .set((eb) => ({
      state,
      gave_up: gaveUp,
      ...(details.attempt ? { attempts: eb('attempts', '+', 1) } : {}),
      ...(details.error !== undefined ? { last_error: details.error } : {}),
      ...(to === 'done' ? { last_error: null, completed_at: details.now } : {}),
      version: eb('version', '+', 1),
      updated_at: details.now,
    }))
    .where('id', '=', id)
    .where((eb) => inPhases(eb, providerActionPhasesBefore(to)))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
