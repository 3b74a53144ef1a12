/**
 * Rows to API types. Row types never leave the server; these functions are the only way out.
 */
import {
  type ApplicationDetail,
  type ApplicationDocument,
  type ApplicationSummary,
  type CaseActions,
  type DocumentFlags,
  documentChecklist,
  isOverdueRfi,
  type Note,
  type Outcome,
  type Provider,
  type ProviderAction,
  type StatusChange,
  slaDueAt,
  slaStateOf,
} from '@desk/shared';
import { joinedStaffToSummary } from '../staff/staff.mapper.js';
import type { ApplicantRow, CaseRfiRow, DocumentRow, HistoryRow } from './application.repository.js';
import type { ApplicationSummaryRow } from './queue.query.js';

/**
 * The identification number as every response shows it: not even the last four (the desk
 * keeps only a keyed hash of those). The clear value takes a reveal, with a reason.
 */
export const maskedIdentificationNumber = '•••-••-••••';

function flagsOf(row: ApplicationSummaryRow): DocumentFlags {
  return {
    idVerification: row.flag_id_verification,
    identificationNumberVerification: row.flag_identification_number_verification,
    addressVerification: row.flag_address_verification,
  };
}

function slaOf(row: ApplicationSummaryRow, now: Date): ApplicationSummary['sla'] {
  const due = slaDueAt(row.stage, row.stage_entered_at);
  const state = slaStateOf(row.stage, row.stage_entered_at, now);
  return due && state ? { dueAt: due.toISOString(), state } : null;
}

export function applicationRowToSummary(row: ApplicationSummaryRow, now = new Date()): ApplicationSummary {
  return {
    id: row.id,
    provider: row.provider,
    providerApplicationId: row.provider_application_id,
    providerStatus: row.provider_status,
    stage: row.stage,
    flags: flagsOf(row),
    applicant: { customerId: row.customer_id, name: `${row.first_name} ${row.last_name}`, email: row.email },
    assignee: joinedStaffToSummary({
      id: row.assignee_id,
      name: row.assignee_name,
      email: row.assignee_email,
      role: row.assignee_role,
    }),
    stageEnteredAt: row.stage_entered_at.toISOString(),
    sla: slaOf(row, now),
    agreementVersion: row.agreement_version,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function documentRowToDocument(row: DocumentRow): ApplicationDocument {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    fileName: row.file_name,
    // A file the desk holds but the provider has not acknowledged yet.
    atProvider: !(row.status === 'PENDING_UPLOAD' && row.sha256 !== null && row.provider_document_id === null),
    uploadedBy: joinedStaffToSummary({
      id: row.uploader_id,
      name: row.uploader_name,
      email: row.uploader_email,
      role: row.uploader_role,
    }),
    uploadedAt: row.uploaded_at?.toISOString() ?? null,
    viewable: row.viewable,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function historyRowToStatusChange(row: HistoryRow): StatusChange {
  return {
    id: row.id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    fromStage: row.from_stage,
    toStage: row.to_stage,
    at: row.at.toISOString(),
    source: row.source,
    actor: joinedStaffToSummary({
      id: row.actor_id,
      name: row.actor_name,
      email: row.actor_email,
      role: row.actor_role,
    }),
    reason: row.reason,
  };
}

/** For each flag of the provider's document rules, whether it is raised and how far the documents meet its requirements. */
export function checklistOf(
  provider: Provider,
  flags: DocumentFlags,
  documents: readonly DocumentRow[],
): ApplicationDetail['checklist'] {
  return documentChecklist(
    provider,
    flags,
    documents.map((row) => {
      const { type, status, atProvider } = documentRowToDocument(row);
      return { type, status, awaitingDelivery: !atProvider };
    }),
  );
}

/** An RFI as the case (and its audit report) lists it; `now` decides whether it is overdue. */
export function caseRfiRowToCaseRfi(row: CaseRfiRow, now: Date): ApplicationDetail['rfis'][number] {
  return {
    id: row.id,
    origin: row.origin,
    status: row.status,
    title: row.title,
    dueAt: row.due_at.toISOString(),
    overdue: isOverdueRfi({ status: row.status, dueAt: row.due_at }, now),
    createdAt: row.created_at.toISOString(),
    answeredAt: row.answered_at ? new Date(row.answered_at).toISOString() : null,
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

export type ApplicationDetailParts = {
  summary: ApplicationSummaryRow;
  providerActions: ProviderAction[];
  actions: CaseActions;
  applicant: ApplicantRow;
  consent: { versionReleasedAt: Date | null; latestVersionAtConsent: string | null };
  documents: DocumentRow[];
  history: HistoryRow[];
  providerRequirements: string[];
  rfis: CaseRfiRow[];
  outcomes: Outcome[];
  notes: Note[];
  now: Date;
};

export function applicationDetailOf(parts: ApplicationDetailParts): ApplicationDetail {
  const {
    summary,
    applicant,
    consent,
    documents,
    history,
    providerActions,
    actions,
    providerRequirements,
    rfis,
    outcomes,
    notes,
    now,
  } = parts;
  const { applicant: _listApplicant, ...base } = applicationRowToSummary(summary, now);
  const flags = flagsOf(summary);
  return {
    ...base,
    providerCustomerId: summary.provider_customer_id,
    applicant: {
      customerId: applicant.id,
      firstName: applicant.first_name,
      lastName: applicant.last_name,
      email: applicant.email,
      phone: applicant.phone,
      dateOfBirth: applicant.date_of_birth,
      address: {
        street: applicant.street,
        city: applicant.city,
        postalCode: applicant.postal_code,
        state: applicant.state,
        country: applicant.country,
      },
      identificationNumberMasked: maskedIdentificationNumber,
    },
    consent: {
      agreementVersion: summary.agreement_version,
      consentedAt: summary.consented_at.toISOString(),
      versionReleasedAt: consent.versionReleasedAt?.toISOString() ?? null,
      latestVersionAtConsent: consent.latestVersionAtConsent,
      wasLatestAtConsent: consent.latestVersionAtConsent === summary.agreement_version,
    },
    checklist: checklistOf(summary.provider, flags, documents),
    documents: documents.map(documentRowToDocument),
    statusHistory: history.map(historyRowToStatusChange),
    providerActions,
    providerRequirements,
    rfis: rfis.map((r) => caseRfiRowToCaseRfi(r, now)),
    actions,
    outcomes,
    notes,
  };
}
