/**
 * The sandbox's review, pure: what a submission turns into, from the customer's email (the
 * guide's sandbox test addresses), the KYC data and what the document images looked like.
 *
 *   test-rejected@example.com  REJECTED, whatever the data.
 *   test-rfi@example.com       NEEDS_ADDITIONAL_INFORMATION on its first review, always: the
 *                              missing fields and documents, plus a proof of address
 *                              document (the guide's RFI answer sends a UTILITY_BILL). Once
 *                              requested, a proof of address stays required; answered
 *                              completely, the next review is ACTIVE.
 *   test-success@example.com   ACTIVE when the data is complete.
 *   test-delay@example.com     as success, but the review takes 10 × the review delay
 *                              (5 minutes at the default 30 s: the guide's "5 minutes").
 *   any other address          as success.
 *
 * "Complete" (for every address but rejected): every required field present, at least one
 * government-issued ID, and every image of every document readable (JPG, PNG or PDF,
 * 100 KB to 10 MB). Whatever is not is requested (RFI): `requiredFields` names missing
 * fields as sent (`address`, `phoneNumber`), `requiredDocuments` one entry per document
 * category still needed, with the types that answer it and why. Addresses are compared
 * case-insensitively.
 */
import {
  acceptedTypesByCategory,
  categoryOf,
  type DocumentCategory,
  type KycData,
  type KycDocumentType,
  requiredKycFields,
} from './kyc-data.js';

export const sandboxTestEmails = {
  success: 'test-success@example.com',
  rfi: 'test-rfi@example.com',
  rejected: 'test-rejected@example.com',
  delay: 'test-delay@example.com',
} as const;
export type SandboxScenario = keyof typeof sandboxTestEmails | 'default';

export const delayedReviewFactor = 10;

export type RequiredDocument = { category: DocumentCategory; acceptedTypes: KycDocumentType[]; reason: string };

/** A document image that could not be accepted: `documents[1].frontImageUrl` and why. */
export type ImageProblem = { documentIndex: number; field: 'frontImageUrl' | 'backImageUrl'; problem: string };

export type ReviewOutcome =
  | { status: 'ACTIVE' }
  | { status: 'NEEDS_ADDITIONAL_INFORMATION'; requiredFields: string[]; requiredDocuments: RequiredDocument[] }
  | { status: 'REJECTED'; reason: string };

export function scenarioOf(email: string): SandboxScenario {
  const normalized = email.trim().toLowerCase();
  const found = (Object.keys(sandboxTestEmails) as (keyof typeof sandboxTestEmails)[]).find(
    (k) => sandboxTestEmails[k] === normalized,
  );
  return found ?? 'default';
}

/** How long after submission the review is due. */
export function reviewDelayFor(email: string, reviewDelayMs: number): number {
  return scenarioOf(email) === 'delay' ? reviewDelayMs * delayedReviewFactor : reviewDelayMs;
}

export function missingFields(data: KycData): string[] {
  return requiredKycFields.filter((field) => data[field] === undefined);
}

function requirement(category: DocumentCategory, reason: string): RequiredDocument {
  return { category, acceptedTypes: [...acceptedTypesByCategory[category]], reason };
}

function documentNeeds(
  data: KycData,
  imageProblems: ImageProblem[],
  proofOfAddressRequired: boolean,
): RequiredDocument[] {
  const documents = data.documents ?? [];
  const unreadable = new Map<number, string>();
  for (const p of imageProblems) {
    if (!unreadable.has(p.documentIndex))
      unreadable.set(p.documentIndex, `documents[${p.documentIndex}].${p.field}: ${p.problem}`);
  }
  const needs: RequiredDocument[] = [];
  const categories: DocumentCategory[] = proofOfAddressRequired
    ? ['GOVERNMENT_ID', 'PROOF_OF_ADDRESS']
    : ['GOVERNMENT_ID'];
  for (const category of categories) {
    const ofCategory = documents.map((d, i) => ({ d, i })).filter(({ d }) => categoryOf(d.type) === category);
    if (ofCategory.some(({ i }) => !unreadable.has(i))) continue;
    const problems = ofCategory.map(({ i }) => unreadable.get(i)).filter((p) => p !== undefined);
    const reason =
      problems.length > 0
        ? `The document image could not be accepted (${problems.join('; ')})`
        : category === 'GOVERNMENT_ID'
          ? 'At least one government-issued photo ID is required'
          : 'A proof of address document is required';
    needs.push(requirement(category, reason));
  }
  return needs;
}

export type ReviewInput = {
  email: string;
  data: KycData;
  /** How many RFIs the customer has already had. */
  rfiCount: number;
  imageProblems: ImageProblem[];
};

export function reviewOutcome(input: ReviewInput): ReviewOutcome {
  const scenario = scenarioOf(input.email);
  if (scenario === 'rejected') {
    return { status: 'REJECTED', reason: 'Identity could not be verified (sandbox: test-rejected@example.com)' };
  }
  const requiredFields = missingFields(input.data);
  const requiredDocuments = documentNeeds(input.data, input.imageProblems, scenario === 'rfi');
  if (scenario === 'rfi' && input.rfiCount === 0) {
    const hasProof = requiredDocuments.some((r) => r.category === 'PROOF_OF_ADDRESS');
    const forced = hasProof
      ? requiredDocuments
      : [
          ...requiredDocuments,
          requirement('PROOF_OF_ADDRESS', 'Verify the residential address with a recent proof of address document'),
        ];
    return { status: 'NEEDS_ADDITIONAL_INFORMATION', requiredFields, requiredDocuments: forced };
  }
  if (requiredFields.length > 0 || requiredDocuments.length > 0) {
    return { status: 'NEEDS_ADDITIONAL_INFORMATION', requiredFields, requiredDocuments };
  }
  return { status: 'ACTIVE' };
}
