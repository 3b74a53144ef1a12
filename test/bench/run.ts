/**
 * `pnpm bench`: the review queue (`GET /api/applications`) on a million applications.
 *
 * Seeds 1,000,000 demo applications into the database `desk_bench` on the Postgres server of
 * DATABASE_URL (reused on later runs unless `--reseed`), starts the real desk on it and times
 * page 1 and a page 10,000 pages deep for the default view and several filter combinations,
 * over HTTP, sequentially. Prints a Markdown table and writes it into docs/BENCHMARKS.md.
 *
 * Options: --reseed, --requests N (200), --warmup N (20), --count N (1,000,000),
 * --depth N (10,000), --no-write (print only), --seeder demo|copy (demo: `seedDemoData` into
 * `desk_bench`; copy: the bulk seeder of bulk-seeder.ts into `desk_bench_10m` for ten million,
 * shared with `pnpm bench:lookup --seeder copy`), --database NAME, --stats-requests N (20),
 * --statistics-only (the statistics requests alone, printed).
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mountSandboxes, seedDemoData } from '@desk/sandboxes';
import { createLogger, type Database, generatePiiKeys, type PiiVault, type RunningDesk, startDesk } from '@desk/server';
import { encodeCursor, listApplications } from '@desk/server/internals';
import { type ApplicationList, type ApplicationListQuery, applicationListQuerySchema } from '@desk/shared';
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
// The exact cursor format and query path of the server, not a copy of them.
import {
  benchDatabaseName,
  fingerprintOf,
  recordSeed,
  recreateBenchDatabase,
  reusableSeed,
  type SeedRecord,
  withDatabase,
} from './bench-database.js';
import { signIn } from './bench-session.js';
import { benchPiiKeys, bulkBenchDatabase, bulkDatabaseName } from './bulk-seeder.js';
import { type Scenario, type StatisticsScenario, scenarios, statisticsScenarios } from './scenarios.js';
import { markdownTable, ms, type Summary, summarize, thousands } from './stats.js';

const pageSize = 50;
const p95Goal = 50;
const statisticsP95Goal = 100;
const ratioGoal = 2;
const seedParameters = { seed: 42, now: '2026-11-01T12:00:00.000Z', maxAgeDays: 365, batchSize: 10_000 };
const docsPath = path.resolve(import.meta.dirname, '../../docs/BENCHMARKS.md');
const startMarker = '<!-- bench:queue:start -->';
const endMarker = '<!-- bench:queue:end -->';

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    reseed: { type: 'boolean', default: false },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    count: { type: 'string', default: '1000000' },
    depth: { type: 'string', default: '10000' },
    'no-write': { type: 'boolean', default: false },
    seeder: { type: 'string', default: 'demo' },
    'stats-requests': { type: 'string', default: '20' },
    'statistics-only': { type: 'boolean', default: false },
    database: { type: 'string' },
  },
});
const bulk = args.seeder === 'copy';
if (!bulk && args.seeder !== 'demo') fail(`--seeder must be demo or copy, got ${args.seeder}`);
function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive whole number, got ${raw}`);
  return n;
}
const requests = positiveInt('requests', args.requests);
const warmup = positiveInt('warmup', args.warmup);
const count = positiveInt('count', args.count);
const depth = positiveInt('depth', args.depth);
const statsRequests = positiveInt('stats-requests', args['stats-requests']);

const serverUrl: string =
  process.env.DATABASE_URL ||
  fail(
    'DATABASE_URL is not set. The benchmark needs a real Postgres server, e.g.\n' +
      '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench\n' +
      `It creates (or reuses) a database named ${benchDatabaseName} on that server.`,
  );
const databaseName = args.database ?? (bulk ? bulkDatabaseName(count) : benchDatabaseName);
if (!/^[a-z_][a-z0-9_]*$/.test(databaseName)) fail(`--database must be a plain lower-case name, got ${databaseName}`);
const benchUrl = withDatabase(serverUrl, databaseName);

type PageResult = {
  page: number;
  /** Rows skipped before this page. */
  offset: number;
  latency: Summary;
  plan: string[];
  executionMs: number | null;
};
type ScenarioResult = { scenario: Scenario; matching: number; first: PageResult; deep: PageResult | null };

