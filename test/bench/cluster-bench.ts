/**
 * `pnpm bench:cluster`: the desk as several processes under faults, on real Postgres.
 *
 * Two API processes (`DESK_WORKER=false`) behind a small load balancer and two worker processes,
 * all bundled and started as production starts them; the three built-in provider sandboxes run
 * in this process on servers of their own, behind recorders that count every call the desk
 * makes to them, and send their webhooks to the load balancer. A mixed load runs for a bounded
 * time (intake at all three providers, analysts taking cases with "next", uploading and
 * recording outcomes, support agents searching customers, one export); a third of the way in,
 * one API process and one worker are killed with SIGKILL and restarted at once. When the
 * load stops and the queues drain, the benchmark checks that nothing was lost or done twice
 * (see `checks`), and measures the write ceiling: signed webhooks sent as fast as asked for,
 * received → applied → audited by the two APIs and the two workers.
 *
 * Environment: DATABASE_URL (the Postgres server; default postgres://postgres@127.0.0.1:5432/postgres;
 * the benchmark creates its own database and drops it at the end), CLUSTER_SECONDS (mixed load,
 * default 60), CLUSTER_ANALYSTS (default 6), CLUSTER_CEILING_SECONDS (default 20; 0 skips it),
 * CLUSTER_CEILING_RATE (events/s offered, default 600). `--no-write` prints the section instead of
 * rewriting the one between the bench:cluster markers in docs/BENCHMARKS.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  createFinSandbox,
  createJikoSandbox,
  createKycSandbox,
  migrateSandboxes,
  serveFinSandbox,
  serveJikoSandbox,
  serveKycSandbox,
  signJikoWebhook,
} from '@desk/sandboxes';
import { connectDatabase, createLogger, createStaff, type Database } from '@desk/server';
import { verifyAuditChain } from '@desk/server/internals';
import type { StaffRole } from '@desk/shared';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { deskClient, type SignedInClient, signInClient } from '../support/desk.js';
import { withDatabase } from './bench-database.js';
import {
  analystLoop,
  exportOnce,
  intakeLoop,
  type Kind,
  type LoadOptions,
  newRecord,
  supportLoop,
} from './cluster/load.js';
import {
  buildServer,
  type ClusterProcess,
  freePort,
  killAll,
  startApi,
  startWorker,
  stopProcess,
} from './cluster/processes.js';
import { type Exchange, startProxy } from './cluster/proxy.js';
import { cpuMsOf, cpuMsOfCommand } from './desk-process.js';
import { markdownTable, ms, summarize, thousands } from './stats.js';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.CLUSTER_SECONDS ?? 60);
const analystCount = Number(process.env.CLUSTER_ANALYSTS ?? 6);
const ceilingSeconds = Number(process.env.CLUSTER_CEILING_SECONDS ?? 20);
const ceilingRate = Number(process.env.CLUSTER_CEILING_RATE ?? 600);
/** The goal for the write ceiling: events a second, received to applied. */
const ceilingGoal = 500;
const cores = os.cpus().length;
const write = !process.argv.includes('--no-write');
const database = `desk_cluster_${process.pid}`;
const databaseUrl = withDatabase(serverUrl, database);
const password = 'cluster bench password for the desk';

// ---------------------------------------------------------------- cleanup, whatever happens

async function dropDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    dropDatabase().finally(() => process.exit(130));
  });
}
/** The whole run is bounded: past this, everything is killed and the database dropped. */
const hardLimit = setTimeout(
  () => {
    console.error('cluster bench: time limit reached, stopping');
    killAll();
    dropDatabase().finally(() => process.exit(3));
  },
  (seconds + ceilingSeconds + 600) * 1000,
);
hardLimit.unref();

// ---------------------------------------------------------------- the cluster

/** Credentials of our own: a desk refuses the sandboxes' published ones for a provider at a base URL. */
const secrets = {
  JIKO_USERNAME: 'cluster-bench',
  JIKO_PASSWORD: randomBytes(12).toString('hex'),
  JIKO_SIGNING_SECRET: randomBytes(16).toString('hex'),
  JIKO_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
  FIN_API_TOKEN: randomBytes(16).toString('hex'),
  FIN_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
  KYC_API_KEY: randomBytes(16).toString('hex'),
  KYC_WEBHOOK_SECRET: randomBytes(16).toString('hex'),
};

type Sandboxes = {
  calls: Map<string, Exchange[]>;
  stop(): Promise<void>;
  baseUrls: { jiko: string; fin: string; kyc: string };
};

