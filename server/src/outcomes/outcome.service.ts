/**
 * Internal review outcomes — the desk's own judgement on a case (cleared, escalated,
 * recommend reject), with a reason code and a note. Four-eyes: once a case is escalated, only
 * a senior analyst other than the one who escalated it records the next outcome.
 */

import { can, type NewOutcome, type Outcome } from '@desk/shared';
import type { Kysely } from 'kysely';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { lockApplication } from '../provider-actions/snapshot.js';

export async function findOutcomes(db: Kysely<Database>, applicationId: string): Promise<Outcome[]> {
  const rows = await db
    .selectFrom('application_outcomes as o')
    .innerJoin('staff as s', 's.id', 'o.actor_id')
    .select([
      'o.id',
      'o.outcome',
      'o.reason_code',
      'o.note',
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
  return rows.map((r) => ({
    id: r.id,
    outcome: r.outcome,
    reasonCode: r.reason_code,
    note: r.note,
    actor: { id: r.staff_id, name: r.name, email: r.email, role: r.role },
    createdAt: r.created_at.toISOString(),
  }));
}

export async function recordOutcome(
  db: Kysely<Database>,
  applicationId: string,
  input: NewOutcome,
  actor: StaffActor,
): Promise<Outcome> {
  const id = await db.transaction().execute(async (trx) => {
    const app = await lockApplication(trx, applicationId);
    if (!app) throw AppError.notFound('Application');
    if (app.version !== input.version) {
      throw new AppError(
        'stale_version',
        `The case changed since you loaded it (version ${app.version}, you sent ${input.version}); reload and try again`,
        {
          version: ['is stale'],
        },
      );
    }
    const latest = await trx
      .selectFrom('application_outcomes')
      .select(['outcome', 'actor_id'])
      .where('application_id', '=', applicationId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (latest?.outcome === 'escalated') {
      if (!can(actor.role, 'outcomes.review')) {
        throw new AppError('forbidden', 'This case is escalated: a senior analyst records its next outcome');
      }
      if (latest.actor_id === actor.staffId) {
        throw new AppError(
          'forbidden',
          'Four-eyes: you escalated this case, so a different senior analyst must resolve it',
        );
      }
    }
    const row = await trx
      .insertInto('application_outcomes')
      .values({
        application_id: applicationId,
        outcome: input.outcome,
        reason_code: input.reasonCode,
        note: input.note,
        actor_id: actor.staffId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('applications')
      .set({ version: app.version + 1, updated_at: new Date() })
      .where('id', '=', applicationId)
      .execute();
    await recordAudit(trx, actor, {
      action: 'application.outcome_recorded',
      entityId: applicationId,
      applicationId,
      data: {
        outcome: input.outcome,
        reasonCode: input.reasonCode,
        note: input.note,
        resolvesEscalation: latest?.outcome === 'escalated',
      },
    });
    return row.id;
  });
  const outcome = (await findOutcomes(db, applicationId)).find((o) => o.id === id);
  if (!outcome) throw new Error('recorded outcome not found');
  return outcome;
}
