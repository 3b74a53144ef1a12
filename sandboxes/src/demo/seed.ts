/**
 * Writes demo data in batches: staff and agreements first, then customers, applications,
 * their documents and histories. Deterministic for a given seed and reference time.
 *
 * Bulk rows go in as one array parameter per column,
 * `INSERT INTO t (…) SELECT * FROM unnest($1::uuid[], $2::text[], …)`, a few thousand rows per
 * statement: a handful of parameters however many rows, and far less work per row than a
 * multi-row VALUES list. The next batch is generated while the current one is written.
 */

import {
  type ApplicationDocumentTable,
  type ApplicationTable,
  type ClearCustomer,
  type Database,
  type PiiVault,
  type StatusHistoryTable,
  sealCustomer,
} from '@desk/server';
import { type Insertable, type Kysely, sql } from 'kysely';
import { type DemoContext, demoAgreements, demoStaff, generateBatch } from './demo-data.js';

export type SeedOptions = {
  /** Seals the demo customers' identification numbers. */
  pii: PiiVault;
  count: number;
  seed?: number;
  now?: Date;
  maxAgeDays?: number;
  batchSize?: number;
  /** See `DemoContext.specimenApplications`. */
  specimenApplications?: number;
  onProgress?: (done: number, total: number) => void;
};

/** Rows per INSERT … SELECT FROM unnest(…) statement. */
const rowsPerInsert = 5000;
/** Applications generated between two yields to the event loop, so that writing goes on meanwhile. */
const applicationsPerSlice = 250;

type BulkTable = 'customers' | 'applications' | 'application_documents' | 'status_history';
const bulkTables: readonly BulkTable[] = ['customers', 'applications', 'application_documents', 'status_history'];
/** Column name → its type without modifiers (`timestamp with time zone`), to cast the array parameters. */
type ColumnTypes = ReadonlyMap<string, string>;

type SeedBatch = {
  customers: ClearCustomer[];
  applications: Insertable<ApplicationTable>[];
  documents: Insertable<ApplicationDocumentTable>[];
  contents: { document_id: string; bytes: Buffer }[];
  history: Insertable<StatusHistoryTable>[];
};

/** Stored files per INSERT: each is a few kilobytes. */
const contentsPerInsert = 200;

async function columnTypesOf(db: Kysely<Database>, table: BulkTable): Promise<ColumnTypes> {
  const { rows } = await sql<{ name: string; type: string }>`
    SELECT attname AS name, format_type(atttypid, NULL) AS type
    FROM pg_attribute
    WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped
  `.execute(db);
  return new Map(rows.map((r) => [r.name, r.type]));
}

/**
 * Inserts rows with one array parameter per column. Like Kysely's `values()`, a key whose value
 * is undefined is left to the column default; rows are grouped by the columns they set.
 */
async function insertRows<T extends BulkTable>(
  db: Kysely<Database>,
  table: T,
  types: ColumnTypes,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  const groups = new Map<string, { columns: string[]; rows: Insertable<Database[T]>[] }>();
  for (const row of rows) {
    const record: Record<string, unknown> = row;
    const columns = Object.keys(record).filter((c) => record[c] !== undefined);
    const key = columns.join(',');
    let group = groups.get(key);
    if (!group) {
      group = { columns, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  for (const { columns, rows: groupRows } of groups.values()) {
    const casts = columns.map((column) => {
      const type = types.get(column);
      if (!type) throw new Error(`seed: ${table} has no column ${column}`);
      return sql.raw(`${type}[]`);
    });
    for (let i = 0; i < groupRows.length; i += rowsPerInsert) {
      const records: Record<string, unknown>[] = groupRows.slice(i, i + rowsPerInsert);
      const arrays = columns.map((column, k) => sql`${records.map((r) => r[column] ?? null)}::${casts[k]}`);
      await sql`
        INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
        SELECT * FROM unnest(${sql.join(arrays)})
      `.execute(db);
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The same rows as `generateBatch(ctx, from, count)` (each application has its own generator,
 * so generating one at a time changes nothing), made a slice at a time so that pending writes
 * keep moving.
 */
async function generateInSlices(ctx: DemoContext, from: number, count: number): Promise<SeedBatch> {
  const batch: SeedBatch = { customers: [], applications: [], documents: [], contents: [], history: [] };
  for (let i = from; i < from + count; i++) {
    const one = generateBatch(ctx, i, 1);
    batch.customers.push(...one.customers);
    batch.applications.push(...one.applications);
    batch.documents.push(...one.documents);
    batch.contents.push(...one.contents);
    batch.history.push(...one.history);
    if ((i - from + 1) % applicationsPerSlice === 0) await yieldToEventLoop();
  }
  return batch;
}

export async function seedDemoData(db: Kysely<Database>, options: SeedOptions): Promise<void> {
  const seed = options.seed ?? 42;
  const now = options.now ?? new Date();
  const staff = demoStaff(seed);
  const agreements = demoAgreements(now);
  await db
    .insertInto('staff')
    .values(staff)
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
  await db
    .insertInto('agreements')
    .values(agreements)
    .onConflict((oc) => oc.columns(['provider', 'version']).doNothing())
    .execute();
  // Existing staff keep their ids; demo rows must point at those.
  const knownStaff = await db.selectFrom('staff').select(['id', 'email', 'name', 'role']).execute();
  const ctx: DemoContext = {
    seed,
    now,
    staff: knownStaff,
    agreements,
    maxAgeDays: options.maxAgeDays,
    specimenApplications: options.specimenApplications,
  };
  const batchSize = options.batchSize ?? 5000;
  const types = new Map<BulkTable, ColumnTypes>();
  for (const table of bulkTables) types.set(table, await columnTypesOf(db, table));
  const typesOf = (table: BulkTable): ColumnTypes => types.get(table) ?? new Map();

  const generate = (from: number) => {
    const pending = generateInSlices(ctx, from, Math.min(batchSize, options.count - from));
    // Observed below; this only keeps a failure from surfacing as unhandled while a write is awaited.
    pending.catch(() => undefined);
    return pending;
  };
  let next = options.count > 0 ? generate(0) : null;
  for (let from = 0; next; from += batchSize) {
    const batch = await next;
    next = from + batchSize < options.count ? generate(from + batchSize) : null;
    await db.transaction().execute(async (trx) => {
      await insertRows(
        trx,
        'customers',
        typesOf('customers'),
        batch.customers.map((c) => sealCustomer(options.pii, c)),
      );
      await insertRows(trx, 'applications', typesOf('applications'), batch.applications);
      await insertRows(trx, 'application_documents', typesOf('application_documents'), batch.documents);
      for (let i = 0; i < batch.contents.length; i += contentsPerInsert)
        await trx
          .insertInto('document_contents')
          .values(batch.contents.slice(i, i + contentsPerInsert))
          .execute();
      await insertRows(trx, 'status_history', typesOf('status_history'), batch.history);
    });
    options.onProgress?.(Math.min(from + batchSize, options.count), options.count);
  }
}
