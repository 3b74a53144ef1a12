/**
 * Reviews of submitted customers, run by the background loop. A due review is claimed (with
 * a lease, customer.repository.ts), its document images are fetched outside any transaction
 * (document-images.ts), then the outcome (review-rules.ts) is written in a transaction that
 * locks the customer and checks it is still in the same submission (`review_round`): a
 * review never decides a submission it did not look at.
 */

import { stateChangedPayload } from './customer.mapper.js';
import { claimDueReviews, lockCustomer, updateCustomer } from './customer.repository.js';
import type { KycSandboxContext } from './customer.service.js';
import { canMove } from './customer-states.js';
import { checkDocumentImages, imageLimits } from './document-images.js';
import { reviewOutcome } from './review-rules.js';
import type { KycCustomerRow } from './sandbox.tables.js';
import { enqueueStateChanged } from './webhook-outbox.js';

/** Longer than a review can take: every image fetch is bounded by its own timeout. */
export const reviewLeaseMs = imageLimits.fetchTimeoutMs * 6;

async function reviewCustomer(ctx: KycSandboxContext, claimed: KycCustomerRow): Promise<void> {
  const imageProblems = await checkDocumentImages(claimed.kyc_data.documents ?? [], ctx.documentOrigin);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await lockCustomer(trx, claimed.id);
    if (row?.status !== 'UNDER_REVIEW' || row.review_round !== claimed.review_round) return;
    const outcome = reviewOutcome({ email: row.email, data: row.kyc_data, rfiCount: row.rfi_count, imageProblems });
    if (!canMove(row.status, 'review', outcome.status))
      throw new Error(`review cannot move ${row.id} to ${outcome.status}`);
    const rfi = outcome.status === 'NEEDS_ADDITIONAL_INFORMATION';
    await updateCustomer(trx, row.id, {
      status: outcome.status,
      review_due_at: null,
      required_fields: JSON.stringify(rfi ? outcome.requiredFields : []),
      required_documents: JSON.stringify(rfi ? outcome.requiredDocuments : []),
      rejection_reason: outcome.status === 'REJECTED' ? outcome.reason : null,
      rfi_count: rfi ? row.rfi_count + 1 : row.rfi_count,
    });
    await enqueueStateChanged(trx, stateChangedPayload(row.id, row.status, outcome), ctx.webhookUrl);
  });
}

/** Reviews up to `limit` due customers; returns how many were claimed. */
export async function reviewDueCustomers(ctx: KycSandboxContext, limit: number): Promise<number> {
  const claimed = await claimDueReviews(ctx.db, limit, reviewLeaseMs);
  await Promise.all(claimed.map((row) => reviewCustomer(ctx, row)));
  return claimed.length;
}
