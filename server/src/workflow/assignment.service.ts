/**
 * Who works a case. Claiming takes an unheld case for oneself; releasing gives it back; a
 * senior analyst assigns (and, explicitly, reassigns). "Next case" claims the oldest workable
 * unheld case in one statement that skips rows another transaction has locked, so two
 * analysts asking at once never get the same case. Every change is audited.
 */

import { type AssignRequest, can, type NextCaseRequest, workableStages } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import { type ApplicationSummaryRow, summarySelectList } from '../applications/application.repository.js';
import { auditRowOf, recordAudit, type StaffActor } from '../audit/audit-log.js';
import { preparedMarker } from '../db/database.js';
import type { ApplicationRow, Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { lockApplication } from '../provider-actions/snapshot.js';

async function lockOpenCase(trx: Kysely<Database>, id: string): Promise<ApplicationRow> {
  const app = await lockApplication(trx, id);
  if (!app) throw AppError.notFound('Application');
  if (app.stage === 'approved' || app.stage === 'rejected') {
    throw new AppError('conflict', `The case is ${app.stage}; there is nothing left to work on it`);
  }
  return app;
}

async function holderName(trx: Kysely<Database>, staffId: string): Promise<string> {
  const row = await trx.selectFrom('staff').select('name').where('id', '=', staffId).executeTakeFirst();
  return row?.name ?? 'someone else';
}

async function setAssignee(trx: Kysely<Database>, app: ApplicationRow, assigneeId: string | null): Promise<void> {
  const now = new Date();
  await trx
    .updateTable('applications')
    .set({ assignee_id: assigneeId, claimed_at: assigneeId ? now : null, version: app.version + 1, updated_at: now })
    .where('id', '=', app.id)
    .execute();
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
    await setAssignee(trx, app, actor.staffId);
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
    await setAssignee(trx, app, null);
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
      const assignee = await trx
        .selectFrom('staff')
        .select(['role', 'active'])
        .where('id', '=', input.assigneeId)
        .executeTakeFirst();
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
    await setAssignee(trx, app, input.assigneeId);
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
  for (let attempt = 0; attempt < 10; attempt++) {
    // One statement, one round trip: pick (skipping rows others hold), claim, audit — the audit
    // row is written by the same statement, so the claim never exists without it — and read the
    // claimed row (as updated: RETURNING) with its customer and new assignee for the queue row.
    // SQL text, prepared once per connection: it runs at every "next", where building it through
    // the query builder and planning it cost more than executing it. Stages and provider are
    // literals from closed sets (the shape stays fixed, and the plan can use the partial index
    // of workable unheld cases).
    const audit = auditRowOf(actor, { action: 'application.claimed', data: { via: 'next', ...query } });
    const pick = sql`
      SELECT id FROM applications
      WHERE assignee_id IS NULL AND stage IN (${sql.join(stages.map((stage) => sql.lit(stage)))})${query.provider ? sql` AND provider = ${sql.lit(query.provider)}` : sql``}
      ORDER BY created_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED`;
    const { rows } = await sql<ApplicationSummaryRow>`${sql.raw(preparedMarker)}
      WITH candidate AS (${pick}),
      claimed AS (
        UPDATE applications
        SET assignee_id = ${actor.staffId}, claimed_at = now(), version = version + 1, updated_at = now()
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
    const claimedRow = rows[0];
    if (claimedRow) return claimedRow;
    let waiting = db
      .selectFrom('applications')
      .select('id')
      .where('assignee_id', 'is', null)
      .where('stage', 'in', stages)
      .limit(1);
    if (query.provider) waiting = waiting.where('provider', '=', query.provider);
    if (!(await waiting.executeTakeFirst())) return null;
  }
  return null;
}