async function startSandboxes(db: Kysely<Database>, lb: string): Promise<Sandboxes> {
  await migrateSandboxes(db);
  const logger = createLogger('warn');
  const jiko = createJikoSandbox({
    db,
    credentials: { username: secrets.JIKO_USERNAME, password: secrets.JIKO_PASSWORD },
    signingSecret: secrets.JIKO_SIGNING_SECRET,
    webhook: { url: `${lb}/api/webhooks/jiko`, secret: secrets.JIKO_WEBHOOK_SECRET },
    decisionDelayMs: 300,
    logger,
  });
  const fin = createFinSandbox({
    db,
    apiToken: secrets.FIN_API_TOKEN,
    webhook: { url: `${lb}/api/webhooks/fin`, secret: secrets.FIN_WEBHOOK_SECRET },
    reviewDelayMs: 300,
    logger,
  });
  const kyc = createKycSandbox({
    db,
    apiKey: secrets.KYC_API_KEY,
    webhook: { url: `${lb}/api/webhooks/kyc`, secret: secrets.KYC_WEBHOOK_SECRET },
    reviewDelayMs: 1000,
    documentOrigin: lb,
    logger,
  });
  const served = [
    await serveJikoSandbox(jiko.router),
    await serveFinSandbox(fin.router),
    await serveKycSandbox(kyc.router),
  ];
  const calls = new Map<string, Exchange[]>();
  const names = ['jiko', 'fin', 'kyc'] as const;
  const recorders = await Promise.all(
    served.map((s, i) => {
      const base = new URL(s.baseUrl);
      const log: Exchange[] = [];
      calls.set(names[i] ?? '', log);
      return startProxy({ targets: () => [base.origin], onExchange: (e) => log.push(e) }).then((proxy) => ({
        proxy,
        baseUrl: `${proxy.url}${base.pathname}`,
      }));
    }),
  );
  for (const sandbox of [jiko, fin, kyc]) sandbox.start();
  return {
    calls,
    baseUrls: {
      jiko: recorders[0]?.baseUrl ?? '',
      fin: recorders[1]?.baseUrl ?? '',
      kyc: recorders[2]?.baseUrl ?? '',
    },
    async stop() {
      await Promise.all([jiko, fin, kyc].map((s) => s.stop()));
      await Promise.all(recorders.map((r) => r.proxy.close()));
      await Promise.all(served.map((s) => s.close()));
    },
  };
}

// ---------------------------------------------------------------- helpers

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(100);
  }
}

async function count(db: Kysely<Database>, query: RawBuilder<unknown>): Promise<number> {
  const { rows } = await query.execute(db);
  const row = rows[0] as { n: string | number } | undefined;
  return Number(row?.n ?? 0);
}

/** What is still in flight: undelivered sandbox events, unapplied webhooks, unsettled actions, open jobs. */
async function inFlight(db: Kysely<Database>): Promise<Record<string, number>> {
  return {
    sandboxEvents: await count(
      db,
      sql`SELECT (SELECT count(*) FROM sandbox.jiko_webhook_events WHERE status = 'pending')
        + (SELECT count(*) FROM sandbox.fin_webhook_events WHERE status = 'pending')
        + (SELECT count(*) FROM sandbox.kyc_webhook_events WHERE status = 'pending') AS n`,
    ),
    jikoDecisions: await count(db, sql`SELECT count(*) AS n FROM sandbox.jiko_applications WHERE status = 'SUBMITTED'`),
    unapplied: await count(db, sql`SELECT count(*) AS n FROM webhook_inbox WHERE applied_at IS NULL`),
    actions: await count(db, sql`SELECT count(*) AS n FROM provider_actions WHERE state NOT IN ('done', 'gave_up')`),
    // Intakes the desk is still retrying (where intake goes through its own outbox).
    intakes: await count(db, sql`SELECT count(*) AS n FROM intakes WHERE state NOT IN ('done', 'gave_up')`).catch(
      () => 0,
    ),
    jobs: await count(
      db,
      sql`SELECT count(*) AS n FROM pgboss.job WHERE name <> 'reconcile' AND state IN ('created', 'retry', 'active')`,
    ),
  };
}

async function drain(db: Kysely<Database>, timeoutMs: number): Promise<{ ms: number; left: Record<string, number> }> {
  const started = Date.now();
  let left: Record<string, number> = {};
  let quiet = 0;
  while (Date.now() - started < timeoutMs) {
    left = await inFlight(db);
    quiet = Object.values(left).every((n) => n === 0) ? quiet + 1 : 0;
    // Twice in a row, a second apart: a decision can raise an event right after a look.
    if (quiet >= 2) break;
    await pause(1000);
  }
  return { ms: Date.now() - started, left };
}

// ---------------------------------------------------------------- the run

type Check = { name: string; ok: boolean; detail: string };

