/**
 * Support lookup and "next case" on 1,000,000 customers, real Postgres, through HTTP.
 *
 * - Lookup: `GET /api/customers?q=` as a support agent, 200 sequential queries per key type,
 *   terms sampled from random customers; p50/p95/p99/max and whether the customer was found.
 * - Next: 20 analysts asking `GET /api/applications/next` at once, 50 times each; latency and
 *   duplicates (none allowed).
 *
 * Run: DATABASE_URL=postgres://… pnpm --filter @desk/test bench:lookup [--count N] [--no-write]
 * The section between the bench:lookup markers in docs/BENCHMARKS.md is rewritten by each run.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { createLogger, createStaff, generatePiiKeys, seedDemoData, startDesk, type RunningDesk } from '@desk/server';
import { workableStages } from '@desk/shared';
import { withDatabase } from './bench-database.js';
import { markdownTable, ms, summarize, thousands, type Summary } from './stats.js';

const args = parseArgs({ options: { count: { type: 'string', default: '1000000' }, 'no-write': { type: 'boolean', default: false } } }).values;
const count = Number(args.count);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('DATABASE_URL is not set (a Postgres server the benchmark may create a database on)');
const databaseName = 'desk_bench_lookup';
const password = 'bench password for lookups';
const perType = 200;
const analysts = 20;
const callsPerAnalyst = 50;
const goals = { lookupP95: 100, exactP95: 10, nextP95: 50 };

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function signIn(desk: RunningDesk, email: string, role: 'support' | 'analyst'): Promise<string> {
  await createStaff(desk.db, { email, name: email.split('@')[0] ?? email, role, password }, { kind: 'system' });
  const res = await fetch(`${desk.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: desk.url },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

async function timedGet(url: string, cookie: string): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body: unknown = await res.json();
  return { ms: performance.now() - started, status: res.status, body };
}

type Sample = { id: string; first_name: string; last_name: string; email: string; phone: string; sealed: string | null; keyId: string | null; applicationId: string; providerApplicationId: string };

function swapTwo(word: string): string {
  return word.length < 4 ? `${word}x` : `${word.slice(0, 1)}${word.slice(2, 3)}${word.slice(1, 2)}${word.slice(3)}`;
}

const kinds = ['application id', 'provider application id', 'email', 'phone (as typed)', 'last four', 'email prefix', 'name prefix', 'misspelt name'] as const;
type Kind = (typeof kinds)[number];
const exact: readonly Kind[] = ['application id', 'provider application id', 'email', 'phone (as typed)', 'last four'];

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
    case 'email prefix':
      return (s.email.split('@')[0] ?? '').slice(0, 6);
    case 'name prefix': {
      const full = `${s.first_name} ${s.last_name}`;
      return full.slice(0, full.length - 2);
    }
    case 'misspelt name':
      return `${s.first_name} ${swapTwo(s.last_name)}`;
  }
}

async function main(): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${databaseName}`);
  const desk = await startDesk({
    database: { kind: 'url', url: withDatabase(serverUrl ?? '', databaseName) },
    port: 0,
    logger: createLogger('warn'),
    sandboxes: false,
    worker: false,
    pii: generatePiiKeys(),
  });
  try {
    console.log(`seeding ${thousands(count)} customers…`);
    const seedStarted = performance.now();
    let reported = 0;
    await seedDemoData(desk.db, {
      count,
      seed: 11,
      batchSize: 10_000,
      pii: desk.pii,
      onProgress: (done) => {
        if (done - reported >= 100_000) {
          reported = done;
          console.log(`  ${thousands(done)}`);
        }
      },
    });
    const seedMs = performance.now() - seedStarted;
    await sql`VACUUM ANALYZE`.execute(desk.db);
    const support = await signIn(desk, 'bench.support@bench.desk', 'support');

    const samples = (
      await sql<Sample>`
        SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.identification_number_sealed AS sealed,
               c.identification_number_key_id AS "keyId", a.id AS "applicationId", a.provider_application_id AS "providerApplicationId"
        FROM customers c TABLESAMPLE SYSTEM (1) JOIN applications a ON a.customer_id = c.id
        LIMIT ${perType}
      `.execute(desk.db)
    ).rows;
    // Warm-up (connections, JIT) before anything is timed.
    for (const s of samples.slice(0, 20)) {
      for (const kind of kinds) await timedGet(`${desk.url}/api/customers?q=${encodeURIComponent(termFor(kind, s, '0000'))}`, support);
    }
    console.log(`lookups: ${samples.length} customers × ${kinds.length} key types`);
    const lookup: { kind: Kind; summary: Summary; found: number }[] = [];
    for (const kind of kinds) {
      const times: number[] = [];
      let found = 0;
      for (const s of samples) {
        const last4 = desk.pii.open({ sealed: s.sealed ?? '', keyId: s.keyId ?? '' }).slice(-4);
        const result = await timedGet(`${desk.url}/api/customers?q=${encodeURIComponent(termFor(kind, s, last4))}`, support);
        if (result.status !== 200) throw new Error(`${kind}: ${result.status}`);
        times.push(result.ms);
        const ids = (result.body as { data: { id: string }[] }).data.map((h) => h.id);
        if (ids.includes(s.id)) found += 1;
      }
      lookup.push({ kind, summary: summarize(times), found });
      console.log(`  ${kind}: p95 ${ms(summarize(times).p95)} ms, found ${found}/${samples.length}`);
    }

    // "Next" under 20 analysts at once.
    const cookies: string[] = [];
    for (let i = 0; i < analysts; i++) cookies.push(await signIn(desk, `bench.analyst${i}@bench.desk`, 'analyst'));
    await desk.db.updateTable('applications').set({ assignee_id: null, claimed_at: null }).where('stage', 'in', [...workableStages]).execute();
    const pool = await desk.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stage', 'in', [...workableStages])
      .executeTakeFirstOrThrow();
    const handed: string[] = [];
    const nextTimes: number[] = [];
    const started = performance.now();
    await Promise.all(
      cookies.map(async (cookie) => {
        for (let i = 0; i < callsPerAnalyst; i++) {
          const result = await timedGet(`${desk.url}/api/applications/next`, cookie);
          if (result.status !== 200) throw new Error(`next: ${result.status}`);
          nextTimes.push(result.ms);
          handed.push((result.body as { id: string }).id);
        }
      }),
    );
    const wallMs = performance.now() - started;
    const assigned = await desk.db.selectFrom('applications').select('id').where('assignee_id', 'is not', null).where('stage', 'in', [...workableStages]).execute();
    const duplicates = handed.length - new Set(handed).size;
    const matches = assigned.length === handed.length && assigned.every((a) => handed.includes(a.id));
    const next = summarize(nextTimes);
    console.log(`next: p95 ${ms(next.p95)} ms, ${duplicates} duplicates, assigned = handed out: ${matches}`);

    const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');
    const load = loadavg().map((v) => v.toFixed(2)).join(' / ');
    const section = [
      `_Generated by \`pnpm --filter @desk/test bench:lookup\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC._`,
      '',
      `- Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM; Node ${process.version}; load average after the run ${load}.`,
      `- Data: ${thousands(count)} customers, one application each (seeded in ${(seedMs / 1000).toFixed(0)} s, then VACUUM ANALYZE).`,
      `- Lookup: ${samples.length} random customers per key type, one request at a time over HTTP as a support agent; found = the sampled customer is in the answer.`,
      '',
      markdownTable(
        [{ title: 'Key type' }, { title: 'p50 ms', align: 'right' }, { title: 'p95 ms', align: 'right' }, { title: 'p99 ms', align: 'right' }, { title: 'max ms', align: 'right' }, { title: 'found', align: 'right' }, { title: 'Goal (p95)' }, { title: 'Met' }],
        lookup.map((l) => {
          const goal = exact.includes(l.kind) ? goals.exactP95 : goals.lookupP95;
          return [l.kind, ms(l.summary.p50), ms(l.summary.p95), ms(l.summary.p99), ms(l.summary.max), `${l.found}/${samples.length}`, `< ${goal} ms`, verdict(l.summary.p95 < goal)];
        }),
      ),
      '',
      `- Next case: ${analysts} analysts × ${callsPerAnalyst} calls at once (${thousands(handed.length)} calls, ${thousands(Number(pool.n))} workable cases unassigned before), ${(wallMs / 1000).toFixed(1)} s wall.`,
      '',
      markdownTable(
        [{ title: 'Measure' }, { title: 'Result', align: 'right' }, { title: 'Goal', align: 'right' }, { title: 'Met' }],
        [
          ['`next` latency p50 / p95 / p99 / max', `${ms(next.p50)} / ${ms(next.p95)} / ${ms(next.p99)} / ${ms(next.max)} ms`, `p95 < ${goals.nextP95} ms`, verdict(next.p95 < goals.nextP95)],
          ['cases handed out twice', String(duplicates), '0', verdict(duplicates === 0)],
          ['cases assigned = cases handed out', String(matches), 'true', verdict(matches)],
        ],
      ),
    ].join('\n');
    console.log(`\n${section}\n`);
    if (!args['no-write']) {
      const file = path.resolve(import.meta.dirname, '../../docs/BENCHMARKS.md');
      const text = await readFile(file, 'utf8');
      const start = '<!-- bench:lookup:start -->';
      const end = '<!-- bench:lookup:end -->';
      const block = `${start}\n${section}\n${end}`;
      const next = text.includes(start)
        ? text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length)
        : `${text.trimEnd()}\n\n## Customer lookup and "next case" (1,000,000 customers)\n\n${lookupMethod}\n\n${block}\n`;
      await writeFile(file, next);
      console.log('written to docs/BENCHMARKS.md');
    }
  } finally {
    await desk.close();
    await admin(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  }
}

const lookupMethod = `The desk runs in the benchmark's process on real Postgres (\`startDesk\`, sandboxes and workers off),
seeded with the demo generator (one customer and one Jiko application per count; identification
numbers sealed, last four hashed). Lookups go through HTTP with a support agent's session; terms
are built from randomly sampled customers: ids as stored, the email, the phone as a person types it
(\`(AAA) BBB-CCCC\`), the last four (opened from the sealed value for the test, matched by the desk
through its keyed hash), the first 6 characters of the email, the full name minus 2 characters,
and the name with two letters of the last name swapped. \`next\` is 20 sessions calling at once.

\`\`\`sh
DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm --filter @desk/test bench:lookup
\`\`\``;

await main();
