import { isOverdueRfi, type Rfi } from '@desk/shared';
import { isViewableContentType } from '../documents/document-content-policy.js';
import { joinedStaffToSummary } from '../staff/staff.mapper.js';
import type { RfiAnswerRows, RfiItemRow, RfiRow } from './rfi.repository.js';

export function rfiRowToRfi(row: RfiRow, items: RfiItemRow[], answers: RfiAnswerRows, now: Date): Rfi {
  const own = answers.answers.filter((a) => a.rfi_id === row.id);
  return {
    id: row.id,
    applicationId: row.application_id,
    provider: row.provider,
    applicantName: `${row.first_name} ${row.last_name}`,
    origin: row.origin,
    providerRfiId: row.provider_rfi_id,
    status: row.status,
    title: row.title,
    dueAt: row.due_at.toISOString(),
    overdue: isOverdueRfi({ status: row.status, dueAt: row.due_at }, now),
    assignee: joinedStaffToSummary({
      id: row.assignee_id,
      name: row.assignee_name,
      email: row.assignee_email,
      role: row.assignee_role,
    }),
    raisedBy: joinedStaffToSummary({
      id: row.raiser_id,
      name: row.raiser_name,
      email: row.raiser_email,
      role: row.raiser_role,
    }),
    items: items
      .filter((i) => i.rfi_id === row.id)
      .map((i) => ({
        id: i.id,
        kind: i.kind,
        key: i.key,
        label: i.label,
        section: i.section,
        reason: i.reason,
        note: i.note,
        format: i.format,
      })),
    answers: own.map((a) => ({
      id: a.id,
      version: a.version,
      text: a.text,
      fieldValues: a.field_values,
      documents: answers.documents
        .filter((d) => d.answer_id === a.id)
        .map((d) => ({
          id: d.id,
          itemKey: d.item_key,
          fileName: d.file_name,
          contentType: d.content_type,
          sizeBytes: d.size_bytes,
          sha256: d.sha256,
          viewable: isViewableContentType(d.content_type),
        })),
      answeredBy: joinedStaffToSummary({
        id: a.answerer_id,
        name: a.answerer_name,
        email: a.answerer_email,
        role: a.answerer_role,
      }),
      answeredAt: a.answered_at.toISOString(),
      refusedAt: a.refused_at?.toISOString() ?? null,
      refusal: a.refusal,
    })),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}
