/**
 * Fin.com demo customers exist at the sandbox too. The provider demo (demo/provider-demo/)
 * decides each customer's end state by the sandbox's own rules (customer-rules.ts); this
 * builds the sandbox rows for that state and writes them into the sandbox's tables, with the
 * same customer ids the desk holds as provider application ids, so every action on a demo case
 * (attach, RFI answer, refresh) goes to a provider that knows it and answers as the rules say.
 *
 * What the rows hold, so that later reviews behave:
 *   email             carries the outcome tag (+on_hold, +action_required, +rejected) of the
 *                     customer's first review; `reviews_decided` counts the reviews already
 *                     decided, so a customer past its first review is approved next time.
 *   attachments       one processed attach per customer that has been reviewed, with the
 *                     uploaded files it named (the ON_HOLD RFI asks for its identity document
 *                     type again).
 *   decision_due_at   a REVIEWING customer's decision, minutes to hours ahead.
 */
import { createHash } from 'node:crypto';
import type { Database } from '@desk/server';
import type { FinStatus } from '@desk/shared';
import type { Kysely } from 'kysely';
import { type ReviewOutcome, reviewOutcome } from './customer-rules.js';
import type { FinAddress, FinBasicInfo, FinEmploymentStatus, FinFinancialProfile } from './customer-validation.js';
import type {
  FinCustomerRow,
  FinFileRow,
  FinRfiRow,
  FinSandboxDatabase,
  FinV2AttachmentRow,
} from './sandbox.tables.js';
import type { FinAttachDocuments, FinRfiAnswer, IdentityDocumentType, RequiredAction } from './wire.js';

/** Rows the sandbox holds for the demo customers, as read back from its tables. */
export type FinDemoRows = {
  customers: FinCustomerRow[];
  files: FinFileRow[];
  attachments: FinV2AttachmentRow[];
  rfis: FinRfiRow[];
};

export const emptyFinDemoRows = (): FinDemoRows => ({ customers: [], files: [], attachments: [], rfis: [] });