async function main(): Promise<void> {
  const loadStart = os.loadavg();
  console.log(`cluster bench: building the server bundle`);
  await buildServer();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  const apiTargets: string[] = [];
  const lbExchanges: Exchange[] = [];
  const lb = await startProxy({ targets: () => apiTargets, onExchange: (e) => lbExchanges.push(e) });
  const apiPorts = [await freePort(), await freePort()];
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    DESK_DB_POOL_SIZE: '8',
    DESK_PII_KEYS: `bench-1:${randomBytes(32).toString('base64')}`,
    DESK_PII_LOOKUP_KEY: randomBytes(32).toString('base64'),
    DESK_SANDBOXES: 'false',
    DESK_DEMO_DATA: 'false',
    DESK_PUBLIC_URL: lb.url,
    // A job whose worker died is taken again after this long.
    DESK_JOB_EXPIRE_SECONDS: '10',
    DESK_RECONCILE_SECONDS: '0',
    LOG_LEVEL: 'warn',
    ...secrets,
  };

  // The first API process migrates the database; the sandboxes need its schema.
  const apis: ClusterProcess[] = [];
  const workers: ClusterProcess[] = [];
  const setProviderEnv = (urls: Sandboxes['baseUrls']) => {
    env.JIKO_BASE_URL = urls.jiko;
    env.FIN_BASE_URL = urls.fin;
    env.KYC_BASE_URL = urls.kyc;
  };
  // Provider addresses are needed before any desk starts: reserve them with the sandboxes on a
  // database the first API migrates. Start a throwaway API to migrate, then the sandboxes.
  const migrator = await startApi('migrator', await freePort(), {
    ...env,
    JIKO_BASE_URL: 'http://127.0.0.1:9/sandbox/jiko',
    FIN_BASE_URL: 'http://127.0.0.1:9/sandbox/fin',
    KYC_BASE_URL: 'http://127.0.0.1:9/sandbox/kyc',
  });
  await stopProcess(migrator);
  const { db, destroy } = connectDatabase(databaseUrl, { max: 6 });
  const sandboxes = await startSandboxes(db, lb.url);
  setProviderEnv(sandboxes.baseUrls);

  let result: string;
  try {
    console.log('cluster bench: starting two API processes and two workers');
    for (const [i, port] of apiPorts.entries()) {
      apis.push(await startApi(`api-${i + 1}`, port, env));
      apiTargets.push(`http://127.0.0.1:${port}`);
    }
    for (const i of [1, 2]) workers.push(await startWorker(`worker-${i}`, env));

    // Staff, created as `pnpm desk staff:create` does, signed in through the load balancer.
    const member = async (email: string, role: StaffRole) => {
      await createStaff(db, { email, name: email.split('@')[0] ?? email, role, password }, { kind: 'system' });
      return signInClient(lb.url, email, password);
    };
    const analysts: SignedInClient[] = [];
    for (let i = 0; i < analystCount; i++) analysts.push(await member(`analyst.${i}@bench.desk`, 'analyst'));
    const intakers = [await member('intake.1@bench.desk', 'analyst'), await member('intake.2@bench.desk', 'analyst')];
    const support = [await member('support.1@bench.desk', 'support'), await member('support.2@bench.desk', 'support')];
    const auditor = await member('auditor@bench.desk', 'auditor');
    await createStaff(
      db,
      { email: 'throttled@bench.desk', name: 'throttled', role: 'support', password },
      { kind: 'system' },
    );

    // ---- the mixed load, with the faults a third of the way in
    const record = newRecord();
    const loadStarted = Date.now();
    const endsAt = loadStarted + seconds * 1000;
    const load: LoadOptions = { lb: lb.url, until: () => Date.now() >= endsAt, record };
    const counter = { n: 0 };
    const loops = [
      ...intakers.map((c) => intakeLoop(load, c, counter, 150)),
      ...analysts.map((c, i) => analystLoop(load, c, i)),
      ...support.map((c) => supportLoop(load, c, 200)),
    ];
    console.log(`cluster bench: mixed load for ${seconds} s`);

    const faults = (async () => {
      await pause((seconds * 1000) / 3);
      const victimApi = apis[0] as ClusterProcess;
      const victimWorker = workers[0] as ClusterProcess;
      const activeJobs = (
        await sql<{
          id: string;
        }>`SELECT id::text FROM pgboss.job WHERE state = 'active' AND name <> 'reconcile'`.execute(db)
      ).rows.map((r) => r.id);
      const killedAt = Date.now();
      victimApi.child.kill('SIGKILL');
      victimWorker.child.kill('SIGKILL');
      await Promise.all([victimApi.exited, victimWorker.exited]);
      console.log(
        `cluster bench: killed ${victimApi.name} and ${victimWorker.name} (${activeJobs.length} jobs active)`,
      );
      const [api, worker] = await Promise.all([
        startApi(victimApi.name, apiPorts[0] as number, env),
        startWorker(victimWorker.name, env),
      ]);
      const apiBackMs = Date.now() - killedAt;
      const workerBackMs = Date.now() - killedAt;
      apis[0] = api;
      workers[0] = worker;
      // The jobs that were being worked on when the worker died are taken again and finished.
      const jobsResumedMs = await until('the jobs active at the kill to finish', 120_000, async () => {
        if (activeJobs.length === 0) return 0;
        const left = await count(
          db,
          sql`SELECT count(*) AS n FROM pgboss.job WHERE id::text IN (${sql.join(activeJobs)}) AND state NOT IN ('completed', 'failed', 'cancelled')`,
        );
        return left === 0 ? Date.now() - killedAt : null;
      });
      return { killedAt, apiBackMs, workerBackMs, jobsResumedMs, activeJobs: activeJobs.length };
    })();

    // Throttling shared: failures through one process, then the right password refused on both.
    const throttle = faults.then(async () => {
      const attempt = (url: string, pw: string) =>
        deskClient(url, null).post('/api/auth/login', { email: 'throttled@bench.desk', password: pw });
      const [first, second] = apiTargets as [string, string];
      const failures: number[] = [];
      for (const [i, url] of [first, second, first, second, first].entries())
        failures.push((await attempt(url, `wrong ${i}`)).status);
      const after = [(await attempt(second, password)).status, (await attempt(first, password)).status];
      return { failures, after };
    });

    const exported = (async () => {
      await pause((seconds * 1000) / 2);
      return exportOnce(load, auditor);
    })();

    await Promise.all(loops);
    const loadMs = Date.now() - loadStarted;
    const fault = await faults;
    const throttled = await throttle;
    const exportRows = await exported;
    const loadEnd = os.loadavg();
    const webhooksDuringLoad = lbExchanges.filter((e) => e.path.startsWith('/api/webhooks/')).length;

    console.log('cluster bench: load stopped; draining the queues');
    const drained = await drain(db, 180_000);

    // ---- checks
    const checks: Check[] = [];
    const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });

    // Provider calls: one entity at the provider per application, one upload per delivered action.
    const deskApps = (
      await sql<{
        provider: string;
        n: string;
      }>`SELECT provider, count(*) AS n FROM applications GROUP BY provider`.execute(db)
    ).rows;
    const deskCount = (p: string) => Number(deskApps.find((r) => r.provider === p)?.n ?? 0);
    const atProvider = {
      jiko: await count(db, sql`SELECT count(*) AS n FROM sandbox.jiko_applications`),
      fin: await count(db, sql`SELECT count(*) AS n FROM sandbox.fin_customers`),
      kyc: await count(db, sql`SELECT count(*) AS n FROM sandbox.kyc_customers`),
    };
    const createdBy = (p: string) => record.created.filter((c) => c.provider === p).length;
    const entityTable = {
      jiko: 'sandbox.jiko_applications',
      fin: 'sandbox.fin_customers',
      kyc: 'sandbox.kyc_customers',
    };
    const intakeStates = await sql<{ provider: string; state: string; gave_up: boolean; n: string }>`
      SELECT provider, state, gave_up, count(*) AS n FROM intakes GROUP BY 1, 2, 3`
      .execute(db)
      .then((r) => r.rows)
      .catch(() => []);
    for (const p of ['jiko', 'fin', 'kyc'] as const) {
      // Held at the provider but by no application of the desk: a create done twice, or one the desk lost.
      const unheld = await count(
        db,
        sql`SELECT count(*) AS n FROM ${sql.table(entityTable[p])} e
          WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.provider = ${p} AND a.provider_application_id = e.id::text)`,
      );
      const intakes = intakeStates
        .filter((r) => r.provider === p)
        .map((r) => `${r.state}${r.gave_up ? ' (gave up)' : ''} ${r.n}`)
        .join(', ');
      // An intake whose answer was lost with the killed process may still have been made: the
      // desk holding more than were answered is fine; the provider holding more than the desk is not.
      check(
        `${p}: one customer at the provider per application`,
        atProvider[p] === deskCount(p) && unheld === 0 && deskCount(p) >= createdBy(p),
        `intake answered ${createdBy(p)}, desk holds ${deskCount(p)}, provider holds ${atProvider[p]} (${unheld} held by no application)` +
          (intakes ? `; intakes: ${intakes}` : ''),
      );
    }
    const uploads = (
      await sql<{ key: string; state: string }>`
        SELECT pa.idempotency_key AS key, pa.state FROM provider_actions pa
        WHERE pa.kind = 'upload_document'`.execute(db)
    ).rows;
    const doneKeys = new Set(uploads.filter((u) => u.state === 'done').map((u) => u.key));
    const jikoUploadCalls = (sandboxes.calls.get('jiko') ?? []).filter(
      (e) => e.method === 'POST' && e.path.includes('/documents') && e.status >= 200 && e.status < 300,
    );
    const calledKeys = new Set(jikoUploadCalls.map((e) => String(e.headers['x-jiko-idempotency'] ?? '')));
    const lostUploads = [...doneKeys].filter((k) => !calledKeys.has(k)).length;
    const strayKeys = [...calledKeys].filter((k) => !doneKeys.has(k)).length;
    const uploadedAtProvider = await count(
      db,
      sql`SELECT count(*) AS n FROM sandbox.jiko_documents WHERE uploaded_at IS NOT NULL`,
    );
    check(
      'uploads: every delivered action reached the provider once',
      lostUploads === 0 && strayKeys === 0 && uploadedAtProvider === doneKeys.size,
      `${uploads.length} upload actions (${doneKeys.size} done); ${jikoUploadCalls.length} successful calls with ${calledKeys.size} distinct keys; ${uploadedAtProvider} documents uploaded at the provider; lost ${lostUploads}, unmatched ${strayKeys}`,
    );
    check(
      'provider actions all settled',
      uploads.every((u) => u.state === 'done'),
      `states: ${JSON.stringify(Object.fromEntries([...new Set(uploads.map((u) => u.state))].map((s) => [s, uploads.filter((u) => u.state === s).length])))}`,
    );

    // Webhooks: every event a sandbox sent is stored once, applied, and audited once.
    let sent = 0;
    let missing = 0;
    let undelivered = 0;
    for (const p of ['jiko', 'fin', 'kyc'] as const) {
      const events = (
        await sql<{
          id: string;
          status: string;
        }>`SELECT id, status FROM ${sql.table(`sandbox.${p}_webhook_events`)}`.execute(db)
      ).rows;
      sent += events.length;
      undelivered += events.filter((e) => e.status !== 'delivered').length;
      const stored = new Set(
        (
          await sql<{ event_id: string }>`SELECT event_id FROM webhook_inbox WHERE provider = ${p}`.execute(db)
        ).rows.map((r) => r.event_id),
      );
      missing += events.filter((e) => !stored.has(e.id)).length;
    }
    const unapplied = await count(db, sql`SELECT count(*) AS n FROM webhook_inbox WHERE applied_at IS NULL`);
    const inbox = await count(db, sql`SELECT count(*) AS n FROM webhook_inbox`);
    const auditedTwice = await count(
      db,
      sql`SELECT count(*) AS n FROM (SELECT entity_id FROM audit_events WHERE action = 'webhook.received'
        GROUP BY entity_id HAVING count(*) > 1) t`,
    );
    const audited = await count(db, sql`SELECT count(*) AS n FROM audit_events WHERE action = 'webhook.received'`);
    check(
      'webhooks: every event sent was stored once, applied and audited once',
      missing === 0 && undelivered === 0 && unapplied === 0 && auditedTwice === 0 && audited === inbox,
      `${sent} sent by the sandboxes, ${inbox} stored, ${missing} missing, ${undelivered} undelivered, ${unapplied} unapplied, ${audited} audited (${auditedTwice} twice)`,
    );

    // Status history: no transition recorded twice, none skipped.
    const history = (
      await sql<{ rows: string; repeated: string; broken: string }>`
        SELECT count(*) AS rows,
          count(*) FILTER (WHERE prev_to IS NOT NULL AND to_status = prev_to AND to_stage = prev_stage
            AND from_status IS NOT DISTINCT FROM prev_from) AS repeated,
          count(*) FILTER (WHERE prev_to IS NOT NULL AND from_status IS DISTINCT FROM prev_to) AS broken
        FROM (SELECT to_status, to_stage, from_status,
            lag(to_status) OVER w AS prev_to, lag(to_stage) OVER w AS prev_stage, lag(from_status) OVER w AS prev_from
          FROM status_history WINDOW w AS (PARTITION BY application_id ORDER BY at, id)) h`.execute(db)
    ).rows[0];
    check(
      'status history: every transition once',
      Number(history?.repeated) === 0 && Number(history?.broken) === 0,
      `${history?.rows} rows, ${history?.repeated} repeated, ${history?.broken} not following the one before`,
    );

    // Next case: no case handed to two analysts.
    const caseIds = record.handedOut.map((h) => h.caseId);
    const claimedTwiceInDb = await count(
      db,
      sql`SELECT count(*) AS n FROM (SELECT application_id FROM audit_events WHERE action = 'application.claimed'
        GROUP BY application_id HAVING count(*) > 1) t`,
    );
    check(
      '"next": no case handed out twice',
      new Set(caseIds).size === caseIds.length && claimedTwiceInDb === 0,
      `${caseIds.length} cases handed out, ${new Set(caseIds).size} distinct; ${claimedTwiceInDb} claimed twice in the audit trail`,
    );

    // Sessions signed in before the kill are valid on every process, the restarted one included.
    let sessionsOk = 0;
    let sessionsTried = 0;
    for (const client of [...analysts, ...support, auditor]) {
      for (const url of apiTargets) {
        sessionsTried++;
        if ((await deskClient(url, client.cookie).get('/api/auth/me')).status === 200) sessionsOk++;
      }
    }
    check(
      'sessions valid on every process',
      sessionsOk === sessionsTried,
      `${sessionsOk}/${sessionsTried} (sessions started before the kill, asked of each process)`,
    );
    check(
      'sign-in throttling shared',
      throttled.failures.every((s) => s === 401) && throttled.after.every((s) => s === 429),
      `failures alternating between the processes answered ${throttled.failures.join(', ')}; the right password then ${throttled.after.join(', ')}`,
    );

    const chain = await verifyAuditChain(db);
    check('audit chain intact', chain.ok, `${thousands(chain.checked)} rows checked`);
    check(
      'queues drained',
      Object.values(drained.left).every((n) => n === 0),
      `in ${ms(drained.ms / 1000)} s; left: ${JSON.stringify(drained.left)}`,
    );

    // ---- the write ceiling
    const ceiling = ceilingSeconds > 0 ? await measureCeiling(db, [...apiTargets], { apis, workers }) : null;
    const probe = ceilingSeconds > 0 ? await probeChainLock() : null;

    result = report({
      record,
      loadMs,
      fault,
      checks,
      exportRows,
      ceiling,
      probe,
      webhooksDuringLoad,
      load: { start: loadStart, end: loadEnd, after: os.loadavg() },
    });
  } finally {
    for (const p of [...apis, ...workers]) await stopProcess(p).catch(() => p.child.kill('SIGKILL'));
    await sandboxes.stop().catch(() => undefined);
    await lb.close();
    await destroy();
    await dropDatabase();
  }
  console.log(result);
  if (write) await writeSection(result);
}

