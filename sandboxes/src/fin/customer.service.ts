/**
 * The sandbox's rules applied to stored customers. Every change locks the customer's row
 * first, takes the next state from the pure module (customer-rules.ts), writes it and raises
 * its webhook events in the same transaction.
 *
 * Timing: an accepted attach is queued and processed (→ REVIEWING) `reviewDelayMs` later;
 * the review is decided `reviewDelayMs` after that; an answered RFI goes to REVIEWING at once
 * and is decided `reviewDelayMs` later. Times are by the database's clock. The background
 * loop does the due work; a request touching a customer whose work is already due settles it
 * first, so what a partner sees never depends on the loop's timing.
 *
 * V1 (`/v1/customers/individual...`): an accepted attach is processed in the request itself
 * (V1 processing is synchronous): the customer is REVIEWING when the answer leaves, and the
 * review is decided `reviewDelayMs` later as for V2. Each version's routes serve the
 * customers created through it; the other version's customer is "not found" there. The
 * upload is shared.
 */
import type { FinStatus } from '@desk/shared';
import { urisIn, validateAttach } from './attach-validation.js';
import {
  customerRowToFin,
  customerRowToFinV1,
  type FinCustomer,
  type FinV1Customer,
  rfiRowToFin,
  statusEventData,
} from './customer.mapper.js';
import {
  dueIn,
  dueQueuedAttachment,
  findCustomer,
  findRfi,
  hasDueWork,
  insertAttachment,
  insertCustomer,
  insertProcessedAttachment,
  insertRfi,
  lastProcessedAttachment,
  listRfis,
  lockCustomer,
  lockCustomersWithDueWork,
  markAttachmentProcessed,
  openRfi,
  ownedUris,
  queuedAttachment,
  answerRfi as storeRfiAnswer,
  updateCustomer,
} from './customer.repository.js';
import { attachableStatuses, canMove, reviewOutcome, v1AttachableStatuses, v1ReviewOutcome } from './customer-rules.js';
import type { CreateCustomerBody } from './customer-validation.js';
import type { JsonObject } from './fields.js';
import { FinError, notEligible } from './http.js';
import { validateRfiAnswer } from './rfi-validation.js';
import type { FinApiVersion, FinCustomerRow, FinDb } from './sandbox.tables.js';
import { type CreateV1CustomerBody, readAttachCustomerId, validateV1Attach } from './v1-validation.js';
import { enqueueEvent } from './webhook-outbox.js';
import type { FinRfi } from './wire.js';

export type FinContext = {
  db: FinDb;
  webhookUrl: string | null;
  reviewDelayMs: number;
  requireSelfie: boolean;
  relianceEnabled: boolean;
};

export const relianceUnavailable = () =>
  new FinError(423, { kind: 'message', message: 'RELIANCE is not available for your client' });

/** Moves a locked customer to `status` (checked against the transition table) and raises customer.status. */
async function moveTo(
  trx: FinDb,
  ctx: FinContext,
  row: FinCustomerRow,
  status: FinStatus,
  patch: Parameters<typeof updateCustomer>[2],
  rfiId: string | null = null,
): Promise<FinCustomerRow> {
  if (!canMove(row.status, status))
    throw new Error(`customer ${row.id}: ${row.status} → ${status} is not a transition`);
  const updated = await updateCustomer(trx, row.id, { ...patch, status });
  await enqueueEvent(trx, ctx.webhookUrl, row.id, 'customer.status', statusEventData(updated, row.status, rfiId));
  return updated;
}

/** Stores a new INCOMPLETE customer of either version and raises customer.created. */
async function storeNewCustomer(
  ctx: FinContext,
  apiVersion: FinApiVersion,
  body: CreateCustomerBody | CreateV1CustomerBody,
): Promise<FinCustomerRow> {
  if (body.verification_type === 'RELIANCE' && !ctx.relianceEnabled) throw relianceUnavailable();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await insertCustomer(trx, {
      status: 'INCOMPLETE',
      api_version: apiVersion,
      verification_type: body.verification_type,
      email: body.basic_info.email,
      country_of_residence: body.basic_info.country_of_residence,
      basic_info: JSON.stringify(body.basic_info),
      address: JSON.stringify(body.address),
      financial_profile: JSON.stringify(body.financial_profile),
      meta_data: body.meta_data === null ? null : JSON.stringify(body.meta_data),
    });
    await enqueueEvent(trx, ctx.webhookUrl, row.id, 'customer.created', {
      customer_id: row.id,
      status: row.status,
      verification_type: row.verification_type,
    });
    return row;
  });
}

