/** The only place with queries reading the audit trail. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type AuditEventFilter = {
  actorId?: string;
  actorLabel?: string;
  action?: string;
  /** Matches every action starting with it. */
  actionPrefix?: string;
  entityType?: string;
  entityId?: string;
  applicationId?: string;
  from?: Date;
  to?: Date;
};

const columns = [
  'id',
  'at',
  'actor_id',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'application_id',
  'ip',
  'data',
  'lane',
  'prev_hash',
  'hash',
] as const;

/** `LIKE` takes `%`, `_` and the escape character literally only when escaped. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/**
 * One page in id order (the trail's order). Each filter is a column some index leads with
 * (entity, application, actor, action, at), and the keyset is the id that ends those indexes.
 */
export async function findAuditEventPage(
  db: Kysely<Database>,
  filter: AuditEventFilter,
  page: { order: 'asc' | 'desc'; limit: number; after: number | null },
) {
  let query = db.selectFrom('audit_events').select(columns);
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.actorLabel !== undefined) query = query.where('actor', '=', filter.actorLabel);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.actionPrefix !== undefined) query = query.where('action', 'like', likePrefix(filter.actionPrefix));
  if (filter.entityType !== undefined) query = query.where('entity_type', '=', filter.entityType);
  if (filter.entityId !== undefined) query = query.where('entity_id', '=', filter.entityId);
  if (filter.applicationId !== undefined) query = query.where('application_id', '=', filter.applicationId);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  if (page.after !== null) query = query.where('id', page.order === 'asc' ? '>' : '<', page.after);
  return query.orderBy('id', page.order).limit(page.limit).execute();
}
export type AuditEventRow = Awaited<ReturnType<typeof findAuditEventPage>>[number];

/** Every event of one case, oldest first. */
export async function findAllCaseEvents(db: Kysely<Database>, applicationId: string): Promise<AuditEventRow[]> {
  return db
    .selectFrom('audit_events')
    .select(columns)
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
}