// ---------------------------------------------------------------- the write ceiling

type CpuPart = 'api' | 'worker' | 'postgres' | 'benchmark';

/**
 * CPU time (ms) used so far by the API processes, the workers, every Postgres process, and this
 * process (the senders, the load balancer, the sandboxes and their recorders).
 */
async function cpuByPart(processes: {
  apis: readonly ClusterProcess[];
  workers: readonly ClusterProcess[];
}): Promise<Record<CpuPart, number>> {
  const sum = async (list: readonly ClusterProcess[]) =>
    (await Promise.all(list.map((p) => (p.child.pid ? cpuMsOf(p.child.pid) : 0)))).reduce((a, b) => a + b, 0);
  const own = process.cpuUsage();
  return {
    api: await sum(processes.apis),
    worker: await sum(processes.workers),
    postgres: await cpuMsOfCommand('postgres'),
    benchmark: (own.user + own.system) / 1000,
  };
}

/** Where an event's CPU time went, against what the goal allows on this machine's cores. */
function cpuSentence(perEvent: Record<CpuPart, number>): string {
  const parts = Object.entries(perEvent).map(([part, used]) => `${part} ${used.toFixed(2)} ms`);
  const all = Object.values(perEvent).reduce((a, b) => a + b, 0);
  const allowed = (cores * 1000) / ceilingGoal;
  return (
    `CPU time per event (sending the first → the last applied): ${parts.join(', ')}; ` +
    `${all.toFixed(2)} ms in all, where ${ceilingGoal} events/s on ${cores} cores allow ${allowed.toFixed(1)} ms.`
  );
}

