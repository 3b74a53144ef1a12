/**
 * Sandbox rows → Jiko's wire shapes. The identification number only ever leaves as its last
 * four digits; timestamps are ISO 8601 in UTC.
 */
import type { DocumentFlags, DocumentStatus, DocumentType, JikoStatus } from '@desk/shared';
import type { ApplicationPatch } from './application.repository.js';
import type {
  JikoAddress,
  JikoAgreementDocument,
  JikoInvestmentProfile,
  SandboxAgreementRow,
  SandboxApplicationRow,
  SandboxDocumentRow,
} from './sandbox.tables.js';
import type { JikoWebhookEventData } from './webhook-events.js';

export type JikoApplication = {
  id: string;
  status: JikoStatus;
  customer_id: string | null;
  id_verification_documents_needed: boolean;
  identification_number_verification_document_needed: boolean;
  address_verification_document_needed: boolean;
  documents: { id: string; document_type: DocumentType; status: DocumentStatus }[];
  name: { first_name: string; last_name: string };
  email: string;
  phone_number: string;
  date_of_birth: string;
  address: JikoAddress;
  investment_profile: JikoInvestmentProfile;
  agreement_consent: { version: string; timestamp: string };
  identification_number: string;
  created_at: string;
  updated_at: string;
};

export type JikoAgreement = { version: string; release_date: string; documents: JikoAgreementDocument[] };

/** "123456789" → "*****6789". */
export function maskIdentificationNumber(value: string): string {
  return `${'*'.repeat(Math.max(value.length - 4, 0))}${value.slice(-4)}`;
}

export function rowFlags(row: SandboxApplicationRow): DocumentFlags {
  return {
    idVerification: row.flag_id_verification,
    identificationNumberVerification: row.flag_identification_number_verification,
    addressVerification: row.flag_address_verification,
  };
}

export function flagColumns(flags: DocumentFlags): ApplicationPatch {
  return {
    flag_id_verification: flags.idVerification,
    flag_identification_number_verification: flags.identificationNumberVerification,
    flag_address_verification: flags.addressVerification,
  };
}

export function applicationRowToJiko(
  row: SandboxApplicationRow,
  documents: readonly SandboxDocumentRow[],
): JikoApplication {
  return {
    id: row.id,
    status: row.status,
    customer_id: row.customer_id,
    id_verification_documents_needed: row.flag_id_verification,
    identification_number_verification_document_needed: row.flag_identification_number_verification,
    address_verification_document_needed: row.flag_address_verification,
    documents: documents.map((d) => ({ id: d.id, document_type: d.document_type, status: d.status })),
    name: { first_name: row.first_name, last_name: row.last_name },
    email: row.email,
    phone_number: row.phone_number,
    date_of_birth: row.date_of_birth,
    address: row.address,
    investment_profile: row.investment_profile,
    agreement_consent: { version: row.agreement_version, timestamp: row.agreement_consented_at.toISOString() },
    identification_number: maskIdentificationNumber(row.identification_number),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function webhookEventData(row: SandboxApplicationRow): JikoWebhookEventData {
  return {
    application_id: row.id,
    status: row.status,
    customer_id: row.customer_id,
    id_verification_documents_needed: row.flag_id_verification,
    identification_number_verification_document_needed: row.flag_identification_number_verification,
    address_verification_document_needed: row.flag_address_verification,
  };
}

export function agreementRowToJiko(row: SandboxAgreementRow): JikoAgreement {
  return { version: row.version, release_date: row.release_date, documents: row.documents };
}
