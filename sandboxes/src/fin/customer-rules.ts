/**
 * The Fin.com customer state machine and the sandbox's deterministic review outcomes. Pure:
 * no database, no clock; the service calls it inside a transaction that first locks the
 * customer's row.
 *
 *   INCOMPLETE       --attach processed-->  REVIEWING
 *   ACTION_REQUIRED  --attach processed-->  REVIEWING
 *   ON_HOLD          --RFI answered------>  REVIEWING
 *   REVIEWING        --review decided---->  APPROVED | ACTION_REQUIRED | ON_HOLD | REJECTED
 *   APPROVED, REJECTED: final.
 *
 * Outcome of a review, read from tags in the email's local part (`maria+on_hold@…`); the
 * tags act on the customer's FIRST review only, every later review approves (the partner
 * did what was asked):
 *
 *   +rejected          → REJECTED, with a rejection reason (final)
 *   +action_required   → ACTION_REQUIRED, asking for a new identity document and selfie
 *   +on_hold           → ON_HOLD, with an RFI (one MISSING field, one INVALID field, one
 *                        EXPIRED identity document)
 *   anything else      → APPROVED
 *
 * Tags are checked in that order when several are present.
 *
 * V1 customers follow the same tags with V1's statuses (INCOMPLETE → REVIEWING → APPROVED,
 * ON_HOLD or REJECTED): V1 has no ACTION_REQUIRED, so `+action_required` puts a V1 customer
 * ON_HOLD as `+on_hold` does ("additional information or documents required"); V1 raises no
 * RFI through the API (its guide answers RFIs by email or Slack), so a V1 customer stays
 * ON_HOLD. V1 attaches only from INCOMPLETE.
 */
import type { FinStatus } from '@desk/shared';
import type { FinRfiSection, IdentityDocumentType, RequiredAction } from './wire.js';

export const outcomeTags = ['rejected', 'action_required', 'on_hold'] as const;
export type OutcomeTag = (typeof outcomeTags)[number];

const transitions: Record<FinStatus, readonly FinStatus[]> = {
  INCOMPLETE: ['REVIEWING'],
  ACTION_REQUIRED: ['REVIEWING'],
  ON_HOLD: ['REVIEWING'],
  REVIEWING: ['APPROVED', 'ACTION_REQUIRED', 'ON_HOLD', 'REJECTED'],
  APPROVED: [],
  REJECTED: [],
};

export function canMove(from: FinStatus, to: FinStatus): boolean {
  return transitions[from].includes(to);
}

/** Statuses in which an attach is accepted (else 403). */
export const attachableStatuses: readonly FinStatus[] = ['INCOMPLETE', 'ACTION_REQUIRED'];
/** V1 knows no ACTION_REQUIRED: its attach is accepted while INCOMPLETE only. */
export const v1AttachableStatuses: readonly FinStatus[] = ['INCOMPLETE'];

export type V1ReviewOutcome = { status: 'APPROVED' } | { status: 'REJECTED'; reason: string } | { status: 'ON_HOLD' };

/** The outcome of a V1 customer's review: the V2 outcome in V1's statuses. */
export function v1ReviewOutcome(email: string, reviewsDecided: number): V1ReviewOutcome {
  const outcome = reviewOutcome(email, reviewsDecided, null);
  switch (outcome.status) {
    case 'APPROVED':
    case 'REJECTED':
      return outcome;
    case 'ACTION_REQUIRED':
    case 'ON_HOLD':
      return { status: 'ON_HOLD' };
  }
}

export function outcomeTagOf(email: string): OutcomeTag | null {
  const local = email.slice(0, email.lastIndexOf('@'));
  const tags = local.split('+').slice(1);
  return outcomeTags.find((t) => tags.includes(t)) ?? null;
}

export type ReviewOutcome =
  | { status: 'APPROVED' }
  | { status: 'REJECTED'; reason: string }
  | { status: 'ACTION_REQUIRED'; actions: RequiredAction[] }
  | { status: 'ON_HOLD'; sections: FinRfiSection[] };

/**
 * The outcome of a review. `reviewsDecided` counts the earlier reviews; `identityType` is the
 * non-SELFIE identity document of the last attach, if any (the RFI asks for it again).
 */
export function reviewOutcome(
  email: string,
  reviewsDecided: number,
  identityType: IdentityDocumentType | null,
): ReviewOutcome {
  if (reviewsDecided > 0) return { status: 'APPROVED' };
  switch (outcomeTagOf(email)) {
    case 'rejected':
      return { status: 'REJECTED', reason: 'Identity could not be verified against the documents provided' };
    case 'action_required':
      return {
        status: 'ACTION_REQUIRED',
        actions: [
          {
            category: 'IDENTITY_DOCUMENT',
            document_types: ['PASSPORT', 'NATIONAL_ID', 'DRIVERS_LICENSE', 'RESIDENCE_PERMIT'],
            reason: 'The identity document is unreadable; attach a clear copy of every required side',
          },
          { category: 'SELFIE', document_types: ['SELFIE'], reason: 'The selfie does not match the identity document' },
        ],
      };
    case 'on_hold':
      return { status: 'ON_HOLD', sections: rfiSectionsFor(identityType ?? 'PASSPORT') };
    case null:
      return { status: 'APPROVED' };
  }
}

function rfiSectionsFor(identityType: IdentityDocumentType): FinRfiSection[] {
  return [
    {
      section: 'basic_info',
      fields: [
        {
          field: 'phone',
          status: 'INVALID',
          description: 'The phone number could not be verified; send a reachable number in E.164 format',
        },
      ],
      documents: [],
    },
    {
      section: 'financial_profile',
      fields: [
        { field: 'source_of_funds_description', status: 'MISSING', description: 'Describe where the funds come from' },
      ],
      documents: [],
    },
    {
      section: 'identifying_documents',
      fields: [],
      documents: [
        {
          document_type: identityType,
          status: 'EXPIRED',
          description: 'The identity document has expired; send a valid one',
        },
      ],
    },
  ];
}
