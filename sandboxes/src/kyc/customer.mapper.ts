/**
 * Rows to the provider's wire shapes. The customer is the guide's sample response (id, type,
 * status, email, firstName, lastName, verificationLink, createdAt), always with these too,
 * where the guide is silent:
 *
 *   updatedAt          ISO 8601
 *   kycData            the data as merged from every accepted PATCH ({} before the first),
 *                      with `nationalIdNumber` masked (below)
 *   requiredFields     while NEEDS_ADDITIONAL_INFORMATION, the missing fields ([] otherwise)
 *   requiredDocuments  while NEEDS_ADDITIONAL_INFORMATION, [{ category, acceptedTypes, reason }]
 *   rejectionReason    while REJECTED, why (null otherwise)
 *
 * verificationLink points at a hosted page the sandbox does not serve.
 *
 * The guide is silent on whether the identification number comes back: its sample response
 * carries no kycData. The sandbox keeps it (the review needs it) but never answers it in
 * clear: `nationalIdNumber` is `•••••` followed by its last four characters (all masked when
 * it has four or fewer), in every answer (webhooks carry no kycData), so a sandbox answer is no
 * way around the desk's sealed storage, reveal and audit. Partners send the number; they never need it back
 * (the desk's adapter reads only `documents` from kycData).
 */
import type { KycStatus } from '@desk/shared';
import type { KycData } from './kyc-data.js';
import type { RequiredDocument, ReviewOutcome } from './review-rules.js';
import type { KycCustomerRow } from './sandbox.tables.js';
import type { KycStateChangedPayload } from './webhook-events.js';

export type KycCustomer = {
  id: string;
  type: 'INDIVIDUAL';
  status: KycStatus;
  email: string;
  firstName: string;
  lastName: string;
  verificationLink: string;
  createdAt: string;
  updatedAt: string;
  kycData: KycData;
  requiredFields: string[];
  requiredDocuments: RequiredDocument[];
  rejectionReason: string | null;
};

export const verificationLinkBase = 'https://sandbox.kyc.example/verify-customer/';

/** `•••••6789`: the last four characters only, and never the length. */
export function maskIdentificationNumber(value: string): string {
  return `•••••${value.length > 4 ? value.slice(-4) : ''}`;
}

/** The stored data as answered: everything but the identification number in clear. */
function answeredKycData(data: KycData): KycData {
  return data.nationalIdNumber === undefined
    ? data
    : { ...data, nationalIdNumber: maskIdentificationNumber(data.nationalIdNumber) };
}

export function customerRowToCustomer(row: KycCustomerRow): KycCustomer {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    verificationLink: `${verificationLinkBase}${row.id.slice('customer_'.length)}`,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    kycData: answeredKycData(row.kyc_data),
    requiredFields: row.required_fields,
    requiredDocuments: row.required_documents,
    rejectionReason: row.rejection_reason,
  };
}

export function stateChangedPayload(
  customerId: string,
  oldStatus: KycStatus,
  outcome: ReviewOutcome | { status: 'UNDER_REVIEW' },
): KycStateChangedPayload {
  const payload: KycStateChangedPayload = { customerId, oldStatus, newStatus: outcome.status };
  if (outcome.status === 'NEEDS_ADDITIONAL_INFORMATION') {
    payload.requiredFields = outcome.requiredFields;
    payload.requiredDocuments = outcome.requiredDocuments;
  }
  if (outcome.status === 'REJECTED') payload.reason = outcome.reason;
  return payload;
}
