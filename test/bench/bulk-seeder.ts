/**
 * The bulk seeder of the benchmarks (`--seeder copy`): millions of demo applications with their
 * customers, documents and status history at tens of thousands a second.
 *
 * 1. Templates: the first `templates` applications (20,000 by default) are seeded by
 *    `seedDemoData` itself, so they are exactly the demo generator's: its stages, providers,
 *    statuses, flags, documents, histories, dates, assignees and sealed identification numbers.
 * 2. Secondary indexes, primary keys, unique and foreign-key constraints of the four bulk tables
 *    (and the foreign keys pointing at them) are recorded from the catalogue and dropped.
 * 3. Every further application `i` is a copy of template `i mod templates`, made inside Postgres
 *    with `INSERT … SELECT … FROM generate_series` (one statement a chunk of 100,000, every
 *    connection at once): its application, documents and history rows are the template's with
 *    new ids and every timestamp moved back by the same pseudo-random shift under an hour (the
 *    generator's own jitter), so the distributions of stage, provider status, flags, document
 *    and history shapes and ages are the generator's. The customer is new: first and last
 *    name, street, city (with its state, postal prefix and area code) and e-mail domain drawn
 *    uniformly from the values the templates hold, as the generator draws them from its lists,
 *    with the same number ranges for e-mail, phone, date of birth, street and postal code. Its
 *    identification number is its template's (sealed value, key id and last-four hash), which
 *    keeps every number openable and its last-four hash right without sealing per row: one
 *    number is shared by `count / templates` customers.
 * 4. VACUUM of the four tables while they have no index (hint bits and visibility map in one
 *    pass over each heap); keys and indexes built again from their recorded definitions, the
 *    largest tables' first, on every connection at once (as many as cores, at least two), each
 *    sorting in memory; ANALYZE; then the foreign keys added NOT VALID and validated on every
 *    connection at once, so the database ends as a migrated one does, every constraint valid.
 *
 * Derived rows the triggers keep (customer name parts) stay right: triggers fire as usual, and
 * copied customers only bear names the templates already have.
 */
import { createHash } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
import { seedDemoData } from '@desk/sandboxes';
import { connectDatabase, createPiiVault, type PiiKeySettings, type PiiVault } from '@desk/server';
import { migrateToLatest } from '@desk/server/internals';
import pg from 'pg';
import {
  fingerprintOf,
  recordSeed,
  recreateBenchDatabase,
  reusableSeed,
  type SeedRecord,
  withDatabase,
} from './bench-database.js';

const bulkTables = ['customers', 'applications', 'application_documents', 'status_history'] as const;

export type BulkSeedOptions = {
  count: number;
  seed: number;
  now: Date;
  maxAgeDays: number;
  pii: PiiVault;
  /** Applications seeded by the demo generator and copied from (20,000). */
  templates?: number;
  /** Applications per INSERT statement (100,000). */
  chunk?: number;
  /** Connections loading and indexing at once (as many as cores, at least 2). */
  connections?: number;
  log?: (line: string) => void;
};

export type BulkSeedTimings = {
  templates: number;
  templatesMs: number;
  loadMs: number;
  /** Keys and secondary indexes. */
  indexMs: number;
  /** Foreign keys: added NOT VALID, then validated. */
  foreignKeysMs: number;
  /** VACUUM before the indexes, ANALYZE after them. */
  vacuumMs: number;
  totalMs: number;
};

