/**
 * Who works a case. Claiming takes an unheld case for oneself; releasing gives it back; a
 * senior analyst assigns (and, explicitly, reassigns). "Next case" claims the oldest workable
 * unheld case in one statement that skips rows another transaction has locked, so two
 * analysts asking at once never get the same case. Every change is audited.
 */

import { type AssignRequest, can, isOpenCase, type NextCaseRequest, workableStages } from '@desk/shared';
import type { Kysely } from 'kysely';
import {
  claimOldestUnheld,
  hasUnheldCase,
  lockApplication,
  setAssignee,
} from '../applications/application.repository.js';
import type { ApplicationSummaryRow } from '../applications/queue.query.js';
import { auditRowOf, recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { ApplicationRow, Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { findStaffName, findStaffStanding } from '../staff/staff.repository.js';

async function lockOpenCase(trx: Kysely<Database>, id: string): Promise<ApplicationRow> {
  const app = await lockApplication(trx, id);
  if (!app) throw AppError.notFound('Application');
  if (!isOpenCase(app.stage)) {
    throw new AppError('conflict', `The case is ${app.stage}; there is nothing left to work on it`);
  }
  return app;
}

async function holderName(trx: Kysely<Database>, staffId: string): Promise<string> {
  return (await findStaffName(trx, staffId)) ?? 'someone else';
}

export async function claimCase(db: Kysely<Database>, id: string, actor: StaffActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const app = await lockOpenCase(trx, id);
    if (app.assignee_id === actor.staffId) return;
    if (app.assignee_id) {
      throw new AppError(
        'conflict',
        `${await holderName(trx, app.assignee_id)} is working this case; ask them or a senior analyst to release it`,
      );
    }
    await setAssignee(trx, app, actor.staffId, new Date());
    await recordAudit(trx, actor, { action: 'application.claimed', entityId: id, applicationId: id });
  });
}

export async function releaseCase(db: Kysely<Database>, id: string, actor: StaffActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const app = await lockApplication(trx, id);
    if (!app) throw AppError.notFound('Application');
    if (app.assignee_id === null) return;
    if (app.assignee_id !== actor.staffId && !can(actor.role, 'applications.assign')) {
      throw new AppError(
        'conflict',
        `${await holderName(trx, app.assignee_id)} is working this case; only they or a senior analyst can release it`,
      );
    }
    await setAssignee(trx, app, null, new Date());
    await recordAudit(trx, actor, {
      action: 'application.released',
      entityId: id,
      applicationId: id,
      data: { heldBy: app.assignee_id },
    });
  });
}

export async function assignCase(
  db: Kysely<Database>,
  id: string,
  input: AssignRequest,
  actor: StaffActor,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const app = await lockOpenCase(trx, id);
    if (input.assigneeId !== null) {
      const assignee = await findStaffStanding(trx, input.assigneeId);
      if (!assignee?.active) {
        throw new AppError('validation_failed', 'Invalid body: assigneeId', {
          assigneeId: ['is not an active staff member'],
        });
      }
      if (!can(assignee.role, 'applications.work')) {
        throw new AppError('validation_failed', 'Invalid body: assigneeId', {
          assigneeId: [`is a ${assignee.role}, who cannot work cases`],
        });
      }
    }
    if (app.assignee_id === input.assigneeId) return;
    if (app.assignee_id && app.assignee_id !== actor.staffId && !input.reassign) {
      throw new AppError(
        'conflict',
        `${await holderName(trx, app.assignee_id)} is working this case; send reassign: true to take it from them`,
      );
    }
    await setAssignee(trx, app, input.assigneeId, new Date());
    await recordAudit(trx, actor, {
      action: 'application.assigned',
      entityId: id,
      applicationId: id,
      data: { from: app.assignee_id, to: input.assigneeId },
    });
  });
}

/**
 * Claims the oldest workable case nobody holds and returns its queue row; null when there is
 * none. A candidate another analyst claimed a moment ago is skipped (their transaction holds its
 * lock, or the re-check after it committed drops it); if that leaves the pick empty while cases
 * remain, pick again.
 */
export async function claimNextCase(
  db: Kysely<Database>,
  query: NextCaseRequest,
  actor: StaffActor,
): Promise<ApplicationSummaryRow | null> {
  const stages = query.stage ? workableStages.filter((s) => s === query.stage) : [...workableStages];
  if (stages.length === 0) return null;
  const pick = { stages, provider: query.provider };
  // The claim and its audit row are one statement (see `claimOldestUnheld`).
  const audit = auditRowOf(actor, { action: 'application.claimed', data: { via: 'next', ...query } });
  for (let attempt = 0; attempt < 10; attempt++) {
    const claimed = await claimOldestUnheld(db, pick, actor.staffId, audit);
    if (claimed) return claimed;
    if (!(await hasUnheldCase(db, pick))) return null;
  }
  return null;
}
