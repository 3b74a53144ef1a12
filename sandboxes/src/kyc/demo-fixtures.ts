/**
 * Generic KYC demo customers exist at the sandbox too. The provider demo
 * (demo/provider-demo/) decides each customer's end state; this builds the sandbox rows for
 * it by the sandbox's own rules (review-rules.ts) and writes them into the sandbox's table,
 * with the same customer ids the desk holds as provider application ids, so every action on a
 * demo case (a PATCH from a resubmission or an RFI answer, a refresh) goes to a provider that
 * knows it and answers as the rules say.
 *
 * What the rows hold, so that later reviews behave:
 *   kyc_data          complete except documents, as the desk's first submission sends it; a
 *                     review therefore asks for a government-issued ID (ACTIVE customers
 *                     hold the documents that answered it).
 *   emails            ordinary addresses: none of the sandbox test addresses, so the next
 *                     review decides by the data alone.
 *   rfi_count, review_round  the requests for information and submissions so far.
 *   review_due_at     an UNDER_REVIEW customer's review, minutes to hours ahead.
 */

import type { Database } from '@desk/server';
import type { KycStatus } from '@desk/shared';
import type { Kysely } from 'kysely';
import { acceptedTypesByCategory, type KycData, type KycDocument } from './kyc-data.js';
import { type RequiredDocument, reviewOutcome } from './review-rules.js';
import type { KycCustomerRow, KycSandboxDatabase } from './sandbox.tables.js';

/** A demo applicant as the desk knows them; `state` is the US state code (CA), `ssn` nine digits. */
export type KycDemoApplicant = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  ssn: string;
  street: string;
  city: string;
  state: string;
  postalCode: string;
};

/** Names of the states the demo applicants live in, for `address.state`. */
const stateNames: Record<string, string> = {
  AZ: 'Arizona',
  CA: 'California',
  CO: 'Colorado',
  FL: 'Florida',
  GA: 'Georgia',
  IL: 'Illinois',
  MA: 'Massachusetts',
  NY: 'New York',
  OR: 'Oregon',
  TX: 'Texas',
  WA: 'Washington',
};

export const kycDemoProfiles: readonly Pick<KycData, 'employmentStatus' | 'mostRecentOccupation' | 'sourceOfFunds'>[] =
  [
    { employmentStatus: 'EMPLOYED', mostRecentOccupation: 'Software Engineer', sourceOfFunds: 'EMPLOYMENT' },
    { employmentStatus: 'EMPLOYED', mostRecentOccupation: 'Registered Nurse', sourceOfFunds: 'EMPLOYMENT' },
    { employmentStatus: 'EMPLOYED', mostRecentOccupation: 'Teacher', sourceOfFunds: 'EMPLOYMENT' },
    { employmentStatus: 'EMPLOYED', mostRecentOccupation: 'Accountant', sourceOfFunds: 'EMPLOYMENT' },
    { employmentStatus: 'SELF_EMPLOYED', mostRecentOccupation: 'Graphic Designer', sourceOfFunds: 'BUSINESS' },
    { employmentStatus: 'SELF_EMPLOYED', mostRecentOccupation: 'Restaurant Owner', sourceOfFunds: 'BUSINESS' },
    { employmentStatus: 'RETIRED', mostRecentOccupation: 'Civil Engineer', sourceOfFunds: 'SAVINGS' },
    { employmentStatus: 'STUDENT', mostRecentOccupation: 'Student', sourceOfFunds: 'SAVINGS' },
  ];

