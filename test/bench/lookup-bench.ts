/**
 * `pnpm bench:lookup`: support lookup and "next case" on 1,000,000 customers, real Postgres,
 * through HTTP.
 *
 * - Data: `desk_bench_lookup` on the server of DATABASE_URL, seeded with the demo generator (one
 *   customer and one Jiko application per count; numbers sealed, last four hashed) under fixed
 *   benchmark PII keys, then VACUUM ANALYZE. Kept between runs and reused while the count and the
 *   seed are unchanged (`--reseed` forces a new one); the desk brings it to the newest schema
 *   when it starts, as it would a production database.
 * - The desk: bundled and started as production runs it, in a child process.
 * - Lookup: `GET /api/customers?q=` as a support agent, 200 sequential requests per key type,
 *   terms built from randomly sampled customers; p50/p95/p99/max, whether the customer was among
 *   the first 20 answers, and whether the answer said the term could not single anyone out. A
 *   name or the start of an email is typed alone, then with the birth year (or the last name with
 *   the last four), as an agent does once the desk says the term alone matches many.
 * - Next: 20 analysts asking `POST /api/applications/next` at once, 50 times each; latency,
 *   duplicates, the cases they hold afterwards against the cases handed out, and one audit row per
 *   claim. Before it, only the cases the benchmark's analysts held are released.
 *
 * Options: --count N (1,000,000), --per-type N (200), --reseed, --next-only (just the `next`
 * phase, printed), --no-write (print only; otherwise the section between the bench:lookup markers
 * in docs/BENCHMARKS.md is rewritten).
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seedDemoData } from '@desk/sandboxes';
import { connectDatabase, createPiiVault, type Database, type PiiKeySettings } from '@desk/server';
import { migrateToLatest } from '@desk/server/internals';
import { workableStages } from '@desk/shared';
import { type Kysely, sql } from 'kysely';
import {
  fingerprintOf,
  recordSeed,
  recreateBenchDatabase,
  reusableSeed,
  type SeedRecord,
  withDatabase,
} from './bench-database.js';
import { benchSession } from './bench-session.js';
import { bulkBenchDatabase, bulkDatabaseName, benchPiiKeys as bulkPiiKeys } from './bulk-seeder.js';
import {
  buildBenchDesk,
  cpuMsOf,
  cpuMsOfCommand,
  type DeskProcess,
  deskState,
  startDeskProcess,
  stopDeskProcess,
} from './desk-process.js';
import { markdownTable, ms, type Summary, summarize, thousands } from './stats.js';

const args = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    'per-type': { type: 'string', default: '200' },
    reseed: { type: 'boolean', default: false },
    'next-only': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    // The bulk data set shared with `pnpm bench --seeder copy` (bulk-seeder.ts), e.g. ten million.
    seeder: { type: 'string', default: 'demo' },
    database: { type: 'string' },
  },
}).values;
const count = Number(args.count);
const perType = Number(args['per-type']);
if (!Number.isInteger(count) || count < 1000)
  throw new Error(`--count must be a whole number ≥ 1000, got ${args.count}`);
if (!Number.isInteger(perType) || perType < 20)
  throw new Error(`--per-type must be a whole number ≥ 20, got ${args['per-type']}`);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('DATABASE_URL is not set (a Postgres server the benchmark may create a database on)');
const bulk = args.seeder === 'copy';
const databaseName = args.database ?? (bulk ? bulkDatabaseName(count) : 'desk_bench_lookup');
const benchUrl = withDatabase(serverUrl, databaseName);
const analysts = 20;
const callsPerAnalyst = 50;
/** Calls per analyst before the measured ones (the desk optimises the path it runs). */
const warmUpCalls = 20;
const goals = { lookupP95: 100, exactP95: 10, nextP95: 50 };
/** The desk's connections: about twice the database server's cores (2 here), as README advises. */
const poolSize = 5;
const seedParameters = { generator: 'demo', seed: 11, keys: 'bench-lookup-1' };

/** Fixed keys, so that a kept database's sealed numbers and last-four hashes stay readable. */
function benchPiiKeys(): PiiKeySettings {
  const derive = (label: string) => createHash('sha256').update(`desk lookup benchmark: ${label}`).digest();
  return {
    keys: { 'bench-lookup-1': derive('sealing key') },
    activeKeyId: 'bench-lookup-1',
    lookupKey: derive('lookup key'),
  };
}

