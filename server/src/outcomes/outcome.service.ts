/**
 * Internal review outcomes — the desk's own judgement on a case (cleared, escalated,
 * recommend reject), with a reason code and a note. Four-eyes: once a case is escalated, only
 * a senior analyst other than the one who escalated it records the next outcome. An outcome
 * that says the case is settled (`outcomeNeedsSettledCase`) is refused while anything on the
 * case is still open, unless the request overrides it with a reason (kept and audited).
 */

import {
  can,
  type NewOutcome,
  type OpenReviewItem,
  type Outcome,
  openReviewItems,
  openReviewItemsByKind,
  outcomeNeedsSettledCase,
  type ReviewOutcome,
  reviewOutcomeLabels,
} from '@desk/shared';
import type { Kysely } from 'kysely';
import { applicationRowToSummary } from '../applications/application.mapper.js';
import {
  findCaseRfis,
  findDocuments,
  lockApplication,
  touchApplication,
} from '../applications/application.repository.js';
import { findApplicationSummary } from '../applications/queue.query.js';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { actionRowToProviderAction } from '../provider-actions/provider-action.mapper.js';
import { findActionsOf } from '../provider-actions/provider-action.repository.js';
import { findLatestOutcome, findOutcomeRows, insertOutcome } from './outcome.repository.js';

export async function findOutcomes(db: Kysely<Database>, applicationId: string): Promise<Outcome[]> {
  const rows = await findOutcomeRows(db, applicationId);
  return rows.map((r) => ({
    id: r.id,
    outcome: r.outcome,
    reasonCode: r.reason_code,
    note: r.note,
    overrideReason: r.override_reason,
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

/** What is still open on the case, read inside the transaction that holds its lock. */
async function openItemsOf(trx: Kysely<Database>, applicationId: string): Promise<OpenReviewItem[]> {
  const summary = await findApplicationSummary(trx, applicationId);
  if (!summary) throw AppError.notFound('Application');
  const documents = await findDocuments(trx, applicationId);
  const rfis = await findCaseRfis(trx, applicationId);
  const actions = await findActionsOf(trx, applicationId);
  return openReviewItems({
    flags: applicationRowToSummary(summary).flags,
    documents,
    rfis,
    providerActions: actions.map(actionRowToProviderAction),
  });
}

/** 409: the outcome says the case is settled, the case is not, and nobody said why to record it anyway. */
function openItemsConflict(outcome: ReviewOutcome, open: readonly OpenReviewItem[]): AppError {
  return new AppError(
    'conflict',
    `The case still has open items: ${open.map((item) => item.label).join('; ')}. ` +
      `“${reviewOutcomeLabels[outcome]}” says the case is settled: send override.reason to record it anyway`,
    Object.fromEntries(openReviewItemsByKind(open).map(([kind, labels]) => [`openItems.${kind}`, labels])),
  );
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
    const open = outcomeNeedsSettledCase[input.outcome] ? await openItemsOf(trx, applicationId) : [];
    if (open.length > 0 && input.override === undefined) throw openItemsConflict(input.outcome, open);
    const overrideReason = input.override?.reason ?? null;
    const row = await insertOutcome(trx, {
      applicationId,
      outcome: input.outcome,
      reasonCode: input.reasonCode,
      note: input.note,
      overrideReason,
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
        ...(overrideReason === null
          ? {}
          : { override: { reason: overrideReason, openItems: open.map((item) => item.label) } }),
      },
    });
    return row.id;
  });
  const outcome = (await findOutcomes(db, applicationId)).find((o) => o.id === id);
  if (!outcome) throw new Error('recorded outcome not found');
  return outcome;
}
