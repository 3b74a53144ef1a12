import type { AuditEvent } from '@desk/shared';
import type { AuditEventRow } from './audit-event.repository.js';

export function auditRowToEvent(row: AuditEventRow): AuditEvent {
  return {
    id: String(row.id),
    lane: row.lane,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    applicationId: row.application_id,
    ip: row.ip,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