/** The query string as Express parses it with the 'simple' parser: repeated keys become arrays. */
function queryObject(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function urlFor(desk: RunningDesk, scenario: Scenario, cursor: string | null): string {
  const parts = [scenario.query, `limit=${pageSize}`, cursor ? `cursor=${cursor}` : ''].filter(Boolean);
  return `${desk.url}/api/applications?${parts.join('&')}`;
}

/** The signed-in analyst's session cookie, sent with every request (the queue needs a session). */
let sessionCookie = '';

async function getPage(url: string): Promise<ApplicationList> {
  const res = await fetch(url, { headers: { cookie: sessionCookie } });
  if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as ApplicationList;
}

/** `n` sequential requests, timed from sending to the whole body read. */
async function timeRequests(url: string, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers: { cookie: sessionCookie } });
    await res.arrayBuffer();
    samples.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}`);
  }
  return samples;
}

/** The row `offset` rows into the filter's order, and the one after it. */
async function rowsAt(db: Kysely<Database>, scenario: Scenario, query: ApplicationListQuery, offset: number) {
  const column = query.sort === 'updatedAt' ? sql.ref('a.updated_at') : sql.ref('a.created_at');
  const direction = sql.raw(query.order === 'desc' ? 'DESC' : 'ASC');
  const { rows } = await sql<{ id: string; at: Date }>`
    SELECT a.id, ${column} AS at FROM applications a
    WHERE ${scenario.where ?? sql`true`}
    ORDER BY ${column} ${direction}, a.id ${direction}
    OFFSET ${offset} LIMIT 2
  `.execute(db);
  return rows;
}

async function countMatching(db: Kysely<Database>, scenario: Scenario): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM applications a WHERE ${scenario.where ?? sql`true`}`.execute(db);
  return rows[0]?.n ?? 0;
}

/**
 * The plan of the very query the server runs for this page: the service is called on a Kysely
 * that records what it executes, and that SQL is run again under EXPLAIN ANALYZE.
 */