/** The KYC data the desk's first submission sends (providers/kyc/kyc-wire.ts), without documents. */
export function kycDemoData(
  applicant: KycDemoApplicant,
  profile: Pick<KycData, 'employmentStatus' | 'mostRecentOccupation' | 'sourceOfFunds'>,
): KycData {
  return {
    legalFirstName: applicant.firstName,
    legalLastName: applicant.lastName,
    phoneNumber: applicant.phone,
    dateOfBirth: applicant.dateOfBirth,
    nationality: 'US',
    address: {
      addressLine1: applicant.street,
      city: applicant.city,
      state: stateNames[applicant.state] ?? applicant.state,
      stateCode: applicant.state,
      postalCode: applicant.postalCode,
      country: 'US',
      locale: 'en-US',
    },
    nationalIdType: 'SSN',
    nationalIdNumber: applicant.ssn,
    nationalIdIssuingCountry: 'US',
    ...profile,
    accountPurpose: 'PERSONAL_USE',
    expectedMonthlyPaymentsUsd: 'UNDER_10K',
    isIntermediary: false,
  };
}

/**
 * What a review of `data` asks for (review-rules.ts, for an ordinary address): a government
 * ID when none was sent. With `proofOfAddress`, a proof of address too, as the sandbox asks
 * when it verifies the address (its own wording).
 */
export function kycDemoRequirements(
  email: string,
  data: KycData,
  proofOfAddress: boolean,
): { requiredFields: string[]; requiredDocuments: RequiredDocument[] } {
  const outcome = reviewOutcome({ email, data, rfiCount: 0, imageProblems: [] });
  const requiredFields = outcome.status === 'NEEDS_ADDITIONAL_INFORMATION' ? outcome.requiredFields : [];
  const requiredDocuments = outcome.status === 'NEEDS_ADDITIONAL_INFORMATION' ? [...outcome.requiredDocuments] : [];
  if (proofOfAddress && !requiredDocuments.some((d) => d.category === 'PROOF_OF_ADDRESS')) {
    requiredDocuments.push({
      category: 'PROOF_OF_ADDRESS',
      acceptedTypes: [...acceptedTypesByCategory.PROOF_OF_ADDRESS],
      reason: 'Verify the residential address with a recent proof of address document',
    });
  }
  return { requiredFields, requiredDocuments };
}

/** `customer_` and 24 hex digits, from any hex string of at least 24 digits. */
export function kycCustomerId(hex: string): string {
  return `customer_${hex.replace(/[^0-9a-f]/g, '').slice(0, 24)}`;
}

export type KycCustomerState = {
  id: string;
  status: KycStatus;
  applicant: KycDemoApplicant;
  data: KycData;
  documents: KycDocument[];
  requiredFields: string[];
  requiredDocuments: RequiredDocument[];
  rejectionReason: string | null;
  rfiCount: number;
  reviewRound: number;
  reviewDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** The sandbox's customer row for a state. */
export function kycCustomerRow(state: KycCustomerState): KycCustomerRow {
  const asking = state.status === 'NEEDS_ADDITIONAL_INFORMATION';
  return {
    id: state.id,
    type: 'INDIVIDUAL',
    status: state.status,
    email: state.applicant.email.toLowerCase(),
    first_name: state.applicant.firstName,
    last_name: state.applicant.lastName,
    kyc_data: state.documents.length > 0 ? { ...state.data, documents: state.documents } : state.data,
    required_fields: asking ? state.requiredFields : [],
    required_documents: asking ? state.requiredDocuments : [],
    rejection_reason: state.status === 'REJECTED' ? state.rejectionReason : null,
    rfi_count: state.rfiCount,
    review_round: state.reviewRound,
    review_due_at: state.status === 'UNDER_REVIEW' ? state.reviewDueAt : null,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
  };
}

const rowsPerInsert = 500;

/** Writes the demo customers into the sandbox's table (run it in the seed's transaction). */
export async function registerKycDemoCustomers(
  deskDb: Kysely<Database>,
  customers: readonly KycCustomerRow[],
): Promise<void> {
  const db = deskDb.withTables<KycSandboxDatabase>();
  for (let i = 0; i < customers.length; i += rowsPerInsert) {
    await db
      .insertInto('sandbox.kyc_customers')
      .values(
        customers.slice(i, i + rowsPerInsert).map((c) => ({
          ...c,
          kyc_data: JSON.stringify(c.kyc_data),
          required_fields: JSON.stringify(c.required_fields),
          required_documents: JSON.stringify(c.required_documents),
        })),
      )
      .execute();
  }
}
