import type { ProviderAction } from '@desk/shared';
import { joinedStaffToSummary } from '../staff/staff.mapper.js';
import type { ProviderActionListRow } from './provider-action.repository.js';

export function actionRowToProviderAction(row: ProviderActionListRow): ProviderAction {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    gaveUp: row.gave_up,
    document: row.document_id && row.document_type ? { id: row.document_id, type: row.document_type } : null,
    rfiId: row.rfi_id,
    answerRefused: row.answer_refused_at !== null,
    requestedBy: joinedStaffToSummary({
      id: row.requester_id,
      name: row.requester_name,
      email: row.requester_email,
      role: row.requester_role,
    }),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}
