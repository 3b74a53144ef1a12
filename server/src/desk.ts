/**
 * Starts the whole desk: the database (embedded or DATABASE_URL), migrations, demo data on
 * an empty database, and the HTTP server. Used by `pnpm start`, the CLI and the tests.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Router } from 'express';
import type { ErrorBody } from '@desk/shared';
import type { Kysely } from 'kysely';
import {
  sandboxFinSettings,
  sandboxJikoSettings,
  sandboxKycSettings,
  type FinSettings,
  type JikoSettings,
  type KycSettings,
} from './config.js';
import { createApp } from './app.js';
import { connectDatabase } from './db/database.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import type { Database } from './db/schema.js';
import { seedProviderDemo } from './demo/provider-demo/index.js';
import { seedDemoStaffPasswords } from './demo/demo-staff.js';
import { defaultAuthSettings, type AuthSettings } from './auth/auth.service.js';
import {
  createPiiVault,
  loadEmbeddedPiiKeys,
  sealClearIdentificationNumbers,
  type PiiKeySettings,
  type PiiVault,
} from './pii/pii-vault.js';
import { countApplicationRows, seedDemoData } from './demo/seed.js';
import { startJobQueue, type JobQueue } from './jobs/job-queue.js';
import { startWorkers } from './jobs/workers.js';
import type { Logger } from './logger.js';
import { createFileUrls, loadFileUrlKey } from './files/file-urls.js';
import { connectProviders } from './providers/connect.js';
import type { ProviderRegistry } from './providers/provider-registry.js';
import { registerSeededApplications } from './sandboxes/jiko/demo-fixtures.js';
import { createFinSandbox } from './sandboxes/fin/index.js';
import { createJikoSandbox } from './sandboxes/jiko/index.js';
import { createKycSandbox } from './sandboxes/kyc/index.js';

export type DatabaseTarget =
  | { kind: 'url'; url: string; poolSize?: number }
  /** `dataDir` null keeps the embedded database in memory (tests). */
  | { kind: 'embedded'; dataDir: string | null };

export type OpenedDatabase = {
  db: Kysely<Database>;
  url: string;
  /** True for the embedded database: one connection only (see below). */
  embedded: boolean;
  close(): Promise<void>;
};

/** Opens (starting it first when embedded) and migrates the database. */
export async function openDatabase(target: DatabaseTarget, logger: Logger): Promise<OpenedDatabase> {
  let url: string;
  let stopEmbedded = async (): Promise<void> => undefined;
  let unlock = (): void => undefined;
  if (target.kind === 'url') {
    url = target.url;
  } else {
    unlock = target.dataDir ? lockDataDir(target.dataDir) : unlock;
    try {
      const embedded = await startEmbeddedPostgres(target.dataDir ? path.join(target.dataDir, 'pglite') : null);
      url = embedded.url;
      stopEmbedded = embedded.stop;
    } catch (err) {
      unlock();
      throw err;
    }
    logger.info({ dataDir: target.dataDir ?? 'memory' }, 'embedded database started');
  }
  // PGlite serves one session: its socket server multiplexes connections message by message,
  // so two connections' extended-protocol messages could interleave. Everything in the process
  // (queries, transactions, the job queue) therefore shares one connection on the embedded
  // database; real Postgres gets a normal pool.
  const embedded = target.kind === 'embedded';
  const { db, destroy } = connectDatabase(url, { max: target.kind === 'url' ? (target.poolSize ?? 10) : 1 });
  const close = async () => {
    await destroy();
    await stopEmbedded();
    unlock();
  };
  try {
    const applied = await migrateToLatest(db);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  } catch (err) {
    await close();
    throw err;
  }
  return { db, url, embedded, close };
}

export type DeskOptions = {
  database: DatabaseTarget;
  port: number;
  logger: Logger;
  clientDir?: string;
  /** Seed this many demo applications when the database has none. */
  demoCount?: number;
  /** Mount the provider sandboxes and point the adapters at them (default true). */
  sandboxes?: boolean;
  /** Run the job workers in this process (default true). */
  worker?: boolean;
  /** How providers reach this desk; defaults to the loopback address it listens on. */
  publicUrl?: string | null;
  jiko?: JikoSettings;
  fin?: FinSettings;
  kyc?: KycSettings;
  /** Sandbox decision delay (tests make it short). */
  sandboxDecisionDelayMs?: number;
  jobExpireSeconds?: number;
  /** Polling of stale open applications (default every 300 s, stale after 3600 s; 0 = off). */
  reconcileEverySeconds?: number;
  staleAfterSeconds?: number;
  /** Sessions and sign-in throttling (defaults: 30 min idle, 12 h absolute, 5 per account / 30 per IP in 15 min). */
  auth?: AuthSettings;
  /** Keys for identification numbers; required with a DATABASE_URL, generated for the embedded database. */
  pii?: PiiKeySettings;
  /** Trust X-Forwarded-* from a proxy in front (client IPs in the audit trail, Secure cookies). */
  trustProxy?: boolean;
  metricsToken?: string | null;
};