type Ceiling = {
  offered: number;
  seconds: number;
  sent: number;
  accepted: number;
  acceptP95: number;
  /** Why the webhooks not accepted were not (error code or HTTP status → count). */
  refusals: Record<string, number>;
  /** CPU time per applied event, from sending the first to the last applied, by part. */
  cpuMsPerEvent: Record<CpuPart, number>;
  /** Deliveries sent again after they got no answer. */
  retried: number;
  applied: number;
  audited: number;
  eventsPerSecond: number;
  lag: ReturnType<typeof summarize>;
  load: number[];
};

/**
 * Signed Jiko webhooks for the applications the run created, offered at `ceilingRate` per second
 * for `ceilingSeconds`, spread round-robin over the API processes; each is received (stored,
 * audited by an API process) and applied by a worker. Events/s end to end and the
 * apply lag are read from the inbox: received_at → applied_at.
 *
 * The senders share the desk's two cores, so they cost as little as a client can: plain
 * `node:http` on kept-alive connections (fetch costs several times as much per call), straight to
 * the API processes (the load balancer, a second HTTP hop in this process, is not the desk's
 * cost; the mixed load above goes through it).
 */
async function measureCeiling(
  db: Kysely<Database>,
  targets: readonly string[],
  processes: { apis: readonly ClusterProcess[]; workers: readonly ClusterProcess[] },
): Promise<Ceiling> {
  const apps = (
    await sql<{
      id: string;
      status: string;
      customer_id: string | null;
      a: boolean;
      b: boolean;
      c: boolean;
    }>`SELECT id::text, status, customer_id::text, flag_id_verification AS a,
      flag_identification_number_verification AS b, flag_address_verification AS c
      FROM sandbox.jiko_applications WHERE status <> 'SUBMITTED'`.execute(db)
  ).rows;
  if (apps.length === 0) throw new Error('no Jiko application to send events about');
  const typeOf: Record<string, string> = {
    DOCUMENTS_NEEDED: 'application.documents_needed',
    PENDING: 'application.pending',
    MANUAL_REVIEW: 'application.manual_review',
    APPROVED: 'application.approved',
    REJECTED: 'application.rejected',
    CREATED: 'application.pending',
  };
  const total = Math.round(ceilingRate * ceilingSeconds);
  const prefix = `ceiling-${randomUUID().slice(0, 8)}-`;
  const acceptMs: number[] = [];
  let accepted = 0;
  let nextIndex = 0;
  console.log(`cluster bench: write ceiling, ${ceilingRate} events/s offered for ${ceilingSeconds} s`);
  const cpuBefore = await cpuByPart(processes);
  const started = performance.now();
  const sender = async () => {
    for (;;) {
      // Bounded in time too: what could not be sent within the window is not sent.
      if (performance.now() - started > ceilingSeconds * 1000) return;
      const i = nextIndex++;
      if (i >= total) return;
      const due = started + (i * 1000) / ceilingRate;
      const wait = due - performance.now();
      if (wait > 0) await pause(wait);
      const app = apps[i % apps.length];
      if (!app) return;
      const body = JSON.stringify({
        id: `${prefix}${i}`,
        type: typeOf[app.status] ?? 'application.pending',
        created_at: new Date().toISOString(),
        data: {
          application_id: app.id,
          status: app.status,
          customer_id: app.customer_id,
          id_verification_documents_needed: app.a,
          identification_number_verification_document_needed: app.b,
          address_verification_document_needed: app.c,
        },
      });
      const target = new URL(targets[i % targets.length] ?? '');
      const t0 = performance.now();
      // A delivery that got no answer is sent again, as a provider does (at most three tries);
      // the desk stores an event once, so a try that did arrive is answered as a duplicate.
      let answer = await deliver(target, body);
      for (let tries = 1; 'error' in answer && tries < 3; tries++) {
        retried++;
        answer = await deliver(target, body);
      }
      acceptMs.push(performance.now() - t0);
      const outcome = 'error' in answer ? answer.error : answer.status === 200 ? null : `HTTP ${answer.status}`;
      if (outcome === null) accepted++;
      else refusals.set(outcome, (refusals.get(outcome) ?? 0) + 1);
    }
  };
  const deliver = (target: URL, body: string) =>
    new Promise<{ status: number } | { error: string }>((resolve) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: '/api/webhooks/jiko',
          agent: senderAgent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-jiko-timestamp': timestamp,
            'x-jiko-signature': signJikoWebhook(secrets.JIKO_WEBHOOK_SECRET, timestamp, body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
      req.end(body);
    });
  const senderAgent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  /** Why a webhook was not accepted (an error code, or the answer's status), for the report. */
  const refusals = new Map<string, number>();
  let retried = 0;
  await Promise.all(Array.from({ length: 128 }, sender));
  senderAgent.destroy();
  const sent = Math.min(nextIndex, total);
  const sentSeconds = (performance.now() - started) / 1000;
  const load = os.loadavg();
  await until('every ceiling event to be applied', 600_000, async () => {
    const left = await count(
      db,
      sql`SELECT count(*) AS n FROM webhook_inbox WHERE event_id LIKE ${`${prefix}%`} AND applied_at IS NULL`,
    );
    return left === 0 ? true : null;
  });
  const cpuAfter = await cpuByPart(processes);
  const rows = (
    await sql<{ lag_ms: number; received: Date; applied: Date }>`
      SELECT extract(epoch FROM applied_at - received_at) * 1000 AS lag_ms, received_at AS received, applied_at AS applied
      FROM webhook_inbox WHERE event_id LIKE ${`${prefix}%`}`.execute(db)
  ).rows;
  const audited = await count(
    db,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = 'webhook.received' AND data->>'eventId' LIKE ${`${prefix}%`}`,
  );
  const first = Math.min(...rows.map((r) => r.received.getTime()));
  const last = Math.max(...rows.map((r) => r.applied.getTime()));
  return {
    offered: ceilingRate,
    seconds: sentSeconds,
    sent,
    accepted,
    acceptP95: summarize(acceptMs).p95,
    refusals: Object.fromEntries(refusals),
    cpuMsPerEvent: Object.fromEntries(
      Object.entries(cpuAfter).map(([part, msUsed]) => [
        part,
        (msUsed - (cpuBefore[part as CpuPart] ?? 0)) / Math.max(1, rows.length),
      ]),
    ) as Record<CpuPart, number>,
    retried,
    applied: rows.length,
    audited,
    eventsPerSecond: rows.length / Math.max(0.001, (last - first) / 1000),
    lag: summarize(rows.map((r) => Number(r.lag_ms))),
    load,
  };
}

type Probe = { connections: number; seconds: number; chained: number; plain: number; lanes: number };

/**
 * Where the ceiling comes from: single-row autocommitted inserts from 16 connections at once for
 * a few seconds, into `audit_events` (through its chaining trigger) and into a table of the same
 * shape without it. The difference is the chaining: the lane locks (each held through its
 * commit), the digest and the head lookup.
 */
async function probeChainLock(): Promise<Probe> {
  const connections = 16;
  const probeSeconds = 5;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  try {
    await pool.query('CREATE TABLE audit_probe (LIKE audit_events INCLUDING DEFAULTS)');
    const run = async (insert: string): Promise<number> => {
      const endsAt = Date.now() + probeSeconds * 1000;
      const counts = await Promise.all(
        Array.from({ length: connections }, async () => {
          let n = 0;
          while (Date.now() < endsAt) {
            await pool.query(insert);
            n++;
          }
          return n;
        }),
      );
      return counts.reduce((a, b) => a + b, 0) / probeSeconds;
    };
    const values = `'provider:jiko', 'webhook.received', 'webhook', md5(random()::text), '{"eventId":"probe"}'`;
    const chained = await run(
      `INSERT INTO audit_events (actor, action, entity_type, entity_id, data) VALUES (${values})`,
    );
    const plain = await run(
      `INSERT INTO audit_probe (id, at, actor, action, entity_type, entity_id, data, prev_hash, hash)
       VALUES ((random() * 1e15)::bigint, clock_timestamp(), ${values}, '', '')`,
    );
    const { rows } = await pool.query<{ lanes: number }>(
      `SELECT count(DISTINCT lane)::int AS lanes FROM audit_events WHERE action = 'webhook.received' AND data->>'eventId' = 'probe'`,
    );
    return { connections, seconds: probeSeconds, chained, plain, lanes: rows[0]?.lanes ?? 0 };
  } finally {
    await pool.end();
  }
}

// ---------------------------------------------------------------- the report

function report(input: {
  record: ReturnType<typeof newRecord>;
  loadMs: number;
  fault: { apiBackMs: number; workerBackMs: number; jobsResumedMs: number; activeJobs: number; killedAt: number };
  checks: Check[];
  exportRows: number;
  ceiling: Ceiling | null;
  probe: Probe | null;
  webhooksDuringLoad: number;
  load: { start: number[]; end: number[]; after: number[] };
}): string {
  const { record, loadMs, fault, checks, ceiling } = input;
  const kinds: Kind[] = ['intake', 'apply', 'next', 'case', 'upload', 'outcome', 'search', 'export'];
  const rows = kinds.flatMap((kind) => {
    const samples = record.samples.filter((s) => s.kind === kind);
    if (samples.length === 0) return [];
    const s = summarize(samples.map((x) => x.ms));
    const failed = samples.filter((x) => x.status === 0 || x.status >= 500).length;
    return [[kind, thousands(s.count), ms(s.p50), ms(s.p95), ms(s.max), String(failed)]];
  });
  const total = record.samples.length;
  const failedAround = record.samples.filter((s) => s.status === 0 || s.status >= 500);
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const lines = [
    `Run of ${new Date().toISOString().slice(0, 16)} UTC on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `Postgres at ${new URL(serverUrl).host}; two API processes and two workers (bundled, \`pnpm serve\` flags), ` +
      `${analystCount} analysts, 2 intake clerks, 2 support agents, 1 auditor; mixed load for ${ms(loadMs / 1000)} s. ` +
      `Load averages (1/5/15 min): ${load(input.load.start)} at the start, ${load(input.load.end)} at the end of the load, ` +
      `${load(input.load.after)} after the ceiling.`,
    '',
    `**Throughput:** ${thousands(total)} requests in ${ms(loadMs / 1000)} s = ${ms(total / (loadMs / 1000))} requests/s ` +
      `(plus ${thousands(input.webhooksDuringLoad)} webhook deliveries from the sandboxes through the load balancer; ` +
      `export of ${thousands(input.exportRows)} rows).`,
    '',
    markdownTable(
      [
        { title: 'Kind' },
        { title: 'Requests', align: 'right' },
        { title: 'p50 ms', align: 'right' },
        { title: 'p95 ms', align: 'right' },
        { title: 'max ms', align: 'right' },
        { title: 'Failed', align: 'right' },
      ],
      rows,
    ),
    '',
    `"Failed" = no answer or a 5xx: requests in flight on the killed API process (the load balancer answers 502 for them); ` +
      `${failedAround.length} in all, ${failedAround.filter((s) => Math.abs(s.at - fault.killedAt) < 5000).length} within 5 s of the kill.`,
    '',
    `**Recovery** (SIGKILL of one API process and one worker, ${fault.activeJobs} jobs active at that moment): ` +
      `restarted API serving /readyz ${ms(fault.apiBackMs / 1000)} s after the kill; restarted worker running ${ms(fault.workerBackMs / 1000)} s after; ` +
      `every job active at the kill finished ${ms(fault.jobsResumedMs / 1000)} s after (jobs of a dead worker are taken again once they expire, DESK_JOB_EXPIRE_SECONDS=10).`,
    '',
    markdownTable(
      [{ title: 'Check' }, { title: 'Result' }, { title: 'Detail' }],
      checks.map((c) => [c.name, c.ok ? 'ok' : '**FAILED**', c.detail]),
    ),
    '',
  ];
  if (ceiling) {
    lines.push(
      `**Write ceiling** (Jiko webhooks signed by the benchmark, offered at ${thousands(ceiling.offered)}/s for ${ms(ceiling.seconds)} s ` +
        `spread over the API processes by plain node:http clients; received → stored and audited by an API process → applied by a worker): ` +
        `${thousands(ceiling.accepted)}/${thousands(ceiling.sent)} accepted${Object.keys(ceiling.refusals).length > 0 ? ` (not accepted: ${JSON.stringify(ceiling.refusals)})` : ''}${ceiling.retried > 0 ? ` (${thousands(ceiling.retried)} sent again after no answer)` : ''}, ${ms(ceiling.accepted / ceiling.seconds)}/s (answer p95 ${ms(ceiling.acceptP95)} ms; ` +
        `senders wait for each answer, so a slow answer lowers the rate actually sent), ` +
        `${thousands(ceiling.applied)} applied, ${thousands(ceiling.audited)} audited; ` +
        `**${ms(ceiling.eventsPerSecond)} events/s end to end**, apply lag (received_at → applied_at) ` +
        `p50 ${ms(ceiling.lag.p50)} ms, **p95 ${ms(ceiling.lag.p95)} ms**, max ${ms(ceiling.lag.max)} ms. ` +
        `Load averages at the end of sending: ${load(ceiling.load)}. ` +
        cpuSentence(ceiling.cpuMsPerEvent),
      '',
    );
  }
  if (input.probe) {
    const p = input.probe;
    lines.push(
      `**The chaining alone** (${p.connections} connections inserting one row per transaction for ${p.seconds} s each): ` +
        `${thousands(Math.round(p.chained))} rows/s into \`audit_events\` through its chaining trigger (${p.lanes} lanes used), ` +
        `${thousands(Math.round(p.plain))} rows/s into a table of the same shape without it.`,
      '',
    );
  }
  return lines.join('\n');
}

async function writeSection(section: string): Promise<void> {
  const file = path.resolve(import.meta.dirname, '../../docs/BENCHMARKS.md');
  const start = '<!-- bench:cluster:start -->';
  const end = '<!-- bench:cluster:end -->';
  const doc = await readFile(file, 'utf8');
  if (!doc.includes(start) || !doc.includes(end)) throw new Error('docs/BENCHMARKS.md has no bench:cluster markers');
  await writeFile(
    file,
    `${doc.slice(0, doc.indexOf(start) + start.length)}\n${section}\n${doc.slice(doc.indexOf(end))}`,
  );
}

await main().catch(async (err: unknown) => {
  console.error(err);
  killAll();
  await dropDatabase().catch(() => undefined);
  process.exit(1);
});
process.exit(0);