export async function createCustomer(ctx: FinContext, body: CreateCustomerBody): Promise<FinCustomer> {
  return customerRowToFin(await storeNewCustomer(ctx, 'v2', body), undefined);
}

export async function createV1Customer(ctx: FinContext, body: CreateV1CustomerBody): Promise<FinV1Customer> {
  return customerRowToFinV1(await storeNewCustomer(ctx, 'v1', body));
}

/** A queued attach is processed: the customer goes to REVIEWING. */
async function processAttachment(
  trx: FinDb,
  ctx: FinContext,
  row: FinCustomerRow,
  attachmentId: string,
): Promise<FinCustomerRow> {
  await markAttachmentProcessed(trx, attachmentId);
  return moveTo(trx, ctx, row, 'REVIEWING', { decision_due_at: dueIn(ctx.reviewDelayMs), required_actions: null });
}

/** A due review is decided by the sandbox's outcome rules. */
async function decideReview(trx: FinDb, ctx: FinContext, row: FinCustomerRow): Promise<FinCustomerRow> {
  const base = { decision_due_at: null, reviews_decided: row.reviews_decided + 1 };
  if (row.api_version === 'v1') {
    const v1 = v1ReviewOutcome(row.email, row.reviews_decided);
    return v1.status === 'REJECTED'
      ? moveTo(trx, ctx, row, 'REJECTED', { ...base, rejection_reason: v1.reason })
      : moveTo(trx, ctx, row, v1.status, base);
  }
  const documents = (await lastProcessedAttachment(trx, row.id))?.documents;
  const identifying = documents && 'identifying_documents' in documents ? documents.identifying_documents : [];
  const identity = identifying.find((d) => d.type !== 'SELFIE')?.type ?? null;
  const outcome = reviewOutcome(row.email, row.reviews_decided, identity);
  switch (outcome.status) {
    case 'APPROVED':
      return moveTo(trx, ctx, row, 'APPROVED', base);
    case 'REJECTED':
      return moveTo(trx, ctx, row, 'REJECTED', { ...base, rejection_reason: outcome.reason });
    case 'ACTION_REQUIRED':
      return moveTo(trx, ctx, row, 'ACTION_REQUIRED', { ...base, required_actions: JSON.stringify(outcome.actions) });
    case 'ON_HOLD': {
      const rfi = await insertRfi(trx, row.id, outcome.sections);
      const updated = await moveTo(trx, ctx, row, 'ON_HOLD', base, rfi.id);
      await enqueueEvent(trx, ctx.webhookUrl, row.id, 'customer.rfi.created', {
        customer_id: row.id,
        rfi: rfiRowToFin(rfi),
      });
      return updated;
    }
  }
}

/** Does the locked customer's due work: a queued attach, then a review. */
async function settle(trx: FinDb, ctx: FinContext, row: FinCustomerRow): Promise<FinCustomerRow> {
  let current = row;
  const attachment = await dueQueuedAttachment(trx, row.id);
  if (attachment) {
    if (attachableStatuses.includes(current.status))
      current = await processAttachment(trx, ctx, current, attachment.id);
    else await markAttachmentProcessed(trx, attachment.id); // cannot happen: only an attach leaves these statuses
  }
  if (current.status === 'REVIEWING' && (await hasDueWork(trx, row.id)))
    current = await decideReview(trx, ctx, current);
  return current;
}

/** The customer, if it exists and was created through `version` (the other version's routes do not see it). */
function ofVersion(row: FinCustomerRow | undefined, version: FinApiVersion): FinCustomerRow {
  if (!row || row.api_version !== version) throw FinError.notFound();
  return row;
}

async function lockForChange(trx: FinDb, ctx: FinContext, id: string, version: FinApiVersion): Promise<FinCustomerRow> {
  return settle(trx, ctx, ofVersion(await lockCustomer(trx, id), version));
}

/** Does the due work of up to `limit` customers; returns how many. */
export async function settleDueCustomers(ctx: FinContext, limit: number): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await lockCustomersWithDueWork(trx, limit);
    for (const row of rows) await settle(trx, ctx, row);
    return rows.length;
  });
}

/** The customer after its due work, if it was created through `version`. */
async function currentCustomer(ctx: FinContext, id: string, version: FinApiVersion): Promise<FinCustomerRow> {
  if (await hasDueWork(ctx.db, id)) await ctx.db.transaction().execute((trx) => lockForChange(trx, ctx, id, version));
  return ofVersion(await findCustomer(ctx.db, id), version);
}

export async function getCustomer(ctx: FinContext, id: string): Promise<FinCustomer> {
  const row = await currentCustomer(ctx, id, 'v2');
  return customerRowToFin(row, await openRfi(ctx.db, id));
}

