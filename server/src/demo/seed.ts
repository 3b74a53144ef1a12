/**
 * Writes demo data in batches: staff and agreements first, then customers, applications,
 * their documents and histories. Deterministic for a given seed and reference time.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { demoAgreements, demoStaff, generateBatch } from './demo-data.js';

export type SeedOptions = {
  count: number;
  seed?: number;
  now?: Date;
  maxAgeDays?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
};

/** Rows per INSERT: well under Postgres' 65,535 bind parameters for the widest table. */
const rowsPerInsert = 1000;

async function insertInChunks<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerInsert) {
    await db.insertInto(table).values(rows.slice(i, i + rowsPerInsert)).execute();
  }
}

export async function countApplicationRows(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('applications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return row.n;
}

export async function seedDemoData(db: Kysely<Database>, options: SeedOptions): Promise<void> {
  const seed = options.seed ?? 42;
  const now = options.now ?? new Date();
  const staff = demoStaff(seed);
  const agreements = demoAgreements(now);
  await db.insertInto('staff').values(staff).onConflict((oc) => oc.column('email').doNothing()).execute();
  await db.insertInto('agreements').values(agreements).onConflict((oc) => oc.columns(['provider', 'version']).doNothing()).execute();
  // Existing staff keep their ids; demo rows must point at those.
  const knownStaff = await db.selectFrom('staff').select(['id', 'email', 'name', 'role']).execute();
  const ctx = { seed, now, staff: knownStaff, agreements, maxAgeDays: options.maxAgeDays };
  const batchSize = options.batchSize ?? 5000;
  for (let from = 0; from < options.count; from += batchSize) {
    const batch = generateBatch(ctx, from, Math.min(batchSize, options.count - from));
    await db.transaction().execute(async (trx) => {
      await insertInChunks(trx, 'customers', batch.customers);
      await insertInChunks(trx, 'applications', batch.applications);
      await insertInChunks(trx, 'application_documents', batch.documents);
      await insertInChunks(trx, 'status_history', batch.history);
    });
    options.onProgress?.(Math.min(from + batchSize, options.count), options.count);
  }
}
