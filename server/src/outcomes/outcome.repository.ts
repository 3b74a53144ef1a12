/** Review outcomes: the only module that writes `application_outcomes` (append-only). */
import type { ReviewOutcome } from '@desk/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** The case's outcomes, newest first, with who recorded each. */
export async function findOutcomeRows(db: Kysely<Database>, applicationId: string) {
  return db
    .selectFrom('application_outcomes as o')
    .innerJoin('staff as s', 's.id', 'o.actor_id')
    .select([
      'o.id',
      'o.outcome',
      'o.reason_code',
      'o.note',
      'o.override_reason',
      'o.created_at',
      's.id as staff_id',
      's.name',
      's.email',
      's.role',
    ])
    .where('o.application_id', '=', applicationId)
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .execute();
}
export type OutcomeRow = Awaited<ReturnType<typeof findOutcomeRows>>[number];

export async function findLatestOutcome(db: Kysely<Database>, applicationId: string) {
  return db
    .selectFrom('application_outcomes')
    .select(['outcome', 'actor_id'])
    .where('application_id', '=', applicationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function insertOutcome(
  trx: Kysely<Database>,
  outcome: {
    applicationId: string;
    outcome: ReviewOutcome;
    reasonCode: string;
    note: string;
    overrideReason: string | null;
    actorId: string;
  },
): Promise<{ id: string }> {
  return trx
    .insertInto('application_outcomes')
    .values({
      application_id: outcome.applicationId,
      outcome: outcome.outcome,
      reason_code: outcome.reasonCode,
      note: outcome.note,
      override_reason: outcome.overrideReason,
      actor_id: outcome.actorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}