async function explainPage(
  pool: pg.Pool,
  pii: PiiVault,
  query: ApplicationListQuery,
): Promise<{ plan: string[]; executionMs: number | null }> {
  const executed: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') executed.push(event.query);
    },
  });
  await listApplications({ db, pii }, query, null);
  const compiled = executed.at(-1);
  if (!compiled) throw new Error('the queue query was not captured');
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${compiled.sql}`, [
    ...compiled.parameters,
  ]);
  const plan = rows.map((r) => r['QUERY PLAN']);
  const execution = plan.map((line) => /^Execution Time: ([\d.]+) ms/.exec(line)).find((m) => m !== null);
  return { plan, executionMs: execution?.[1] ? Number(execution[1]) : null };
}

async function measurePage(
  desk: RunningDesk,
  pool: pg.Pool,
  scenario: Scenario,
  page: number,
  offset: number,
  cursor: string | null,
  expectedFirstId: string | null,
): Promise<PageResult> {
  const url = urlFor(desk, scenario, cursor);
  const check = await getPage(url);
  if (check.data.length !== pageSize)
    throw new Error(`${scenario.name}, page ${page}: ${check.data.length} rows, expected ${pageSize}`);
  if (expectedFirstId && check.data[0]?.id !== expectedFirstId) {
    throw new Error(`${scenario.name}, page ${page}: starts at ${check.data[0]?.id}, expected ${expectedFirstId}`);
  }
  await timeRequests(url, warmup);
  const latency = summarize(await timeRequests(url, requests));
  const query = applicationListQuerySchema.parse({
    ...queryObject(scenario.query),
    limit: String(pageSize),
    ...(cursor ? { cursor } : {}),
  });
  const { plan, executionMs } = await explainPage(pool, desk.pii, query);
  return { page, offset, latency, plan, executionMs };
}

async function measureScenario(desk: RunningDesk, pool: pg.Pool, scenario: Scenario): Promise<ScenarioResult> {
  const query = applicationListQuerySchema.parse(queryObject(scenario.query));
  const matching = await countMatching(desk.db, scenario);
  const first = await measurePage(desk, pool, scenario, 1, 0, null, null);
  // The deepest full page that exists, at most `depth`.
  const deepPage = Math.min(depth, Math.floor(matching / pageSize));
  let deep: PageResult | null = null;
  if (deepPage >= 2) {
    const offset = (deepPage - 1) * pageSize;
    const [before, firstOfPage] = await rowsAt(desk.db, scenario, query, offset - 1);
    if (!before || !firstOfPage) throw new Error(`${scenario.name}: no row at offset ${offset}`);
    const sort = query.sort === 'updatedAt' ? 'updatedAt' : 'createdAt';
    const cursor = encodeCursor(query.order, { sort, at: before.at, id: before.id });
    deep = await measurePage(desk, pool, scenario, deepPage, offset, cursor, firstOfPage.id);
  }
  return { scenario, matching, first, deep };
}

type StatisticsResult = { scenario: StatisticsScenario; latency: Summary };

/** Each statistics request `statsRequests` times in a row, as a senior analyst (who may read both), after 3 unmeasured. */
async function measureStatistics(desk: RunningDesk): Promise<StatisticsResult[]> {
  const cookie = await signIn(desk.url, desk.db, 'senior_analyst');
  const results: StatisticsResult[] = [];
  for (const scenario of statisticsScenarios) {
    const url = `${desk.url}${scenario.path}`;
    const samples: number[] = [];
    for (let i = 0; i < statsRequests + 3; i++) {
      const started = performance.now();
      const res = await fetch(url, { headers: { cookie } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${url} → ${res.status}`);
      if (i >= 3) samples.push(performance.now() - started);
    }
    const latency = summarize(samples);
    console.log(`statistics, ${scenario.name}: p50 ${ms(latency.p50)} ms, p95 ${ms(latency.p95)} ms`);
    results.push({ scenario, latency });
  }
  return results;
}

