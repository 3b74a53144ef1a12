/**
 * Writing the audit trail. Every change the desk makes records who did it in the same
 * transaction as the change; the database chains each row to the one before it in its lane
 * (see the `audit_events_chain` trigger), so the writer only says what happened.
 *
 * Rule: record the event as the last write of its transaction. The lane's lock is held to
 * commit; taking it last keeps it short and never waits on a row lock while holding it.
 */

import { type AuditAction, type AuditData, auditCatalogue, type Provider, type StaffRole } from '@desk/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Who acted: a signed-in staff member, the desk itself, or a provider (webhooks). */
export type Actor =
  | { kind: 'staff'; staffId: string; email: string; role: StaffRole; ip: string | null }
  | { kind: 'system' }
  | { kind: 'provider'; provider: Provider }
  /** Someone not signed in (a failed sign-in). */
  | { kind: 'anonymous'; ip: string | null };

export type StaffActor = Extract<Actor, { kind: 'staff' }>;

/**
 * One event: an action of the catalogue (`@desk/shared`'s `auditCatalogue`, which also names
 * the entity type it is about) with data of that action's shape. Data may be left out only
 * where the action records none.
 */
export type AuditEntry<A extends AuditAction = AuditAction> = {
  action: A;
  entityId?: string | null;
  applicationId?: string | null;
} & (Record<string, never> extends AuditData<A> ? { data?: AuditData<A> } : { data: AuditData<A> });

export function actorLabel(actor: Actor): string {
  if (actor.kind === 'staff') return actor.email;
  if (actor.kind === 'provider') return `provider:${actor.provider}`;
  return actor.kind;
}

/** The staff id of an actor, for the "requested by" columns (null when not a person). */
export function staffIdOf(actor: Actor): string | null {
  return actor.kind === 'staff' ? actor.staffId : null;
}

/** The columns a writer supplies for an audit row (the database adds id, time and hashes). */
export function auditRowOf<A extends AuditAction>(actor: Actor, entry: AuditEntry<A>) {
  return {
    actor_id: actor.kind === 'staff' ? actor.staffId : null,
    actor: actorLabel(actor),
    action: entry.action,
    entity_type: auditCatalogue[entry.action].entityType,
    entity_id: entry.entityId ?? null,
    application_id: entry.applicationId ?? null,
    ip: actor.kind === 'staff' || actor.kind === 'anonymous' ? actor.ip : null,
    data: JSON.stringify(entry.data ?? {}),
  };
}

export async function recordAudit<A extends AuditAction>(
  db: Kysely<Database>,
  actor: Actor,
  entry: AuditEntry<A>,
): Promise<void> {
  await db.insertInto('audit_events').values(auditRowOf(actor, entry)).execute();
}
