/**
 * Internal review outcomes — the desk's own judgement on a case (cleared, escalated,
 * recommend reject), with a reason code and a note. Four-eyes: once a case is escalated, only
 * a senior analyst other than the one who escalated it records the next outcome.
 */

import { can, type NewOutcome, type Outcome, type ReviewOutcome } from '@desk/shared';
import type { Kysely } from 'kysely';
import { lockApplication, touchApplication } from '../applications/application.repository.js';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { findLatestOutcome, findOutcomeRows, insertOutcome } from './outcome.repository.js';

export async function findOutcomes(db: Kysely<Database>, applicationId: string): Promise<Outcome[]> {
  const rows = await findOutcomeRows(db, applicationId);
  return rows.map((r) => ({
    id: r.id,
    outcome: r.outcome,
    reasonCode: r.reason_code,
    note: r.note,
    actor: { id: r.staff_id, name: r.name, email: r.email, role: r.role },
    createdAt: r.created_at.toISOString(),
  }));
}

/** Why `actor` may not record the next outcome after `latest`, or null when they may. */
function fourEyesRefusal(
  latest: { outcome: ReviewOutcome; actor_id: string } | undefined,
  actor: StaffActor,
): string | null {
  if (latest?.outcome !== 'escalated') return null;
  if (!can(actor.role, 'outcomes.review')) {
    return 'This case is escalated: a senior analyst records its next outcome';
  }
  if (latest.actor_id === actor.staffId) {
    return 'Four-eyes: you escalated this case, so a different senior analyst must resolve it';
  }
  return null;
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
    const latest = await findLatestOutcome(trx, applicationId);
    const refusal = fourEyesRefusal(latest, actor);
    if (refusal) throw new AppError('forbidden', refusal);
    const row = await insertOutcome(trx, {
      applicationId,
      outcome: input.outcome,
      reasonCode: input.reasonCode,
      note: input.note,
      actorId: actor.staffId,
    });
    await touchApplication(trx, app, new Date());
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
