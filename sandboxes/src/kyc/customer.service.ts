/**
 * The partner-facing operations on customers. Every change locks the customer's row first,
 * checks the move against the state machine (customer-states.ts), writes it and raises the
 * webhook event in the same transaction.
 *
 * PATCH checks run in this order: the customer exists (404), its status allows a PATCH
 * (400 PATCH_NOT_ALLOWED, with `customerStatus`), the body merged onto the stored data is
 * valid (400 BAD_REQUEST). An accepted PATCH is a submission: the customer moves to
 * UNDER_REVIEW, any previous request for information or rejection reason is cleared, and the
 * review is due after the delay its email picks (review-rules.ts).
 */
import { randomBytes } from 'node:crypto';
import { customerRowToCustomer, type KycCustomer, stateChangedPayload } from './customer.mapper.js';
import { dueIn, findCustomer, insertCustomer, lockCustomer, updateCustomer } from './customer.repository.js';
import { canMove, patchRefusal } from './customer-states.js';
import { KycError } from './http.js';
import { reviewDelayFor } from './review-rules.js';
import type { KycSandboxDb } from './sandbox.tables.js';
import { type CreateCustomerBody, mergeKycPatch } from './validation.js';
import { enqueueStateChanged } from './webhook-outbox.js';

export type KycSandboxContext = {
  db: KycSandboxDb;
  webhookUrl: string | null;
  reviewDelayMs: number;
  /** The only origin document images are fetched from (document-images.ts). */
  documentOrigin: string;
};

const customerNotFound = () => KycError.notFound('Customer');

export async function createCustomer(ctx: KycSandboxContext, body: CreateCustomerBody): Promise<KycCustomer> {
  const row = await insertCustomer(ctx.db, {
    id: `customer_${randomBytes(12).toString('hex')}`,
    type: body.type,
    status: 'CREATED',
    email: body.email,
    first_name: body.firstName,
    last_name: body.lastName,
  });
  return customerRowToCustomer(row);
}

export async function getCustomer(ctx: KycSandboxContext, id: string): Promise<KycCustomer> {
  const row = await findCustomer(ctx.db, id);
  if (!row) throw customerNotFound();
  return customerRowToCustomer(row);
}

/** Validates and merges the PATCH, then submits: returns the customer and when its review is due. */
export async function submitKycData(
  ctx: KycSandboxContext,
  id: string,
  body: unknown,
): Promise<{ customer: KycCustomer; reviewDueInMs: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockCustomer(trx, id);
    if (!row) throw customerNotFound();
    const refusal = patchRefusal(row.status);
    if (refusal !== null || !canMove(row.status, 'submit', 'UNDER_REVIEW')) {
      throw new KycError(400, 'PATCH_NOT_ALLOWED', refusal ?? `Cannot update KYC data in ${row.status}`, row.status);
    }
    const merged = mergeKycPatch(body, row.kyc_data);
    const reviewDueInMs = reviewDelayFor(row.email, ctx.reviewDelayMs);
    const updated = await updateCustomer(trx, id, {
      status: 'UNDER_REVIEW',
      kyc_data: JSON.stringify(merged),
      required_fields: '[]',
      required_documents: '[]',
      rejection_reason: null,
      review_round: row.review_round + 1,
      review_due_at: dueIn(reviewDueInMs),
    });
    await enqueueStateChanged(trx, stateChangedPayload(id, row.status, { status: 'UNDER_REVIEW' }), ctx.webhookUrl);
    return { customer: customerRowToCustomer(updated), reviewDueInMs };
  });
}