export async function getV1Customer(ctx: FinContext, id: string): Promise<FinV1Customer> {
  return customerRowToFinV1(await currentCustomer(ctx, id, 'v1'));
}

/**
 * The V1 attach: validated, then processed at once; the answer is the customer, REVIEWING.
 * 403 outside INCOMPLETE. V1 has no in-flight guard: concurrent attaches are serialised by
 * the row lock and the second meets REVIEWING (403).
 */
export async function attachV1Documents(ctx: FinContext, body: JsonObject): Promise<FinV1Customer> {
  const id = readAttachCustomerId(body);
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await lockCustomer(trx, id);
    if (locked?.api_version !== 'v1') {
      throw FinError.validation({ customer_id: ['customer_id does not name a customer of this client'] });
    }
    const row = await settle(trx, ctx, locked);
    if (!v1AttachableStatuses.includes(row.status)) throw notEligible();
    const documents = validateV1Attach(body, {
      addressCountry: 'country' in row.address ? row.address.country : row.country_of_residence,
      tosPoliciesValue: row.tos_policies_value,
      ownedUris: await ownedUris(trx, id, urisIn(body)),
    });
    await insertProcessedAttachment(trx, id, documents);
    const reviewing = await moveTo(trx, ctx, row, 'REVIEWING', { decision_due_at: dueIn(ctx.reviewDelayMs) });
    return customerRowToFinV1(reviewing);
  });
}

/** Validates and queues an attach; 403 outside INCOMPLETE / ACTION_REQUIRED, 409 while one is queued. */
export async function attachDocuments(ctx: FinContext, id: string, body: JsonObject): Promise<{ customer_id: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockForChange(trx, ctx, id, 'v2');
    if (await queuedAttachment(trx, id)) {
      throw FinError.coded(409, 'conflict', 'An attach request is already in progress for this customer');
    }
    if (!attachableStatuses.includes(row.status)) throw notEligible();
    const documents = validateAttach(body, {
      countryOfResidence: row.country_of_residence,
      tosPoliciesValue: row.tos_policies_value,
      requireSelfie: ctx.requireSelfie,
      ownedUris: await ownedUris(trx, id, urisIn(body)),
    });
    await insertAttachment(trx, id, documents, ctx.reviewDelayMs);
    return { customer_id: id };
  });
}

export async function listCustomerRfis(ctx: FinContext, id: string): Promise<FinRfi[]> {
  await getCustomer(ctx, id);
  return (await listRfis(ctx.db, id)).map(rfiRowToFin);
}

/** Accepts the answer to the open RFI: the answered fields are written, the customer goes back to REVIEWING. */
export async function answerRfi(ctx: FinContext, customerId: string, rfiId: string, body: JsonObject): Promise<FinRfi> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await lockForChange(trx, ctx, customerId, 'v2');
    const rfi = await findRfi(trx, customerId, rfiId);
    if (!rfi) throw FinError.notFound('RFI');
    if (rfi.status !== 'OPEN') throw FinError.coded(409, 'conflict', 'This RFI has already been answered');
    if (row.status !== 'ON_HOLD') throw notEligible();
    const sections = {
      basic_info: { ...row.basic_info },
      address: { ...row.address },
      financial_profile: { ...row.financial_profile },
    };
    const onFile = (key: string): unknown => {
      const [section, field] = key.split('.');
      const values: Record<string, unknown> | undefined =
        section === 'basic_info' || section === 'address' || section === 'financial_profile'
          ? sections[section]
          : undefined;
      return field === undefined ? undefined : values?.[field];
    };
    const answer = validateRfiAnswer(body, rfi.sections, await ownedUris(trx, customerId, urisIn(body)), onFile);
    for (const [key, value] of Object.entries(answer.fields)) {
      const [section, field] = key.split('.') as [string, string];
      if (section === 'basic_info' || section === 'address' || section === 'financial_profile') {
        Object.assign(sections[section], { [field]: value });
      }
    }
    const answered = await storeRfiAnswer(trx, rfi.id, answer);
    await enqueueEvent(trx, ctx.webhookUrl, customerId, 'customer.rfi.answered', {
      customer_id: customerId,
      rfi: rfiRowToFin(answered),
    });
    await moveTo(trx, ctx, row, 'REVIEWING', {
      basic_info: JSON.stringify(sections.basic_info),
      address: JSON.stringify(sections.address),
      financial_profile: JSON.stringify(sections.financial_profile),
      email: sections.basic_info.email,
      decision_due_at: dueIn(ctx.reviewDelayMs),
    });
    return rfiRowToFin(answered);
  });
}
