/**
 * Writes demo data in batches: staff and agreements first, then customers, applications,
 * their documents and histories. Deterministic for a given seed and reference time.
 *
 * Bulk rows go in as one array parameter per column,
 * `INSERT INTO t (…) SELECT * FROM unnest($1::uuid[], $2::text[], …)`, a few thousand rows per
 * statement: a handful of parameters however many rows, and far less work per row than a
 * multi-row VALUES list. The next batch is generated while the current one is written.
 *
 * The generator draws each UUID from a 32-bit PRNG state, so across a million applications a
 * few ids repeat (about 30 in 1,000,000). A customer or application whose id (or provider
 * application id) is already taken gets a replacement derived from the taken one, and the rows
 * of that application follow it; below a few thousand applications this never happens and the
 * rows are exactly the generated ones.
 */
import { createHash } from 'node:crypto';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { ApplicationDocumentTable, ApplicationTable, CustomerTable, Database, StatusHistoryTable } from '../db/schema.js';
import { demoAgreements, demoStaff, generateBatch, type DemoContext } from './demo-data.js';

export type SeedOptions = {
  count: number;
  seed?: number;
  now?: Date;
  maxAgeDays?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
};

/** Rows per INSERT … SELECT FROM unnest(…) statement. */
const rowsPerInsert = 5000;
/** Applications generated between two yields to the event loop, so that writing goes on meanwhile. */
const applicationsPerSlice = 250;
/** Replacement ids tried for one row before giving up (one is all it ever takes). */
const maxReplacements = 5;

type BulkTable = 'customers' | 'applications' | 'application_documents' | 'status_history';
const bulkTables: readonly BulkTable[] = ['customers', 'applications', 'application_documents', 'status_history'];
/** Column name → its type without modifiers (`timestamp with time zone`), to cast the array parameters. */
type ColumnTypes = ReadonlyMap<string, string>;

/** A generated batch, with the index (within the batch) of the application each document and history row belongs to. */
type SeedBatch = {
  customers: Insertable<CustomerTable>[];
  applications: Insertable<ApplicationTable>[];
  documents: Insertable<ApplicationDocumentTable>[];
  documentOwners: number[];
  history: Insertable<StatusHistoryTable>[];
  historyOwners: number[];
};

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
 * With `skipConflictsOn`, rows that would violate a unique constraint are skipped (as are later
 * duplicates within the same rows) and returned; that column must identify a row.
 */
async function insertRows<T extends BulkTable>(
  db: Kysely<Database>,
  table: T,
  types: ColumnTypes,
  rows: readonly Insertable<Database[T]>[],
  skipConflictsOn?: string,
): Promise<Insertable<Database[T]>[]> {
  const skipped: Insertable<Database[T]>[] = [];
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
      const chunk = groupRows.slice(i, i + rowsPerInsert);
      const records: Record<string, unknown>[] = chunk;
      const arrays = columns.map((column, k) => sql`${records.map((r) => r[column] ?? null)}::${casts[k]}`);
      const insert = sql`
        INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
        SELECT * FROM unnest(${sql.join(arrays)})
      `;
      if (!skipConflictsOn) {
        await insert.execute(db);
        continue;
      }
      const { rows: inserted } = await sql<{ key: string }>`
        ${insert} ON CONFLICT DO NOTHING RETURNING ${sql.ref(skipConflictsOn)}::text AS key
      `.execute(db);
      if (inserted.length === chunk.length) continue;
      // A key that came back belongs to the first row that carried it.
      const written = new Set(inserted.map((r) => r.key));
      chunk.forEach((row, k) => {
        const key = String(records[k]?.[skipConflictsOn]);
        if (written.has(key)) written.delete(key);
        else skipped.push(row);
      });
    }
  }
  return skipped;
}

