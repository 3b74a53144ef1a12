/**
 * The only Kysely queries for sandbox customers. Every function takes the executor (the
 * database or a transaction) first; callers that change a customer lock its row first.
 */
import { type Insertable, sql, type UpdateObject } from 'kysely';
import type { KycCustomerRow, KycCustomerTable, KycSandboxDatabase, KycSandboxDb } from './sandbox.tables.js';

export async function insertCustomer(db: KycSandboxDb, values: Insertable<KycCustomerTable>): Promise<KycCustomerRow> {
  return db.insertInto('sandbox.kyc_customers').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findCustomer(db: KycSandboxDb, id: string): Promise<KycCustomerRow | undefined> {
  return db.selectFrom('sandbox.kyc_customers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Reads and locks the row for the rest of the transaction. */
export async function lockCustomer(db: KycSandboxDb, id: string): Promise<KycCustomerRow | undefined> {
  return db.selectFrom('sandbox.kyc_customers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateCustomer(
  db: KycSandboxDb,
  id: string,
  values: UpdateObject<KycSandboxDatabase, 'sandbox.kyc_customers'>,
): Promise<KycCustomerRow> {
  return db
    .updateTable('sandbox.kyc_customers')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `now() + ms` by the database's clock, so every process agrees when a review is due. */
export function dueIn(ms: number) {
  return sql<Date>`now() + make_interval(secs => ${ms / 1000})`;
}

/**
 * Claims up to `limit` UNDER_REVIEW customers whose review is due, pushing their due time
 * out by `leaseMs` so that no other process reviews them meanwhile (rows another transaction
 * holds are skipped). A process that dies mid-review leaves the review to be retried when
 * the lease runs out.
 */
export async function claimDueReviews(db: KycSandboxDb, limit: number, leaseMs: number): Promise<KycCustomerRow[]> {
  return db
    .updateTable('sandbox.kyc_customers')
    .set({ review_due_at: dueIn(leaseMs) })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('sandbox.kyc_customers')
        .select('id')
        .where('status', '=', 'UNDER_REVIEW')
        .where('review_due_at', '<=', sql<Date>`now()`)
        .orderBy('review_due_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}