export type RunningDesk = {
  url: string;
  port: number;
  db: Kysely<Database>;
  databaseUrl: string;
  jobs: JobQueue;
  providers: ProviderRegistry;
  pii: PiiVault;
  close(): Promise<void>;
};

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startDesk(options: DeskOptions): Promise<RunningDesk> {
  const { logger } = options;
  const database = await openDatabase(options.database, logger);
  // Shutdown steps, run last-in first-out, each named in the log so a stuck one is visible.
  const cleanup: { name: string; run: () => Promise<void> }[] = [{ name: 'database', run: () => database.close() }];
  const closeAll = async () => {
    for (const step of cleanup.reverse()) {
      logger.info({ step: step.name }, 'stopping');
      await step.run();
    }
    cleanup.length = 0;
  };
  try {
    if (!options.pii && !database.embedded) {
      throw new Error('DESK_PII_KEYS and DESK_PII_LOOKUP_KEY are required with DATABASE_URL (see the README)');
    }
    const pii = createPiiVault(options.pii ?? (await loadEmbeddedPiiKeys(database.db)));
    const sealed = await sealClearIdentificationNumbers(database.db, pii);
    if (sealed > 0) logger.info({ customers: sealed }, 'identification numbers sealed');
    if (options.demoCount && (await countApplicationRows(database.db)) === 0) {
      logger.info({ count: options.demoCount }, 'seeding demo data');
      await seedDemoData(database.db, { count: options.demoCount, pii });
      await seedDemoStaffPasswords(database.db);
      // The demo cases exist at the built-in sandboxes too, so every action on them works; the
      // Fin.com and generic-provider cases (with RFIs in every state) live only there.
      if (options.sandboxes ?? true) {
        await registerSeededApplications(database.db, pii);
        await seedProviderDemo(database.db, { pii });
      }
    }
    const jobs = await startJobQueue(database, logger, { expireInSeconds: options.jobExpireSeconds });
    cleanup.push({ name: 'job queue', run: () => jobs.stop() });

    // Listen first: the sandboxes and adapters need the address the desk answers on.
    // Until the app is attached, every request is answered 503 (a request that arrived with no
    // handler would otherwise never be answered).
    let handler: RequestListener | null = null;
    const server = createServer((req, res) => {
      if (handler) {
        handler(req, res);
        return;
      }
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      const body: ErrorBody = { code: 'unavailable', message: 'The desk is starting; try again in a moment' };
      res.end(JSON.stringify(body));
    });
    const port = await listen(server, options.port);
    cleanup.push({
      name: 'http server',
      run: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    });
    const selfUrl = `http://127.0.0.1:${port}`;
    const publicUrl = options.publicUrl ?? selfUrl;
    const settings = {
      jiko: options.jiko ?? sandboxJikoSettings,
      fin: options.fin ?? sandboxFinSettings,
      kyc: options.kyc ?? sandboxKycSettings,
    };
    const useSandboxes = options.sandboxes ?? true;

    const sandboxes: { path: string; router: Router }[] = [];
    if (useSandboxes) {
      const jiko = createJikoSandbox({
        db: database.db,
        credentials: { username: settings.jiko.username, password: settings.jiko.password },
        signingSecret: settings.jiko.signingSecret,
        webhook: { url: `${publicUrl}/api/webhooks/jiko`, secret: settings.jiko.webhookSecret },
        decisionDelayMs: options.sandboxDecisionDelayMs,
        logger,
      });
      const fin = createFinSandbox({
        db: database.db,
        apiToken: settings.fin.token,
        webhook: { url: `${publicUrl}/api/webhooks/fin`, secret: settings.fin.webhookSecret },
        reviewDelayMs: options.sandboxDecisionDelayMs,
        logger,
      });
      const kyc = createKycSandbox({
        db: database.db,
        apiKey: settings.kyc.apiKey,
        webhook: { url: `${publicUrl}/api/webhooks/kyc`, secret: settings.kyc.webhookSecret },
        reviewDelayMs: options.sandboxDecisionDelayMs,
        logger,
      });
      sandboxes.push(
        { path: '/sandbox/jiko', router: jiko.router },
        { path: '/sandbox/fin', router: fin.router },
        { path: '/sandbox/kyc', router: kyc.router },
      );
      for (const sandbox of [jiko, fin, kyc]) {
        sandbox.start();
        cleanup.push({ name: 'sandbox', run: () => sandbox.stop() });
      }
    }
    const providers: ProviderRegistry = connectProviders(settings, selfUrl);
    const files = createFileUrls(await loadFileUrlKey(database.db), () => publicUrl);

    logger.debug('sandboxes and adapters ready');
    const app = createApp({
      db: database.db,
      logger,
      providers,
      jobs,
      files,
      pii,
      auth: options.auth ?? defaultAuthSettings,
      sandboxes,
      clientDir: options.clientDir,
      trustProxy: options.trustProxy ?? false,
      metricsToken: options.metricsToken ?? null,
      database: { url: database.url, embedded: database.embedded },
    });
    handler = app;
    if (options.worker ?? true) {
      const stopPolling = await startWorkers(
        jobs,
        { db: database.db, providers, logger, files },
        { reconcileEverySeconds: options.reconcileEverySeconds ?? 300, staleAfterSeconds: options.staleAfterSeconds ?? 3600 },
      );
      cleanup.push({ name: 'polling', run: async () => stopPolling() });
    }

    let closing: Promise<void> | null = null;
    return {
      url: `http://localhost:${port}`,
      port,
      db: database.db,
      databaseUrl: database.url,
      jobs,
      providers,
      pii,
      close() {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
