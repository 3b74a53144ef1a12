/**
 * Reading the audit trail: the whole trail filtered and keyset-paged by id, and one case's
 * events oldest first.
 */

import type { ApplicationAuditEventsQuery, AuditEventList, AuditEventListQuery } from '@desk/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { caseScope, decodeAuditCursor, encodeAuditCursor, trailScope } from './audit-cursor.js';
import { auditRowToEvent } from './audit-event.mapper.js';
import { type AuditEventFilter, type AuditEventRow, findAuditEventPage } from './audit-event.repository.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `actor`: a staff id matches who acted; anything else is an actor label, matched exactly. */
function actorFilter(actor: string | undefined): Pick<AuditEventFilter, 'actorId' | 'actorLabel'> {
  if (actor === undefined) return {};
  return uuidPattern.test(actor) ? { actorId: actor.toLowerCase() } : { actorLabel: actor };
}

/** `action`: exact, or a prefix when it ends in `.` (`auth.`) or `*` (`auth.*`). */
function actionFilter(action: string | undefined): Pick<AuditEventFilter, 'action' | 'actionPrefix'> {
  if (action === undefined) return {};
  if (action.endsWith('*')) return { actionPrefix: action.slice(0, -1) };
  if (action.endsWith('.')) return { actionPrefix: action };
  return { action };
}

function pageOf(rows: AuditEventRow[], limit: number, cursorOf: (last: AuditEventRow) => string): AuditEventList {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { data: page.map(auditRowToEvent), nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

export async function listAuditEvents(db: Kysely<Database>, query: AuditEventListQuery): Promise<AuditEventList> {
  const scope = trailScope(query.order);
  const after = query.cursor ? decodeAuditCursor(query.cursor, scope) : null;
  const filter: AuditEventFilter = {
    ...actorFilter(query.actor),
    ...actionFilter(query.action),
    ...(query.entityType !== undefined ? { entityType: query.entityType } : {}),
    ...(query.entityId !== undefined ? { entityId: query.entityId } : {}),
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
  };
  // One row more than asked tells whether another page exists without counting.
  const rows = await findAuditEventPage(db, filter, { order: query.order, limit: query.limit + 1, after });
  return pageOf(rows, query.limit, (last) => encodeAuditCursor(scope, last.id));
}

export async function assertApplicationExists(db: Kysely<Database>, applicationId: string): Promise<void> {
  const row = await db.selectFrom('applications').select('id').where('id', '=', applicationId).executeTakeFirst();
  if (!row) throw AppError.notFound('Application');
}

export async function listCaseAuditEvents(
  db: Kysely<Database>,
  applicationId: string,
  query: ApplicationAuditEventsQuery,
): Promise<AuditEventList> {
  const scope = caseScope(applicationId);
  const after = query.cursor ? decodeAuditCursor(query.cursor, scope) : null;
  await assertApplicationExists(db, applicationId);
  const rows = await findAuditEventPage(db, { applicationId }, { order: 'asc', limit: query.limit + 1, after });
  return pageOf(rows, query.limit, (last) => encodeAuditCursor(scope, last.id));
}