type Definition = { table: string; name: string; sql: string };
type Schema = { foreignKeys: Definition[]; keys: Definition[]; indexes: Definition[] };

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function schemaOf(client: pg.Client): Promise<Schema> {
  const tables = [...bulkTables];
  const constraints = await client.query<{ table: string; name: string; type: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS type, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c
     WHERE (c.contype IN ('p', 'u') AND c.conrelid = ANY($1::regclass[]))
        OR (c.contype = 'f' AND (c.conrelid = ANY($1::regclass[]) OR c.confrelid = ANY($1::regclass[])))
     ORDER BY c.conrelid::regclass::text, c.conname`,
    [tables],
  );
  const indexes = await client.query<{ table: string; name: string; def: string }>(
    `SELECT i.indrelid::regclass::text AS table, x.relname AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
     WHERE i.indrelid = ANY($1::regclass[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
     ORDER BY x.relname`,
    [tables],
  );
  const constraint = (r: { table: string; name: string; def: string }): Definition => ({
    table: r.table,
    name: r.name,
    sql: `ALTER TABLE ${r.table} ADD CONSTRAINT ${quote(r.name)} ${r.def}`,
  });
  return {
    foreignKeys: constraints.rows.filter((r) => r.type === 'f').map(constraint),
    keys: constraints.rows.filter((r) => r.type !== 'f').map(constraint),
    indexes: indexes.rows.map((r) => ({ table: r.table, name: r.name, sql: r.def })),
  };
}

export async function dropSchema(client: pg.Client, schema: Schema): Promise<void> {
  for (const fk of schema.foreignKeys) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${quote(fk.name)}`);
  for (const index of schema.indexes) await client.query(`DROP INDEX ${quote(index.name)}`);
  for (const key of schema.keys) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${quote(key.name)}`);
}

/**
 * The memory each connection's index builds may sort in: a quarter of the machine's memory
 * shared by the connections, between 512 MB and 4 GB. Ten million applications' status history
 * (34 million rows) sorts in about 2.8 GB; sorted on disk instead (at 1 GB) the same index took
 * half as long again.
 */
function sortMemoryMb(connections: number): number {
  const quarter = totalmem() / 4 / connections / 2 ** 20;
  return Math.round(Math.min(4096, Math.max(512, quarter)));
}

/** Runs the statements on the clients at once, each client taking the next one when done. */
async function runShared(clients: pg.Client[], statements: string[], log: (line: string) => void): Promise<void> {
  const queue = [...statements];
  await Promise.all(
    clients.map(async (client) => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const started = performance.now();
        await client.query(next);
        log(`  ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${next.slice(0, 110)}`);
      }
    }),
  );
}

/** Template tables: the seeded applications numbered 0…n-1, their rows, and the value lists customers draw from. */
export const templateSql = `
  CREATE UNLOGGED TABLE bulk_t_applications AS
    SELECT (row_number() OVER (ORDER BY created_at, id) - 1)::bigint AS t, a.* FROM applications a;
  CREATE UNIQUE INDEX ON bulk_t_applications (t);
  CREATE UNLOGGED TABLE bulk_t_documents AS
    SELECT a.t, (row_number() OVER (PARTITION BY a.t ORDER BY d.id))::bigint AS k, d.* FROM application_documents d JOIN bulk_t_applications a ON a.id = d.application_id;
  CREATE UNLOGGED TABLE bulk_t_history AS
    SELECT a.t, (row_number() OVER (PARTITION BY a.t ORDER BY h.id))::bigint AS k, h.* FROM status_history h JOIN bulk_t_applications a ON a.id = h.application_id;
  CREATE UNLOGGED TABLE bulk_t_customers AS
    SELECT a.t, c.identification_number_sealed, c.identification_number_key_id, c.identification_number_last4_hash
    FROM customers c JOIN bulk_t_applications a ON a.customer_id = c.id;
  CREATE UNIQUE INDEX ON bulk_t_customers (t);
  CREATE UNLOGGED TABLE bulk_t_first AS
    SELECT (row_number() OVER (ORDER BY v) - 1)::bigint AS n, v FROM (SELECT DISTINCT first_name AS v FROM customers) x;
  CREATE UNLOGGED TABLE bulk_t_last AS
    SELECT (row_number() OVER (ORDER BY v) - 1)::bigint AS n, v FROM (SELECT DISTINCT last_name AS v FROM customers) x;
  CREATE UNLOGGED TABLE bulk_t_street AS
    SELECT (row_number() OVER (ORDER BY v) - 1)::bigint AS n, v
    FROM (SELECT DISTINCT substring(street FROM '^[0-9]+ (.*)$') AS v FROM customers) x;
  CREATE UNLOGGED TABLE bulk_t_domain AS
    SELECT (row_number() OVER (ORDER BY v) - 1)::bigint AS n, v FROM (SELECT DISTINCT split_part(email, '@', 2) AS v FROM customers) x;
  CREATE UNLOGGED TABLE bulk_t_place AS
    SELECT (row_number() OVER (ORDER BY city) - 1)::bigint AS n, city, state, zip, area
    FROM (SELECT DISTINCT city, state, left(postal_code, 3) AS zip, substr(phone, 3, 3) AS area FROM customers) x;
  ANALYZE bulk_t_applications, bulk_t_documents, bulk_t_history, bulk_t_customers,
    bulk_t_first, bulk_t_last, bulk_t_street, bulk_t_domain, bulk_t_place;
`;
const templateTables = [
  'bulk_t_applications',
  'bulk_t_documents',
  'bulk_t_history',
  'bulk_t_customers',
  'bulk_t_first',
  'bulk_t_last',
  'bulk_t_street',
  'bulk_t_domain',
  'bulk_t_place',
];

type Column = { name: string; type: string };

async function columnsOf(client: pg.Client, table: string): Promise<Column[]> {
  const { rows } = await client.query<Column>(
    `SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return rows;
}

/**
 * `INSERT INTO table (…) SELECT …` copying template rows of alias `from`: columns named in
 * `overrides` take that expression, timestamps move back by the copy's shift, the rest is copied.
 */
function copyInsert(table: string, columns: Column[], from: string, overrides: Record<string, string>): string {
  const names = columns.map((c) => quote(c.name));
  const values = columns.map((c) => {
    const override = overrides[c.name];
    if (override !== undefined) return override;
    if (c.type.startsWith('timestamp')) return `${from}.${quote(c.name)} - s.shift`;
    return `${from}.${quote(c.name)}`;
  });
  return `INSERT INTO ${table} (${names.join(', ')}) SELECT ${values.join(', ')}`;
}

/**
 * A version 4 UUID made of two 64-bit hashes of `key` (deterministic for the seed; about ten
 * times cheaper than gen_random_uuid(), whose strong randomness is the load's largest cost).
 */
function uuidOf(key: string, seed: number, salt: number): string {
  const half = (k: number) => `hashint8extended(${key}, ${seed * 64 + k})`;
  // Version nibble 4, variant bits 10.
  return `encode(int8send(${half(salt)} & -61441 | 16384) || int8send(${half(salt + 1)} & 4611686018427387903 | -9223372036854775808), 'hex')::uuid`;
}

/** One statement inserting the copies $1 ≤ i < $2: customers, applications, documents and history. */
export async function chunkStatement(client: pg.Client, templates: number, seed: number): Promise<string> {
  const size = async (table: string) =>
    Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
  const first = await size('bulk_t_first');
  const last = await size('bulk_t_last');
  const street = await size('bulk_t_street');
  const domain = await size('bulk_t_domain');
  const place = await size('bulk_t_place');
  // h(k): the copy's k-th pseudo-random draw, ≥ 0; deterministic for the seed and the copy.
  const h = (k: number, modulo: number) => `abs(hashint8extended(s.i, ${seed * 64 + k}) % ${modulo})`;
  const applications = await columnsOf(client, 'applications');
  const documents = await columnsOf(client, 'application_documents');
  const history = await columnsOf(client, 'status_history');
  const customer = `
    INSERT INTO customers (id, first_name, last_name, email, phone, date_of_birth, street, city, postal_code, state,
      country, identification_number_sealed, identification_number_key_id, identification_number_last4_hash)
    SELECT s.customer_id, f.v, l.v, lower(f.v || '.' || l.v || (1 + ${h(3, 999)}) || '@' || d.v),
      '+1' || p.area || '555' || lpad(${h(4, 10000)}::text, 4, '0'),
      make_date(1945 + ${h(5, 61)}::int, 1 + ${h(6, 12)}::int, 1 + ${h(7, 28)}::int),
      (10 + ${h(8, 9990)}) || ' ' || st.v, p.city, p.zip || lpad(${h(9, 100)}::text, 2, '0'), p.state, 'USA',
      tc.identification_number_sealed, tc.identification_number_key_id, tc.identification_number_last4_hash
    FROM src s
    JOIN bulk_t_customers tc ON tc.t = s.t
    JOIN bulk_t_first f ON f.n = ${h(1, first)}
    JOIN bulk_t_last l ON l.n = ${h(2, last)}
    JOIN bulk_t_street st ON st.n = ${h(10, street)}
    JOIN bulk_t_domain d ON d.n = ${h(11, domain)}
    JOIN bulk_t_place p ON p.n = ${h(12, place)}`;
  const application = `${copyInsert('applications', applications, 'a', {
    id: 's.app_id',
    customer_id: 's.customer_id',
    provider_application_id: `${uuidOf('s.i', seed, 20)}::text`,
    provider_customer_id: `CASE WHEN a.provider_customer_id IS NULL THEN NULL ELSE ${uuidOf('s.i', seed, 22)}::text END`,
  })} FROM src s JOIN bulk_t_applications a ON a.t = s.t`;
  const document = `${copyInsert('application_documents', documents, 'd', {
    id: uuidOf('s.i * 64 + d.k', seed, 30),
    application_id: 's.app_id',
    provider_document_id: `CASE WHEN d.provider_document_id IS NULL THEN NULL ELSE ${uuidOf('s.i * 64 + d.k', seed, 32)}::text END`,
    // The templates' stored specimen files are not copied.
    file_name: 'NULL',
  })} FROM src s JOIN bulk_t_documents d ON d.t = s.t`;
  const change = `${copyInsert('status_history', history, 'th', {
    id: uuidOf('s.i * 64 + th.k', seed, 34),
    application_id: 's.app_id',
  })} FROM src s JOIN bulk_t_history th ON th.t = s.t`;
  return `
    WITH src AS MATERIALIZED (
      SELECT i, i % ${templates} AS t, ${uuidOf('i', seed, 16)} AS app_id, ${uuidOf('i', seed, 18)} AS customer_id,
        make_interval(secs => abs(hashint8extended(i, ${seed * 64})) % 3600000 / 1000.0) AS shift
      FROM generate_series($1::bigint, $2::bigint - 1) i
    ),
    c AS (${customer}),
    a AS (${application}),
    d AS (${document})
    ${change}`;
}

export async function bulkSeed(url: string, options: BulkSeedOptions): Promise<BulkSeedTimings> {
  const log = options.log ?? ((line: string) => console.log(line));
  const templates = Math.min(options.count, options.templates ?? 20_000);
  const chunk = options.chunk ?? 100_000;
  const started = performance.now();

  log(`bulk seeder: ${templates.toLocaleString('en-US')} template applications through seedDemoData…`);
  const { db, destroy } = connectDatabase(url, { max: 2 });
  try {
    await seedDemoData(db, {
      count: templates,
      seed: options.seed,
      now: options.now,
      maxAgeDays: options.maxAgeDays,
      batchSize: 5000,
      pii: options.pii,
    });
  } finally {
    await destroy();
  }
  const templatesMs = performance.now() - started;
  log(`  templates in ${(templatesMs / 1000).toFixed(1)} s`);
  const copies = options.count - templates;
  if (copies === 0)
    return { templates, templatesMs, loadMs: 0, indexMs: 0, foreignKeysMs: 0, vacuumMs: 0, totalMs: templatesMs };

  const connections = options.connections ?? Math.max(2, availableParallelism());
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  const [main] = clients;
  if (!main) throw new Error('bulk seeder: no connection');
  try {
    for (const client of clients) {
      await client.query(`SET synchronous_commit = off`);
      // Index builds sort in memory (and a foreign key's check hashes in it) rather than on disk.
      await client.query(`SET maintenance_work_mem = '${sortMemoryMb(connections)}MB'`);
      await client.query(`SET max_parallel_maintenance_workers = 0`);
      // A chunk joins tens of thousands of copies to small template tables: hash joins, in memory.
      await client.query(`SET work_mem = '256MB'`);
      await client.query(`SET enable_nestloop = off`);
    }
    await main.query(templateSql);
    const schema = await schemaOf(main);
    const statement = await chunkStatement(main, templates, options.seed);
    await dropSchema(main, schema);
    log(
      `  dropped ${schema.indexes.length} indexes, ${schema.keys.length} keys, ${schema.foreignKeys.length} foreign keys; copying ${copies.toLocaleString('en-US')} applications…`,
    );

    const loadStarted = performance.now();
    let nextFrom = templates;
    let done = templates;
    let reported = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (nextFrom < options.count) {
          const from = nextFrom;
          const to = Math.min(options.count, from + chunk);
          nextFrom = to;
          await client.query(statement, [from, to]);
          done += to - from;
          if (done - reported >= 500_000 || done === options.count) {
            reported = done;
            const seconds = (performance.now() - loadStarted) / 1000;
            log(
              `  ${done.toLocaleString('en-US').padStart(11)} / ${options.count.toLocaleString('en-US')}  ${seconds.toFixed(1).padStart(6)} s  ${Math.round((done - templates) / seconds).toLocaleString('en-US')} applications/s`,
            );
          }
        }
      }),
    );
    const loadMs = performance.now() - loadStarted;

    await main.query(`DROP TABLE ${templateTables.join(', ')}`);
    // Largest tables first, so that the connections finish their share at about the same time.
    const sizes = await main.query<{ table: string }>(
      `SELECT t AS table FROM unnest($1::text[]) t ORDER BY pg_relation_size(t::regclass) DESC`,
      [[...bulkTables]],
    );
    const bySize = sizes.rows.map((r) => r.table);
    const rank = (table: string) => {
      const at = bySize.indexOf(table);
      return at < 0 ? bySize.length : at;
    };
    const largestFirst = (list: Definition[]) => [...list].sort((a, b) => rank(a.table) - rank(b.table));

    // VACUUM before any index exists: one pass over each heap sets its hint bits and visibility
    // map, so the index builds read settled pages and the VACUUM has no index to clean up.
    const vacuumStarted = performance.now();
    await runShared(
      clients,
      bySize.map((t) => `VACUUM ${t}`),
      log,
    );
    let vacuumMs = performance.now() - vacuumStarted;

    log('  building keys and indexes again…');
    const indexStarted = performance.now();
    await runShared(
      clients,
      largestFirst([...schema.keys, ...schema.indexes]).map((d) => d.sql),
      log,
    );
    const indexMs = performance.now() - indexStarted;

    // ANALYZE once the indexes exist (expression indexes get their statistics), and before the
    // foreign keys are validated, so that their checks are planned on real row counts.
    const analyzeStarted = performance.now();
    await runShared(
      clients,
      bySize.map((t) => `ANALYZE ${t}`),
      log,
    );
    vacuumMs += performance.now() - analyzeStarted;

    // Foreign keys: added NOT VALID one after another (catalogue only), then validated on all
    // connections at once. Adding them valid takes a lock that keeps two checks against the
    // same referenced table from running together; validating takes one that does not.
    const foreignKeysStarted = performance.now();
    for (const fk of schema.foreignKeys) await main.query(`${fk.sql} NOT VALID`);
    await runShared(
      clients,
      largestFirst(schema.foreignKeys).map((fk) => `ALTER TABLE ${fk.table} VALIDATE CONSTRAINT ${quote(fk.name)}`),
      log,
    );
    const foreignKeysMs = performance.now() - foreignKeysStarted;
    return {
      templates,
      templatesMs,
      loadMs,
      indexMs,
      foreignKeysMs,
      vacuumMs,
      totalMs: performance.now() - started,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** The bulk data sets' parameters: one data set for the queue, lookup and next-case benchmarks. */
export const bulkSeedParameters = {
  generator: 'bulk',
  seed: 42,
  now: '2026-11-01T12:00:00.000Z',
  maxAgeDays: 365,
  keys: 'bench-1',
} as const;

/**
 * Fixed PII keys for benchmark databases, so that a kept database's sealed numbers and
 * last-four hashes stay readable by every later run and by every benchmark.
 */
export function benchPiiKeys(): PiiKeySettings {
  const derive = (label: string) => createHash('sha256').update(`desk benchmark: ${label}`).digest();
  return { keys: { 'bench-1': derive('sealing key') }, activeKeyId: 'bench-1', lookupKey: derive('lookup key') };
}

/**
 * A bulk-seeded database of `count` applications named `database` on the server of
 * `serverUrl`: reused when it holds exactly that data set, otherwise created, migrated to the
 * newest schema and seeded (the desk migrates a kept one when it starts).
 */
export async function bulkBenchDatabase(
  serverUrl: string,
  database: string,
  count: number,
  { reseed = false, log = (line: string) => console.log(line) } = {},
): Promise<{ record: SeedRecord; reused: boolean; timings: BulkSeedTimings | null }> {
  const fingerprint = await fingerprintOf({ ...bulkSeedParameters, count }, { sources: false });
  const kept = reseed ? null : await reusableSeed(serverUrl, fingerprint, count, database);
  if (kept) return { record: kept, reused: true, timings: null };
  await recreateBenchDatabase(serverUrl, database);
  const url = withDatabase(serverUrl, database);
  const { db, destroy } = connectDatabase(url, { max: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await destroy();
  }
  const timings = await bulkSeed(url, {
    count,
    seed: bulkSeedParameters.seed,
    now: new Date(bulkSeedParameters.now),
    maxAgeDays: bulkSeedParameters.maxAgeDays,
    pii: createPiiVault(benchPiiKeys()),
    log,
  });
  const record: SeedRecord = {
    fingerprint,
    applications: count,
    seededAt: new Date().toISOString(),
    seedMs: timings.totalMs - timings.vacuumMs,
    vacuumMs: timings.vacuumMs,
  };
  await recordSeed(serverUrl, record, database);
  log(
    `bulk seeder: ${count.toLocaleString('en-US')} applications in ${(timings.totalMs / 1000).toFixed(1)} s ` +
      `(templates ${(timings.templatesMs / 1000).toFixed(1)} s, copies ${(timings.loadMs / 1000).toFixed(1)} s = ` +
      `${Math.round((count - timings.templates) / (timings.loadMs / 1000)).toLocaleString('en-US')} applications/s, ` +
      `VACUUM and ANALYZE ${(timings.vacuumMs / 1000).toFixed(1)} s, keys and indexes ${(timings.indexMs / 1000).toFixed(1)} s, ` +
      `foreign keys ${(timings.foreignKeysMs / 1000).toFixed(1)} s; ` +
      `${Math.round(count / (timings.totalMs / 1000)).toLocaleString('en-US')} applications/s end to end)`,
  );
  return { record, reused: false, timings };
}

/** The bulk data set's database unless named: `desk_bench_10m` for ten million applications. */
export function bulkDatabaseName(count: number): string {
  return `desk_bench_${count % 1_000_000 === 0 ? `${count / 1_000_000}m` : String(count)}`;
}

/**
 * Builds again what a bulk load dropped and did not get back (say the load was stopped while
 * indexing): every key, index and foreign key of the four tables that a freshly migrated
 * database (`referenceUrl`) has and this one lacks, `connections` at once. Foreign keys are
 * added NOT VALID (the load wrote only rows that satisfy them, and new rows are checked) and
 * validated afterwards unless `validate` is false.
 */
export async function restoreBulkSchema(
  url: string,
  referenceUrl: string,
  { connections = 3, validate = true, log = (line: string) => console.log(line) } = {},
): Promise<void> {
  const reference = new pg.Client({ connectionString: referenceUrl });
  await reference.connect();
  let wanted: Schema;
  try {
    wanted = await schemaOf(reference);
  } finally {
    await reference.end();
  }
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  const [main] = clients;
  if (!main) throw new Error('restoreBulkSchema: no connection');
  try {
    for (const client of clients) {
      await client.query(`SET maintenance_work_mem = '${sortMemoryMb(connections)}MB'`);
      await client.query(`SET max_parallel_maintenance_workers = 0`);
    }
    const present = await schemaOf(main);
    const has = (list: Definition[], d: Definition) => list.some((p) => p.name === d.name && p.table === d.table);
    const missing = (kind: keyof Schema) => wanted[kind].filter((d) => !has(present[kind], d));
    const keys = missing('keys');
    const indexes = missing('indexes');
    const foreignKeys = missing('foreignKeys');
    log(`restoring ${keys.length} keys, ${indexes.length} indexes, ${foreignKeys.length} foreign keys…`);
    // Keys first (foreign keys need them), the largest tables' builds spread over the connections.
    await runShared(
      clients,
      keys.map((d) => d.sql),
      log,
    );
    await runShared(
      clients,
      indexes.map((d) => d.sql),
      log,
    );
    for (const fk of foreignKeys) await main.query(`${fk.sql} NOT VALID`);
    if (validate)
      await runShared(
        clients,
        foreignKeys.map((fk) => `ALTER TABLE ${fk.table} VALIDATE CONSTRAINT ${quote(fk.name)}`),
        log,
      );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
