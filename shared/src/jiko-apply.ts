/**
 * When Jiko takes an Apply (Partner API guides, "Application Statuses"): from CREATED (the
 * first submission) and from PENDING ("Apply again to re-submit for evaluation", once every
 * document flag is cleared). SUBMITTED is still being processed, DOCUMENTS_NEEDED waits for
 * uploads, MANUAL_REVIEW for Jiko's reviewers, APPROVED is done and REJECTED is final ("the
 * application cannot be revived").
 *
 * The desk's Jiko adapter uses it to refuse a re-apply before anything is sent, and the
 * built-in sandbox to answer 409; both read this one rule.
 */
import type { JikoStatus } from './providers.js';

/** Statuses from which Apply is accepted. */
export const jikoApplicableStatuses: readonly JikoStatus[] = ['CREATED', 'PENDING'];

/** Why Jiko refuses an Apply in `status`, or null when it takes one. */
export function jikoApplyRefusal(status: JikoStatus): string | null {
  switch (status) {
    case 'CREATED':
    case 'PENDING':
      return null;
    case 'SUBMITTED':
      return 'The application is already submitted and being processed.';
    case 'DOCUMENTS_NEEDED':
      return 'Documents are still needed; upload them until every flag is cleared.';
    case 'MANUAL_REVIEW':
      return 'The application is in manual review.';
    case 'APPROVED':
      return 'The application is already approved.';
    case 'REJECTED':
      return 'The application is rejected; a rejected application cannot be revived.';
  }
}