/** A demo applicant as the desk knows them; `state` is the US state code (CA), `ssn` nine digits. */
export type FinDemoApplicant = {
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

/** Catalogue choices (catalogue.ts) that go together: employment, occupation, source of funds. */
export const finDemoProfiles: readonly {
  employment: FinEmploymentStatus;
  occupationIds: readonly number[];
  sourceOfFundIds: readonly number[];
}[] = [
  { employment: 'EMPLOYED', occupationIds: [1, 2, 3, 4, 5, 6, 7, 9, 42], sourceOfFundIds: [1] },
  { employment: 'EMPLOYED', occupationIds: [1, 4, 6], sourceOfFundIds: [1, 4] },
  { employment: 'SELF_EMPLOYED', occupationIds: [8, 42], sourceOfFundIds: [2] },
  { employment: 'RETIRED', occupationIds: [11], sourceOfFundIds: [5, 3] },
  { employment: 'STUDENT', occupationIds: [10], sourceOfFundIds: [3] },
];
/** INDIVIDUAL purposes of the catalogue. */
export const finDemoPurposeIds: readonly number[] = [1, 2, 4, 6, 6, 7];

export const ssnFormat = (ssn: string): string => `${ssn.slice(0, 3)}-${ssn.slice(3, 5)}-${ssn.slice(5)}`;

export function finBasicInfo(applicant: FinDemoApplicant): FinBasicInfo {
  return {
    first_name: applicant.firstName,
    last_name: applicant.lastName,
    dob: applicant.dateOfBirth,
    email: applicant.email,
    phone: applicant.phone,
    country_of_residence: 'USA',
    primary_nationality: 'USA',
    tax_info: [{ country_code: 'USA', document_type: 'SSN', document_id: ssnFormat(applicant.ssn) }],
  };
}

export function finAddress(applicant: FinDemoApplicant): FinAddress {
  return {
    street_line_1: applicant.street,
    city: applicant.city,
    subdivision_code: `US-${applicant.state}`,
    postal_code: applicant.postalCode,
    country: 'USA',
  };
}

export function finFinancialProfile(choice: {
  employment: FinEmploymentStatus;
  occupationId: number;
  purposeId: number;
  sourceOfFundIds: number[];
  monthlyVolumeUsd: number;
}): FinFinancialProfile {
  return {
    employment_status: choice.employment,
    occupation_id: choice.occupationId,
    purpose_id: choice.purposeId,
    source_of_fund_ids: choice.sourceOfFundIds,
    monthly_volume_usd: choice.monthlyVolumeUsd,
  };
}

/** The outcome tag to put in the email for the status a customer reaches by its first review. */
export function finOutcomeTag(firstReview: 'APPROVED' | 'REJECTED' | 'ACTION_REQUIRED' | 'ON_HOLD'): string | null {
  switch (firstReview) {
    case 'APPROVED':
      return null;
    case 'REJECTED':
      return 'rejected';
    case 'ACTION_REQUIRED':
      return 'action_required';
    case 'ON_HOLD':
      return 'on_hold';
  }
}

/** `local+tag@domain`, or the address unchanged when there is no tag. */
export function withOutcomeTag(email: string, tag: string | null): string {
  if (!tag) return email;
  const at = email.lastIndexOf('@');
  return `${email.slice(0, at)}+${tag}${email.slice(at)}`;
}

/** What the sandbox's review decides for this customer (customer-rules.ts, unchanged). */
export function finDemoReview(
  email: string,
  reviewsDecided: number,
  identityType: IdentityDocumentType,
): ReviewOutcome {
  return reviewOutcome(email, reviewsDecided, identityType);
}

/** A file uri in the sandbox's form (`/AbAcQ4hn_0652746727637.pdf`). */
export function finFileUri(name: string, at: Date, extension: 'pdf' | 'png' | 'jpg'): string {
  return `/${name}_${String(at.getTime()).padStart(13, '0')}.${extension}`;
}

/** The sha-256 of some bytes, hex. */
export const sha256Hex = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export type FinCustomerState = {
  id: string;
  status: FinStatus;
  applicant: FinDemoApplicant;
  financialProfile: FinFinancialProfile;
  tosPoliciesValue: string;
  reviewsDecided: number;
  requiredActions: RequiredAction[] | null;
  rejectionReason: string | null;
  decisionDueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** The sandbox's customer row for a state (basic info, address and profile as validated at create). */
export function finCustomerRow(state: FinCustomerState): FinCustomerRow {
  return {
    id: state.id,
    status: state.status,
    verification_type: 'STANDARD',
    api_version: 'v2',
    email: state.applicant.email,
    country_of_residence: 'USA',
    basic_info: finBasicInfo(state.applicant),
    address: finAddress(state.applicant),
    financial_profile: state.financialProfile,
    meta_data: null,
    tos_policies_value: state.tosPoliciesValue,
    reviews_decided: state.reviewsDecided,
    required_actions: state.requiredActions,
    rejection_reason: state.rejectionReason,
    decision_due_at: state.decisionDueAt,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
  };
}

/** A processed attach: what the desk's attach sends (a passport, or an ID's two sides, and a utility bill). */
export function finProcessedAttachment(input: {
  id: string;
  customerId: string;
  documents: FinAttachDocuments;
  queuedAt: Date;
  processedAt: Date;
}): FinV2AttachmentRow {
  return {
    id: input.id,
    customer_id: input.customerId,
    status: 'processed',
    documents: input.documents,
    process_due_at: input.processedAt,
    processed_at: input.processedAt,
    created_at: input.queuedAt,
  };
}

export function finRfiRow(input: {
  id: string;
  customerId: string;
  sections: FinRfiRow['sections'];
  createdAt: Date;
  answer: { value: FinRfiAnswer; at: Date } | null;
}): FinRfiRow {
  return {
    id: input.id,
    customer_id: input.customerId,
    status: input.answer ? 'ANSWERED' : 'OPEN',
    sections: input.sections,
    answer: input.answer?.value ?? null,
    answered_at: input.answer?.at ?? null,
    created_at: input.createdAt,
  };
}

/** Rows per INSERT: far below the statement's parameter limit whatever the table. */
const rowsPerInsert = 500;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += rowsPerInsert) out.push(rows.slice(i, i + rowsPerInsert));
  return out;
}

/** Writes the demo customers, their files, attaches and RFIs into the sandbox's tables (run it in the seed's transaction). */
export async function registerFinDemoCustomers(deskDb: Kysely<Database>, rows: FinDemoRows): Promise<void> {
  const db = deskDb.withTables<FinSandboxDatabase>();
  for (const part of chunks(rows.customers)) {
    await db
      .insertInto('sandbox.fin_customers')
      .values(
        part.map((c) => ({
          ...c,
          basic_info: JSON.stringify(c.basic_info),
          address: JSON.stringify(c.address),
          financial_profile: JSON.stringify(c.financial_profile),
          meta_data: c.meta_data === null ? null : JSON.stringify(c.meta_data),
          required_actions: c.required_actions === null ? null : JSON.stringify(c.required_actions),
        })),
      )
      .execute();
  }
  for (const part of chunks(rows.files)) await db.insertInto('sandbox.fin_files').values(part).execute();
  for (const part of chunks(rows.attachments)) {
    await db
      .insertInto('sandbox.fin_attachments')
      .values(part.map((a) => ({ ...a, documents: JSON.stringify(a.documents) })))
      .execute();
  }
  for (const part of chunks(rows.rfis)) {
    await db
      .insertInto('sandbox.fin_rfis')
      .values(
        part.map((r) => ({
          ...r,
          sections: JSON.stringify(r.sections),
          answer: r.answer === null ? null : JSON.stringify(r.answer),
        })),
      )
      .execute();
  }
}
