/**
 * The only Kysely queries for sandbox customers, their files, attach requests and RFIs. Every
 * function takes the executor (the database or a transaction) first; callers that change a
 * customer lock its row first (`lockCustomer`).
 */

import type { Database } from '@desk/server';
import { type Insertable, sql, type UpdateObject } from 'kysely';
import type {
  FinAttachmentRow,
  FinCustomerRow,
  FinCustomerTable,
  FinDb,
  FinFileTable,
  FinRfiRow,
  FinSandboxDatabase,
} from './sandbox.tables.js';
import type { FinV1AttachDocuments } from './v1-validation.js';
import type { FinAttachDocuments, FinRfiAnswer, FinRfiSection } from './wire.js';

export type CustomerPatch = UpdateObject<Database & FinSandboxDatabase, 'sandbox.fin_customers'>;

/** A moment `delayMs` from now by the database's clock. */
export const dueIn = (delayMs: number) => sql<Date>`now() + make_interval(secs => ${delayMs / 1000})`;

export async function insertCustomer(db: FinDb, values: Insertable<FinCustomerTable>): Promise<FinCustomerRow> {
  return db.insertInto('sandbox.fin_customers').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findCustomer(db: FinDb, id: string): Promise<FinCustomerRow | undefined> {
  return db.selectFrom('sandbox.fin_customers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockCustomer(db: FinDb, id: string): Promise<FinCustomerRow | undefined> {
  return db.selectFrom('sandbox.fin_customers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateCustomer(db: FinDb, id: string, patch: CustomerPatch): Promise<FinCustomerRow> {
  return db
    .updateTable('sandbox.fin_customers')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Whether the customer has a queued attach or a decision that is due now. */
export async function hasDueWork(db: FinDb, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('sandbox.fin_customers as c')
    .select('c.id')
    .where('c.id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([eb('c.status', '=', 'REVIEWING'), eb('c.decision_due_at', '<=', sql<Date>`now()`)]),
        eb.exists(
          eb
            .selectFrom('sandbox.fin_attachments as a')
            .select('a.id')
            .whereRef('a.customer_id', '=', 'c.id')
            .where('a.status', '=', 'queued')
            .where('a.process_due_at', '<=', sql<Date>`now()`),
        ),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Locks customers with due work (a queued attach to process, or a review to decide), oldest
 * first, skipping rows another transaction holds.
 */
export async function lockCustomersWithDueWork(db: FinDb, limit: number): Promise<FinCustomerRow[]> {
  return db
    .selectFrom('sandbox.fin_customers as c')
    .selectAll('c')
    .where((eb) =>
      eb.or([
        eb.and([eb('c.status', '=', 'REVIEWING'), eb('c.decision_due_at', '<=', sql<Date>`now()`)]),
        eb(
          'c.id',
          'in',
          eb
            .selectFrom('sandbox.fin_attachments')
            .select('customer_id')
            .where('status', '=', 'queued')
            .where('process_due_at', '<=', sql<Date>`now()`),
        ),
      ]),
    )
    .orderBy('c.updated_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function insertFile(db: FinDb, values: Insertable<FinFileTable>): Promise<void> {
  await db.insertInto('sandbox.fin_files').values(values).execute();
}

/** The subset of `uris` uploaded for the customer. */
export async function ownedUris(db: FinDb, customerId: string, uris: string[]): Promise<Set<string>> {
  if (uris.length === 0) return new Set();
  const rows = await db
    .selectFrom('sandbox.fin_files')
    .select('uri')
    .where('customer_id', '=', customerId)
    .where('uri', 'in', uris)
    .execute();
  return new Set(rows.map((r) => r.uri));
}

export async function queuedAttachment(db: FinDb, customerId: string): Promise<FinAttachmentRow | undefined> {
  return db
    .selectFrom('sandbox.fin_attachments')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
}

export async function dueQueuedAttachment(db: FinDb, customerId: string): Promise<FinAttachmentRow | undefined> {
  return db
    .selectFrom('sandbox.fin_attachments')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', '=', 'queued')
    .where('process_due_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
}

export async function insertAttachment(
  db: FinDb,
  customerId: string,
  documents: FinAttachDocuments,
  delayMs: number,
): Promise<void> {
  await db
    .insertInto('sandbox.fin_attachments')
    .values({
      customer_id: customerId,
      status: 'queued',
      documents: JSON.stringify(documents),
      process_due_at: dueIn(delayMs),
    })
    .execute();
}

/** A V1 attach, processed as it is accepted (V1 processing is synchronous). */
export async function insertProcessedAttachment(
  db: FinDb,
  customerId: string,
  documents: FinV1AttachDocuments,
): Promise<void> {
  await db
    .insertInto('sandbox.fin_attachments')
    .values({
      customer_id: customerId,
      status: 'processed',
      documents: JSON.stringify(documents),
      process_due_at: sql<Date>`now()`,
      processed_at: sql<Date>`now()`,
    })
    .execute();
}

export async function markAttachmentProcessed(db: FinDb, id: string): Promise<void> {
  await db
    .updateTable('sandbox.fin_attachments')
    .set({ status: 'processed', processed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function lastProcessedAttachment(db: FinDb, customerId: string): Promise<FinAttachmentRow | undefined> {
  return db
    .selectFrom('sandbox.fin_attachments')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', '=', 'processed')
    .orderBy('processed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertRfi(db: FinDb, customerId: string, sections: FinRfiSection[]): Promise<FinRfiRow> {
  return db
    .insertInto('sandbox.fin_rfis')
    .values({ customer_id: customerId, status: 'OPEN', sections: JSON.stringify(sections) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function openRfi(db: FinDb, customerId: string): Promise<FinRfiRow | undefined> {
  return db
    .selectFrom('sandbox.fin_rfis')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', '=', 'OPEN')
    .executeTakeFirst();
}

export async function listRfis(db: FinDb, customerId: string): Promise<FinRfiRow[]> {
  return db
    .selectFrom('sandbox.fin_rfis')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findRfi(db: FinDb, customerId: string, rfiId: string): Promise<FinRfiRow | undefined> {
  return db
    .selectFrom('sandbox.fin_rfis')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('id', '=', rfiId)
    .executeTakeFirst();
}

export async function answerRfi(db: FinDb, id: string, answer: FinRfiAnswer): Promise<FinRfiRow> {
  return db
    .updateTable('sandbox.fin_rfis')
    .set({ status: 'ANSWERED', answer: JSON.stringify(answer), answered_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