/** A v4-shaped UUID derived from a taken one: deterministic, and collision-free in practice. */
function replacementUuid(taken: string): string {
  const h = createHash('sha256').update(`desk-demo-replacement:${taken}`).digest('hex');
  const variant = (8 + (Number.parseInt(h.charAt(16), 16) & 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function writeCustomers(db: Kysely<Database>, types: ColumnTypes, batch: SeedBatch): Promise<void> {
  let pending = batch.customers;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > maxReplacements) throw new Error('seed: could not find free customer ids');
    pending = await insertRows(db, 'customers', types, pending, 'id');
    for (const customer of pending) {
      const index = batch.customers.indexOf(customer);
      const application = batch.applications[index];
      if (!customer.id || !application) throw new Error('seed: a customer without its application');
      customer.id = replacementUuid(customer.id);
      application.customer_id = customer.id;
    }
  }
}

async function writeApplications(db: Kysely<Database>, types: ColumnTypes, batch: SeedBatch): Promise<void> {
  let pending = batch.applications;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > maxReplacements) throw new Error('seed: could not find free application ids');
    pending = await insertRows(db, 'applications', types, pending, 'id');
    if (pending.length === 0) break;
    // Which key was taken: the id, the provider's application id, or both.
    const ids = pending.flatMap((a) => (a.id ? [a.id] : []));
    const takenIds = new Set((await db.selectFrom('applications').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    const takenProviderIds = new Set(
      (
        await db
          .selectFrom('applications')
          .select(['provider', 'provider_application_id'])
          .where('provider_application_id', 'in', pending.map((a) => a.provider_application_id))
          .execute()
      ).map((r) => `${r.provider}/${r.provider_application_id}`),
    );
    for (const application of pending) {
      const index = batch.applications.indexOf(application);
      if (!application.id) throw new Error('seed: an application without an id');
      if (takenProviderIds.has(`${application.provider}/${application.provider_application_id}`)) {
        application.provider_application_id = replacementUuid(application.provider_application_id);
      }
      if (takenIds.has(application.id)) {
        const id = replacementUuid(application.id);
        application.id = id;
        batch.documentOwners.forEach((owner, k) => {
          const document = batch.documents[k];
          if (owner === index && document) document.application_id = id;
        });
        batch.historyOwners.forEach((owner, k) => {
          const change = batch.history[k];
          if (owner === index && change) change.application_id = id;
        });
      }
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The same rows as `generateBatch(ctx, from, count)` (each application has its own generator,
 * so generating one at a time changes nothing), made a slice at a time so that pending writes
 * keep moving, with the owner of each document and history row noted.
 */
async function generateInSlices(ctx: DemoContext, from: number, count: number): Promise<SeedBatch> {
  const batch: SeedBatch = { customers: [], applications: [], documents: [], documentOwners: [], history: [], historyOwners: [] };
  for (let i = from; i < from + count; i++) {
    const one = generateBatch(ctx, i, 1);
    const owner = batch.applications.length;
    batch.customers.push(...one.customers);
    batch.applications.push(...one.applications);
    for (const document of one.documents) {
      batch.documents.push(document);
      batch.documentOwners.push(owner);
    }
    for (const change of one.history) {
      batch.history.push(change);
      batch.historyOwners.push(owner);
    }
    if ((i - from + 1) % applicationsPerSlice === 0) await yieldToEventLoop();
  }
  if (batch.customers.length !== batch.applications.length) throw new Error('seed: one customer per application expected');
  return batch;
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
  const ctx: DemoContext = { seed, now, staff: knownStaff, agreements, maxAgeDays: options.maxAgeDays };
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
      await writeCustomers(trx, typesOf('customers'), batch);
      await writeApplications(trx, typesOf('applications'), batch);
      await insertRows(trx, 'application_documents', typesOf('application_documents'), batch.documents);
      await insertRows(trx, 'status_history', typesOf('status_history'), batch.history);
    });
    options.onProgress?.(Math.min(from + batchSize, options.count), options.count);
  }
}