function statisticsTable(results: StatisticsResult[]): string {
  return markdownTable(
    [
      { title: 'Statistics' },
      { title: 'Request' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p95 ms', align: 'right' },
      { title: 'max ms', align: 'right' },
      { title: `p95 < ${statisticsP95Goal} ms` },
    ],
    results.map((r) => [
      r.scenario.name,
      `\`${r.scenario.path}\``,
      ms(r.latency.p50),
      ms(r.latency.p95),
      ms(r.latency.max),
      verdict(r.latency.p95 < statisticsP95Goal),
    ]),
  );
}

async function seed(desk: RunningDesk): Promise<SeedRecord> {
  const started = performance.now();
  let lastReported = 0;
  console.log(`seeding ${thousands(count)} applications into ${databaseName}…`);
  await seedDemoData(desk.db, {
    count,
    seed: seedParameters.seed,
    now: new Date(seedParameters.now),
    maxAgeDays: seedParameters.maxAgeDays,
    batchSize: seedParameters.batchSize,
    pii: desk.pii,
    onProgress: (done, total) => {
      if (done - lastReported < 50_000 && done < total) return;
      lastReported = done;
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  ${thousands(done).padStart(9)} / ${thousands(total)}  ${seconds.toFixed(1).padStart(6)} s  ${thousands(Math.round(done / seconds))} applications/s`,
      );
    },
  });
  const seedMs = performance.now() - started;
  console.log(`seeded in ${(seedMs / 1000).toFixed(1)} s; VACUUM (ANALYZE)…`);
  const vacuumStarted = performance.now();
  // As autovacuum would leave it: hint bits set, visibility map and statistics current.
  await sql`VACUUM (ANALYZE) customers, applications, application_documents, status_history`.execute(desk.db);
  const vacuumMs = performance.now() - vacuumStarted;
  console.log(`vacuumed and analysed in ${(vacuumMs / 1000).toFixed(1)} s`);
  return { fingerprint: '', applications: count, seededAt: new Date().toISOString(), seedMs, vacuumMs };
}

type Environment = {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  settings: string;
  tables: { name: string; rows: number; size: string }[];
};

async function environmentOf(db: Kysely<Database>): Promise<Environment> {
  const version = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db);
  const settings = await sql<{ name: string; setting: string }>`
    SELECT name, current_setting(name) AS setting FROM pg_settings
    WHERE name IN ('shared_buffers', 'effective_cache_size', 'work_mem', 'random_page_cost', 'jit')
    ORDER BY name
  `.execute(db);
  const tables = await sql<{ name: string; rows: number; size: string }>`
    SELECT c.relname AS name, c.reltuples::bigint AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
    FROM pg_class c
    WHERE c.relname IN ('applications', 'customers', 'application_documents', 'status_history')
    ORDER BY pg_total_relation_size(c.oid) DESC
  `.execute(db);
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: version.rows[0]?.v ?? 'unknown',
    settings: settings.rows.map((s) => `${s.name}=${s.setting}`).join(', '),
    tables: tables.rows,
  };
}

const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');

function resultsTable(results: ScenarioResult[]): string {
  const rows: string[][] = [];
  for (const { scenario, matching, first, deep } of results) {
    const query = scenario.query ? `\`${scenario.query}\`` : '(none)';
    const row = (p: PageResult, ratio: string) => [
      scenario.name,
      query,
      thousands(matching),
      thousands(p.page),
      ms(p.latency.p50),
      ms(p.latency.p95),
      ms(p.latency.p99),
      p.executionMs === null ? '—' : ms(p.executionMs),
      ratio,
    ];
    rows.push(row(first, '—'));
    if (deep) rows.push(row(deep, `${(deep.latency.p95 / first.latency.p95).toFixed(2)}×`));
  }
  return markdownTable(
    [
      { title: 'Scenario' },
      { title: 'Filter' },
      { title: 'Matching rows', align: 'right' },
      { title: 'Page', align: 'right' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p95 ms', align: 'right' },
      { title: 'p99 ms', align: 'right' },
      { title: 'DB exec ms', align: 'right' },
      { title: 'p95 deep ÷ page 1', align: 'right' },
    ],
    rows,
  );
}

function goalsSummary(results: ScenarioResult[]): string[] {
  const pages = results.flatMap((r) => [r.first, ...(r.deep ? [r.deep] : [])]);
  const worstP95 = Math.max(...pages.map((p) => p.latency.p95));
  const ratios = results.flatMap((r) => (r.deep ? [r.deep.latency.p95 / r.first.latency.p95] : []));
  const worstRatio = Math.max(...ratios);
  const shallow = results.filter((r) => r.deep && r.deep.page < depth);
  return [
    `- p95 under ${p95Goal} ms on every page: ${verdict(worstP95 < p95Goal)} (worst p95 ${ms(worstP95)} ms).`,
    `- Deep pages within ${ratioGoal}× of page 1 (p95): ${verdict(worstRatio <= ratioGoal)} (worst ${worstRatio.toFixed(2)}×).`,
    ...(shallow.length
      ? [
          `- Filters with fewer than ${thousands(depth * pageSize)} matching rows are measured at their deepest full page instead of page ${thousands(depth)}: ${shallow
            .map((r) => `${r.scenario.name} (page ${thousands(r.deep?.page ?? 0)})`)
            .join(', ')}.`,
        ]
      : []),
  ];
}

function plansSection(results: ScenarioResult[]): string {
  const out: string[] = [];
  for (const { scenario, first, deep } of results) {
    for (const p of [first, ...(deep ? [deep] : [])]) {
      out.push(`**${scenario.name}, page ${thousands(p.page)}**`, '', '```', ...p.plan, '```', '');
    }
  }
  return out.join('\n');
}

function generatedSection(input: {
  results: ScenarioResult[];
  statistics: StatisticsResult[];
  env: Environment;
  seedRecord: SeedRecord;
  reused: boolean;
  load: { before: number[]; after: number[] };
  date: string;
}): string {
  const { results, statistics, env, seedRecord, reused, load, date } = input;
  const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
  const loadText = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');
  return [
    startMarker,
    `_Generated by \`pnpm bench\` on ${date}._`,
    '',
    `- Machine: ${env.cores} × ${env.cpu}, ${env.memoryGb} GB RAM; Node ${env.node}; PostgreSQL ${env.postgres} on the same machine (${env.settings}).`,
    `- Data: ${thousands(seedRecord.applications)} applications (seed ${seedParameters.seed}, created over ${seedParameters.maxAgeDays} days before ${seedParameters.now}): ${env.tables
      .map((t) => `${t.name} ${thousands(t.rows)} rows, ${t.size}`)
      .join('; ')}.`,
    `- Seeding took ${seconds(seedRecord.seedMs)} (then ${seconds(seedRecord.vacuumMs)} of VACUUM ANALYZE) on ${seedRecord.seededAt.slice(0, 10)}${reused ? '; this run reused that database' : ''}.`,
    `- ${thousands(requests)} sequential requests per page after ${thousands(warmup)} warm-up requests, limit ${pageSize}. Load average (1/5/15 min) before: ${loadText(load.before)}, after: ${loadText(load.after)}.`,
    '',
    resultsTable(results),
    '',
    ...goalsSummary(results),
    '',
    `Statistics, ${thousands(statsRequests)} sequential requests each after 3 unmeasured:`,
    '',
    statisticsTable(statistics),
    '',
    '<details><summary>Query plans (EXPLAIN ANALYZE of the exact SQL the server runs, warm cache)</summary>',
    '',
    plansSection(results),
    '</details>',
    endMarker,
  ].join('\n');
}

const docsIntro = `# Benchmarks

## Review queue: \`GET /api/applications\` on a million applications

\`pnpm bench\` seeds 1,000,000 demo applications (with their customers, documents and status
history, through \`seedDemoData\`) into a database \`desk_bench\` on the Postgres server of
\`DATABASE_URL\`, starts the real desk on it (\`startDesk\`: Express + Kysely + pg, with its job
workers and the built-in sandboxes mounted, as \`pnpm start\` runs it; log level \`warn\`, so no per-request log lines) and requests
the queue over HTTP with \`fetch\`: page 1 and a page 10,000 pages deep (limit ${pageSize}, so a keyset
cursor after 499,950 rows) for the default view and several filter combinations. A filter that
matches fewer than 500,000 rows is measured at its deepest full page instead (named below).
Requests are sequential, from one client in the same Node process, timed from sending the
request to reading the whole body. Goal: p95 under ${p95Goal} ms at any depth and deep pages within
${ratioGoal}× of page 1.

The cursor for a deep page is computed directly (the row at that offset in the same
\`ORDER BY (created_at, id)\` or \`(updated_at, id)\`, encoded with the server's own
\`encodeCursor\`), not reached by paging; the first row the server returns is checked against the
database. "DB exec" is the execution time of the exact SQL the server ran for that page
(captured from the service and run again under \`EXPLAIN ANALYZE\`); the plans are at the end.

To rerun:

\`\`\`sh
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench            # reuses desk_bench if already seeded
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench --reseed   # drops and seeds it again
\`\`\`

Options: \`--requests N\` (200), \`--warmup N\` (20), \`--depth N\` (10,000), \`--count N\`
(1,000,000), \`--no-write\` (print only). \`desk_bench\` is reused only when it holds exactly the
wanted number of applications and was seeded with the same parameters and the same migration
sources (recorded in the database's comment), so an edited index list is always measured on a
fresh database. The section between the \`bench:queue\` markers is rewritten by each run; the
rest of this file is kept. Each run also times the statistics (\`GET /api/dashboard\` and the
counts above the queue, \`GET /api/applications/stats\`, as a senior analyst; \`--stats-requests N\`,
20; \`--statistics-only\` for those alone). \`--seeder copy\` seeds with the bulk seeder instead
(into \`desk_bench_10m\` for \`--count 10000000\`, or \`--database NAME\`): see "Ten million
applications" below.

`;

async function writeDocs(section: string): Promise<void> {
  let existing: string | null = null;
  try {
    existing = await readFile(docsPath, 'utf8');
  } catch {
    existing = null;
  }
  const start = existing?.indexOf(startMarker) ?? -1;
  const end = existing?.indexOf(endMarker) ?? -1;
  const next =
    existing !== null && start >= 0 && end > start
      ? existing.slice(0, start) + section + existing.slice(end + endMarker.length)
      : `${docsIntro}${section}\n`;
  await writeFile(docsPath, next);
}

async function main(): Promise<void> {
  const fingerprint = await fingerprintOf({ ...seedParameters, count });
  let seedRecord: SeedRecord | null = null;
  let reused: boolean;
  if (bulk) {
    // Seeded before the desk starts: the load drops and rebuilds the tables' indexes.
    const prepared = await bulkBenchDatabase(serverUrl, databaseName, count, { reseed: args.reseed });
    seedRecord = prepared.record;
    reused = prepared.reused;
    if (reused) console.log(`reusing ${databaseName}: ${thousands(count)} applications (--reseed to start over)`);
  } else {
    seedRecord = args.reseed ? null : await reusableSeed(serverUrl, fingerprint, count, databaseName);
    reused = seedRecord !== null;
    if (reused)
      console.log(
        `reusing ${databaseName}: ${thousands(count)} applications, same seed and migrations (--reseed to start over)`,
      );
    else await recreateBenchDatabase(serverUrl, databaseName);
  }

  const desk = await startDesk({
    database: { kind: 'url', url: benchUrl },
    port: 0,
    logger: createLogger(process.env.LOG_LEVEL ?? 'warn'),
    sandboxes: mountSandboxes(),
    pii: bulk ? benchPiiKeys() : generatePiiKeys(),
  });
  const explainPool = new pg.Pool({ connectionString: benchUrl, max: 1 });
  try {
    if (!seedRecord) {
      seedRecord = { ...(await seed(desk)), fingerprint };
      await recordSeed(serverUrl, seedRecord, databaseName);
    }
    sessionCookie = await signIn(desk.url, desk.db, 'analyst');
    const env = await environmentOf(desk.db);
    const loadBefore = os.loadavg();
    const results: ScenarioResult[] = [];
    if (args['statistics-only']) {
      const statistics = await measureStatistics(desk);
      const loadAfter = os.loadavg();
      console.log(
        `\n${statisticsTable(statistics)}\n\nLoad average before ${loadBefore.map((v) => v.toFixed(2)).join(' / ')}, after ${loadAfter.map((v) => v.toFixed(2)).join(' / ')}\n`,
      );
      return;
    }
    for (const scenario of scenarios) {
      process.stdout.write(`measuring ${scenario.name}… `);
      const result = await measureScenario(desk, explainPool, scenario);
      results.push(result);
      console.log(
        [result.first, ...(result.deep ? [result.deep] : [])]
          .map((p) => `page ${thousands(p.page)}: p50 ${ms(p.latency.p50)} ms, p95 ${ms(p.latency.p95)} ms`)
          .join('; '),
      );
    }
    const statistics = await measureStatistics(desk);
    const loadAfter = os.loadavg();
    const section = generatedSection({
      results,
      statistics,
      env,
      seedRecord,
      reused,
      load: { before: loadBefore, after: loadAfter },
      date: `${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    });
    console.log(
      `\n${resultsTable(results)}\n\n${goalsSummary(results).join('\n')}\n\n${statisticsTable(statistics)}\n\nLoad average before ${loadBefore.map((v) => v.toFixed(2)).join(' / ')}, after ${loadAfter.map((v) => v.toFixed(2)).join(' / ')}\n`,
    );
    if (!args['no-write']) {
      await writeDocs(section);
      console.log(`written to ${path.relative(process.cwd(), docsPath)}`);
    }
  } finally {
    await explainPool.end();
    await desk.close();
  }
}

await main();