async function seedFresh(keys: PiiKeySettings): Promise<SeedRecord> {
  const fingerprint = await fingerprintOf({ ...seedParameters, count }, { sources: false });
  await recreateBenchDatabase(serverUrl ?? '', databaseName);
  const { db, destroy } = connectDatabase(benchUrl, { max: 4 });
  try {
    await migrateToLatest(db);
    console.log(`seeding ${thousands(count)} customers…`);
    const started = performance.now();
    let reported = 0;
    await seedDemoData(db, {
      count,
      seed: seedParameters.seed,
      batchSize: 10_000,
      pii: createPiiVault(keys),
      onProgress: (done) => {
        if (done - reported >= 100_000) {
          reported = done;
          console.log(`  ${thousands(done)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        }
      },
    });
    const seedMs = performance.now() - started;
    const vacuumStarted = performance.now();
    await sql`VACUUM ANALYZE`.execute(db);
    const record: SeedRecord = {
      fingerprint,
      applications: count,
      seededAt: new Date().toISOString(),
      seedMs,
      vacuumMs: performance.now() - vacuumStarted,
    };
    await recordSeed(serverUrl ?? '', record, databaseName);
    return record;
  } finally {
    await destroy();
  }
}

/**
 * Plain `node:http` on kept-alive connections: the clients share the desk's two cores, so they
 * should cost as little CPU as a client can (fetch costs about three times as much per call).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function timedRequest(
  method: 'GET' | 'POST',
  url: string,
  cookie: string,
): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          resolve({ ms: performance.now() - started, status: res.statusCode ?? 0, body });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

type Sample = {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  birth: string;
  sealed: string | null;
  keyId: string | null;
  applicationId: string;
  providerApplicationId: string;
};

function swapTwo(word: string): string {
  return word.length < 4 ? `${word}x` : `${word.slice(0, 1)}${word.slice(2, 3)}${word.slice(1, 2)}${word.slice(3)}`;
}

const kinds = [
  'application id',
  'provider application id',
  'email',
  'phone (as typed)',
  'last four',
  'email prefix',
  'name prefix',
  'misspelt name',
  'last name + last four',
  'email prefix + birth year',
  'name prefix + birth year',
  'misspelt name + birth year',
] as const;
type Kind = (typeof kinds)[number];
const exact: readonly Kind[] = ['application id', 'provider application id', 'email', 'phone (as typed)', 'last four'];
/**
 * Terms that cannot single anyone out at a million demo customers (last four alone; 60 × 60
 * names, so about 280 customers per full name): the goal is that the answer says so whenever
 * the customer is not among the first 20. Every other term: the customer among the first 20 for
 * at least 99%.
 */
const unsingling: readonly Kind[] = ['last four', 'email prefix', 'name prefix', 'misspelt name'];
/** Answers read per term: the app-bar search's page. */
const firstAnswers = 20;
const foundGoal = 0.99;

function termFor(kind: Kind, s: Sample, last4: string): string {
  const national = s.phone.replace(/\D/g, '').slice(1);
  switch (kind) {
    case 'application id':
      return s.applicationId;
    case 'provider application id':
      return s.providerApplicationId;
    case 'email':
      return s.email;
    case 'phone (as typed)':
      return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
    case 'last four':
      return last4;
    case 'email prefix': {
      const local = s.email.split('@')[0] ?? '';
      return local.slice(0, local.length - 2);
    }
    case 'name prefix': {
      const full = `${s.first_name} ${s.last_name}`;
      return full.slice(0, full.length - 2);
    }
    case 'misspelt name':
      return `${s.first_name} ${swapTwo(s.last_name)}`;
    case 'last name + last four':
      return `${s.last_name} ${last4}`;
    case 'email prefix + birth year':
      return `${termFor('email prefix', s, last4)} ${s.birth.slice(0, 4)}`;
    case 'name prefix + birth year':
      return `${termFor('name prefix', s, last4)} ${s.birth.slice(0, 4)}`;
    case 'misspelt name + birth year':
      return `${termFor('misspelt name', s, last4)} ${s.birth.slice(0, 4)}`;
  }
}

/** `found`: the customer among the first 20; `said`: the answer said the term matches many; `unsaid`: neither. */
type LookupResult = { kind: Kind; summary: Summary; found: number; said: number; unsaid: number };

function lookupMet(l: LookupResult, samples: number): { latency: boolean; finding: boolean } {
  return {
    latency: l.summary.p95 < (exact.includes(l.kind) ? goals.exactP95 : goals.lookupP95),
    finding: unsingling.includes(l.kind) ? l.unsaid === 0 : l.found >= foundGoal * samples,
  };
}

async function lookups(
  desk: DeskProcess,
  db: Kysely<Database>,
  keys: PiiKeySettings,
): Promise<{ results: LookupResult[]; samples: number }> {
  const vault = createPiiVault(keys);
  const { cookie } = await benchSession(desk.url, db, 'support');
  const samples = (
    await sql<Sample>`
      SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.date_of_birth::text AS birth,
             c.identification_number_sealed AS sealed,
             c.identification_number_key_id AS "keyId", a.id AS "applicationId", a.provider_application_id AS "providerApplicationId"
      FROM customers c TABLESAMPLE SYSTEM (1) JOIN applications a ON a.customer_id = c.id
      ORDER BY random()
      LIMIT ${perType}
    `.execute(db)
  ).rows;
  const url = (term: string) => `${desk.url}/api/customers?q=${encodeURIComponent(term)}`;
  // Warm-up (connections, plans, caches) before anything is timed.
  for (const s of samples.slice(0, 20)) {
    for (const kind of kinds) await timedRequest('GET', url(termFor(kind, s, '0000')), cookie);
  }
  console.log(`lookups: ${samples.length} customers × ${kinds.length} key types`);
  const results: LookupResult[] = [];
  for (const kind of kinds) {
    const times: number[] = [];
    let found = 0;
    let said = 0;
    let unsaid = 0;
    for (const s of samples) {
      const last4 = vault.open({ sealed: s.sealed ?? '', keyId: s.keyId ?? '' }).slice(-4);
      const result = await timedRequest('GET', url(termFor(kind, s, last4)), cookie);
      if (result.status !== 200) throw new Error(`${kind}: ${result.status} ${JSON.stringify(result.body)}`);
      times.push(result.ms);
      const body = result.body as { data: { id: string }[]; ambiguous: unknown };
      const isFound = body.data.slice(0, firstAnswers).some((h) => h.id === s.id);
      const isSaid = body.ambiguous !== null && body.ambiguous !== undefined;
      if (isFound) found += 1;
      if (isSaid) said += 1;
      if (!isFound && !isSaid) unsaid += 1;
    }
    const summary = summarize(times);
    results.push({ kind, summary, found, said, unsaid });
    console.log(
      `  ${kind}: p50 ${ms(summary.p50)} ms, p95 ${ms(summary.p95)} ms, first ${firstAnswers} ${found}/${samples.length}, said ambiguous ${said}, missed unsaid ${unsaid}`,
    );
  }
  return { results, samples: samples.length };
}

/** CPU time per call (ms) of the desk process, of every Postgres process, and of the benchmark's own clients. */
type CpuPerCall = { desk: number; postgres: number; clients: number };
type NextResult = {
  summary: Summary;
  calls: number;
  duplicates: number;
  matches: boolean;
  audited: number;
  pool: number;
  wallMs: number;
  cpu: CpuPerCall;
};

/** One `next` call; a failure says which phase it was in and how the desk process stands. */
async function nextCall(desk: DeskProcess, cookie: string, phase: string): ReturnType<typeof timedRequest> {
  try {
    return await timedRequest('POST', `${desk.url}/api/applications/next`, cookie);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`next (${phase}): ${message}; ${await deskState(desk)}`, { cause: err });
  }
}

async function nextCases(desk: DeskProcess, db: Kysely<Database>): Promise<NextResult> {
  const sessions: { cookie: string; id: string }[] = [];
  for (let i = 1; i <= analysts; i++)
    sessions.push(await benchSession(desk.url, db, 'analyst', `bench.analyst${String(i).padStart(2, '0')}@bench.desk`));
  const ids = sessions.map((s) => s.id);
  const releaseOwn = () =>
    db
      .updateTable('applications')
      .set({ assignee_id: null, claimed_at: null })
      .where('assignee_id', 'in', ids)
      .execute();
  // Warm-up (the desk compiles the path on first use), then only what the benchmark's analysts
  // hold goes back; the rest of the data set is left as seeded.
  await releaseOwn();
  await Promise.all(
    sessions.map(async ({ cookie }) => {
      for (let i = 0; i < warmUpCalls; i++) await nextCall(desk, cookie, 'warm-up');
    }),
  );
  await releaseOwn();
  const vacuumStarted = performance.now();
  await sql`VACUUM ANALYZE applications`.execute(db);
  console.log(
    `next: warmed up; VACUUM ANALYZE applications in ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s`,
  );
  const pool = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('assignee_id', 'is', null)
    .where('stage', 'in', [...workableStages])
    .executeTakeFirstOrThrow();
  const startedAt = new Date();
  const handed: string[] = [];
  const times: number[] = [];
  const cpuBefore = {
    desk: await cpuMsOf(desk.pid),
    postgres: await cpuMsOfCommand('postgres'),
    clients: process.cpuUsage(),
  };
  const started = performance.now();
  await Promise.all(
    sessions.map(async ({ cookie }) => {
      for (let i = 0; i < callsPerAnalyst; i++) {
        const result = await nextCall(desk, cookie, 'measured');
        if (result.status !== 200) throw new Error(`next: ${result.status} ${JSON.stringify(result.body)}`);
        times.push(result.ms);
        handed.push((result.body as { id: string }).id);
      }
    }),
  );
  const wallMs = performance.now() - started;
  const clientCpu = process.cpuUsage(cpuBefore.clients);
  const cpu: CpuPerCall = {
    desk: ((await cpuMsOf(desk.pid)) - cpuBefore.desk) / handed.length,
    postgres: ((await cpuMsOfCommand('postgres')) - cpuBefore.postgres) / handed.length,
    clients: (clientCpu.user + clientCpu.system) / 1000 / handed.length,
  };
  const held = await db.selectFrom('applications').select('id').where('assignee_id', 'in', ids).execute();
  const handedSet = new Set(handed);
  const audited = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('actor_id', 'in', ids)
    .where('action', '=', 'application.claimed')
    .where('at', '>=', startedAt)
    .executeTakeFirstOrThrow();
  const summary = summarize(times);
  const result: NextResult = {
    summary,
    calls: handed.length,
    duplicates: handed.length - handedSet.size,
    matches: held.length === handedSet.size && held.every((a) => handedSet.has(a.id)),
    audited: Number(audited.n),
    pool: Number(pool.n),
    wallMs,
    cpu,
  };
  console.log(
    `next: p50 ${ms(summary.p50)} ms, p95 ${ms(summary.p95)} ms, ${result.duplicates} duplicates, held = handed out: ${result.matches}, audited ${result.audited}; CPU ms per call: desk ${cpu.desk.toFixed(2)}, postgres ${cpu.postgres.toFixed(2)}, clients ${cpu.clients.toFixed(2)}`,
  );
  return result;
}

function section(
  seed: SeedRecord,
  lookup: { results: LookupResult[]; samples: number },
  next: NextResult,
  loadBefore: number[],
  serverVersion: string,
): string {
  const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' / ');
  return [
    `_Generated by \`pnpm bench:lookup\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC._`,
    '',
    `- Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM; Node ${process.version}; load average (1/5/15 min) before ${load(loadBefore)}, after ${load(loadavg())}.`,
    `- Desk: bundled, one process, ${poolSize} database connections (\`DESK_DB_POOL_SIZE\`); Postgres ${serverVersion} on the same machine.`,
    `- Data: ${thousands(count)} customers, one application each (seeded in ${(seed.seedMs / 1000).toFixed(0)} s, VACUUM ANALYZE ${(seed.vacuumMs / 1000).toFixed(0)} s, on ${seed.seededAt.slice(0, 10)}).`,
    `- Lookup: ${lookup.samples} random customers per key type, one request at a time. Found: the customer is among the first ${firstAnswers} answers. Said: the answer says the term cannot single anyone out (\`ambiguous\`). Goal: found for ≥ ${foundGoal * 100}%; for the last four alone and a name or email prefix alone, which match many demo customers, no miss left unsaid.`,
    '',
    markdownTable(
      [
        { title: 'Key type' },
        { title: 'p50 ms', align: 'right' },
        { title: 'p95 ms', align: 'right' },
        { title: 'p99 ms', align: 'right' },
        { title: 'max ms', align: 'right' },
        { title: `in first ${firstAnswers}`, align: 'right' },
        { title: 'said', align: 'right' },
        { title: 'missed, unsaid', align: 'right' },
        { title: 'Goal' },
        { title: 'Met' },
      ],
      lookup.results.map((l) => {
        const goal = exact.includes(l.kind) ? goals.exactP95 : goals.lookupP95;
        const met = lookupMet(l, lookup.samples);
        return [
          l.kind,
          ms(l.summary.p50),
          ms(l.summary.p95),
          ms(l.summary.p99),
          ms(l.summary.max),
          `${l.found}/${lookup.samples}`,
          String(l.said),
          String(l.unsaid),
          `p95 < ${goal} ms; ${unsingling.includes(l.kind) ? 'no miss unsaid' : `found ≥ ${foundGoal * 100}%`}`,
          verdict(met.latency && met.finding),
        ];
      }),
    ),
    '',
    `- Next case: ${analysts} analysts × ${callsPerAnalyst} calls at once (${thousands(next.calls)} calls; ${thousands(next.pool)} workable cases unheld before), ${(next.wallMs / 1000).toFixed(1)} s wall, ${Math.round(next.calls / (next.wallMs / 1000))} claims/s.`,
    '',
    markdownTable(
      [{ title: 'Measure' }, { title: 'Result', align: 'right' }, { title: 'Goal', align: 'right' }, { title: 'Met' }],
      [
        [
          '`next` latency p50 / p95 / p99 / max',
          `${ms(next.summary.p50)} / ${ms(next.summary.p95)} / ${ms(next.summary.p99)} / ${ms(next.summary.max)} ms`,
          `p95 < ${goals.nextP95} ms`,
          verdict(next.summary.p95 < goals.nextP95),
        ],
        ['cases handed out twice', String(next.duplicates), '0', verdict(next.duplicates === 0)],
        ['cases held afterwards = cases handed out', String(next.matches), 'true', verdict(next.matches)],
        [
          '`application.claimed` audit rows',
          thousands(next.audited),
          thousands(next.calls),
          verdict(next.audited === next.calls),
        ],
      ],
    ),
    '',
    `- CPU time per \`next\` call (from /proc, both cores together): desk process ${next.cpu.desk.toFixed(2)} ms, Postgres ${next.cpu.postgres.toFixed(2)} ms, the benchmark's own HTTP clients ${next.cpu.clients.toFixed(2)} ms.`,
  ].join('\n');
}

async function writeDocs(text: string): Promise<void> {
  const file = path.resolve(import.meta.dirname, '../../docs/BENCHMARKS.md');
  const doc = await readFile(file, 'utf8');
  const start = '<!-- bench:lookup:start -->';
  const end = '<!-- bench:lookup:end -->';
  if (!doc.includes(start) || !doc.includes(end)) throw new Error('docs/BENCHMARKS.md has no bench:lookup markers');
  await writeFile(
    file,
    `${doc.slice(0, doc.indexOf(start))}${start}\n${text}\n${end}${doc.slice(doc.indexOf(end) + end.length)}`,
  );
  console.log('written to docs/BENCHMARKS.md');
}

async function main(): Promise<void> {
  const keys = bulk ? bulkPiiKeys() : benchPiiKeys();
  const fingerprint = await fingerprintOf({ ...seedParameters, count }, { sources: false });
  const seed = bulk
    ? (await bulkBenchDatabase(serverUrl ?? '', databaseName, count, { reseed: args.reseed })).record
    : ((args.reseed ? null : await reusableSeed(serverUrl ?? '', fingerprint, count, databaseName)) ??
      (await seedFresh(keys)));
  console.log(`${databaseName}: ${thousands(seed.applications)} applications, seeded ${seed.seededAt}`);
  const { db, destroy } = connectDatabase(benchUrl, { max: 2 });
  let desk: DeskProcess | null = null;
  try {
    await buildBenchDesk();
    desk = await startDeskProcess(benchUrl, keys, { DESK_DB_POOL_SIZE: String(poolSize) });
    const loadBefore = loadavg();
    if (args['next-only']) {
      await nextCases(desk, db);
      return;
    }
    const lookup = await lookups(desk, db, keys);
    const next = await nextCases(desk, db);
    const serverVersion =
      (await sql<{ server_version: string }>`SHOW server_version`.execute(db)).rows[0]?.server_version ?? '?';
    const text = section(seed, lookup, next, loadBefore, serverVersion.split(' ')[0] ?? serverVersion);
    console.log(`\n${text}\n`);
    if (!args['no-write']) await writeDocs(text);
  } finally {
    if (desk) await stopDeskProcess(desk);
    await destroy();
  }
}

await main();
