/**
 * The customer state machine, pure (no database), as the guide draws it:
 *
 *   CREATED ──PATCH──▶ UNDER_REVIEW ──review──▶ ACTIVE
 *                         │    ▲      └─review──▶ REJECTED ──PATCH──▶ UNDER_REVIEW
 *                  review ▼    │ PATCH
 *              NEEDS_ADDITIONAL_INFORMATION
 *
 * Invariants: KYC data may be changed (PATCH) only in CREATED, NEEDS_ADDITIONAL_INFORMATION
 * and REJECTED, and every accepted PATCH is a submission that moves the customer to
 * UNDER_REVIEW; only a review leaves UNDER_REVIEW; ACTIVE is final in the sandbox (the
 * guide's DEACTIVATED is never reached here).
 */
import type { KycStatus } from '@desk/shared';

export type KycTransition = 'submit' | 'review';

const nextStatuses: Record<KycStatus, Record<KycTransition, readonly KycStatus[]>> = {
  CREATED: { submit: ['UNDER_REVIEW'], review: [] },
  UNDER_REVIEW: { submit: [], review: ['ACTIVE', 'NEEDS_ADDITIONAL_INFORMATION', 'REJECTED'] },
  NEEDS_ADDITIONAL_INFORMATION: { submit: ['UNDER_REVIEW'], review: [] },
  REJECTED: { submit: ['UNDER_REVIEW'], review: [] },
  ACTIVE: { submit: [], review: [] },
};

export function canMove(from: KycStatus, transition: KycTransition, to: KycStatus): boolean {
  return nextStatuses[from][transition].includes(to);
}

export const patchableStatuses: readonly KycStatus[] = (Object.keys(nextStatuses) as KycStatus[]).filter(
  (status) => nextStatuses[status].submit.length > 0,
);

/** Why a PATCH is refused in this status (the guide's message while in progress), or null. */
export function patchRefusal(status: KycStatus): string | null {
  if (patchableStatuses.includes(status)) return null;
  if (status === 'UNDER_REVIEW') return 'Cannot update KYC data: verification is currently in progress';
  return `Cannot update KYC data: customer is ${status}; updates are only allowed in ${patchableStatuses.join(', ')}`;
}
