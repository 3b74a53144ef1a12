/**
 * Starts the whole desk: the database (embedded or DATABASE_URL), migrations, and the HTTP
 * server. Used by the production entry (`main.ts`), the CLI, the demo entry of the sandboxes
 * package and the tests. The desk knows nothing of the built-in provider sandboxes or the demo
 * data: a caller may hand it hooks that mount the one and seed the other.
 */
import { existsSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ErrorBody } from '@desk/shared';
import type { Router } from 'express';
import type { Kysely } from 'kysely';
import { createApp } from './app.js';
import { type AuthSettings, defaultAuthSettings } from './auth/auth.service.js';
import {
  type FinSettings,
  type JikoSettings,
  type KycSettings,
  sandboxFinSettings,
  sandboxJikoSettings,
  sandboxKycSettings,
} from './config.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { connectDatabase } from './db/database.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import type { Database } from './db/schema.js';
import { createFileUrls, loadFileUrlKey } from './files/file-urls.js';
import type { ResponseCheck } from './http/dispatch.js';
import { type JobQueue, startJobQueue } from './jobs/job-queue.js';
import { startWorkers } from './jobs/workers.js';
import { createLiveHub, type LiveSettings } from './live/live-hub.js';
import type { Logger } from './logger.js';
import {
  createPiiVault,
  loadEmbeddedPiiKeys,
  type PiiKeySettings,
  type PiiVault,
  sealClearIdentificationNumbers,
} from './pii/pii-vault.js';
import {
  connectProviders,
  type ProviderSettings,
  providersWithoutBaseUrl,
  requireProviderBaseUrls,
} from './providers/connect.js';
import type { ProviderRegistry } from './providers/provider-registry.js';

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

/**
 * The desk's pool on a database: a normal pool with named prepared statements on a real Postgres;
 * on the embedded database one connection and none (see `connectDatabase`).
 */
export function poolOptionsFor(target: DatabaseTarget): { max: number; prepare: boolean } {
  return target.kind === 'url' ? { max: target.poolSize ?? 10, prepare: true } : { max: 1, prepare: false };
}

/** Where a data folder keeps its embedded database. */
export function embeddedDatabaseDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

/** Whether a data folder already holds an embedded database (Postgres writes PG_VERSION when it makes one). */
export function hasEmbeddedDatabase(dataDir: string): boolean {
  return existsSync(path.join(embeddedDatabaseDir(dataDir), 'PG_VERSION'));
}

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
      const embedded = await startEmbeddedPostgres(target.dataDir ? embeddedDatabaseDir(target.dataDir) : null);
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
  const { db, destroy } = connectDatabase(url, poolOptionsFor(target));
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

/** What a sandboxes hook is given: the desk's database and logger, and how providers reach the desk. */
export type SandboxesContext = {
  db: Kysely<Database>;
  logger: Logger;
  /**
   * How providers reach this desk: webhooks go to its `/api/webhooks/...`, and its origin is
   * the only one document files are served from.
   */
  publicUrl: string;
  /** The settings the adapters use; the sandboxes accept the same credentials. */
  providers: ProviderSettings;
};

/** Routers to mount on the desk's server (e.g. at /sandbox/jiko), and how to stop what runs behind them. */
export type MountedSandboxes = { routers: { path: string; router: Router }[]; stop(): Promise<void> };

export type SandboxesHook = (ctx: SandboxesContext) => Promise<MountedSandboxes>;

/** Fills a database that has no applications yet (demo data). */
export type SeedEmptyDatabaseHook = (db: Kysely<Database>, pii: PiiVault) => Promise<void>;

export type DeskOptions = {
  database: DatabaseTarget;
  port: number;
  logger: Logger;
  clientDir?: string;
  /** Called once, before the job queue starts, when the database has no applications. */
  seedEmptyDatabase?: SeedEmptyDatabaseHook;
  /**
   * Mounts provider sandboxes once the desk listens (their routers are served before the
   * API); providers without a base URL are then reached there. Without it, every provider
   * needs its base URL.
   */
  sandboxes?: SandboxesHook;
  /** Run the job workers in this process (default true). */
  worker?: boolean;
  /** How providers reach this desk; defaults to the loopback address it listens on. */
  publicUrl?: string | null;
  jiko?: JikoSettings;
  fin?: FinSettings;
  kyc?: KycSettings;
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
  /** Hold every answer to its route's entry in the table (tests; see `ResponseCheck`). */
  checkResponses?: ResponseCheck;
  /** Live-update streams: limits and intervals (see `defaultLiveSettings`). */
  live?: Partial<LiveSettings>;
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

const noSandboxHint =
  'no built-in provider sandbox is mounted (only the demo entry of the sandboxes package, `pnpm start`, mounts them)';

export async function countApplicationRows(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

type DatabaseOptions = Pick<DeskOptions, 'database' | 'logger' | 'pii' | 'seedEmptyDatabase'>;

/**
 * The database as the desk serves it: opened and migrated, its identification-number keys
 * loaded, clear numbers sealed, and demo data seeded when it has no application yet.
 */
async function openReadyDatabase(options: DatabaseOptions): Promise<{ database: OpenedDatabase; pii: PiiVault }> {
  const { logger } = options;
  const database = await openDatabase(options.database, logger);
  try {
    if (!options.pii && !database.embedded) {
      throw new Error('DESK_PII_KEYS and DESK_PII_LOOKUP_KEY are required with DATABASE_URL (see the README)');
    }
    const pii = createPiiVault(options.pii ?? (await loadEmbeddedPiiKeys(database.db)));
    const sealed = await sealClearIdentificationNumbers(database.db, pii);
    if (sealed > 0) logger.info({ customers: sealed }, 'identification numbers sealed');
    if (options.seedEmptyDatabase && (await countApplicationRows(database.db)) === 0) {
      logger.info({ pid: process.pid }, 'seeding an empty database');
      await options.seedEmptyDatabase(database.db, pii);
    }
    return { database, pii };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/**
 * Makes the database ready as `startDesk` would (migrations, keys, demo data) and closes it:
 * for a process of its own, so that what the first start costs in memory ends with it.
 */
export async function prepareDatabase(options: DatabaseOptions): Promise<void> {
  const { database } = await openReadyDatabase(options);
  await database.close();
}

export async function startDesk(options: DeskOptions): Promise<RunningDesk> {
  const { logger } = options;
  const settings: ProviderSettings = {
    jiko: options.jiko ?? sandboxJikoSettings,
    fin: options.fin ?? sandboxFinSettings,
    kyc: options.kyc ?? sandboxKycSettings,
  };
  // Refused before the database is touched: with no sandbox to fall back on, a provider
  // without a base URL could never be reached.
  if (!options.sandboxes) requireProviderBaseUrls(settings, noSandboxHint);
  const { database, pii } = await openReadyDatabase(options);
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

    const sandboxes: { path: string; router: Router }[] = [];
    if (options.sandboxes) {
      // Sandboxes are a development and demo tool; a deployment should never see this line.
      logger.warn(
        { sandboxedProviders: providersWithoutBaseUrl(settings) },
        'the desk is talking to built-in provider sandboxes, not real providers',
      );
      const mounted = await options.sandboxes({ db: database.db, logger, publicUrl, providers: settings });
      cleanup.push({ name: 'sandboxes', run: () => mounted.stop() });
      sandboxes.push(...mounted.routers);
    }
    const providers: ProviderRegistry = connectProviders(settings, options.sandboxes ? selfUrl : null);
    const files = createFileUrls(await loadFileUrlKey(database.db), () => publicUrl);
    const live = createLiveHub({
      db: database.db,
      logger,
      sessions: options.auth ?? defaultAuthSettings,
      settings: options.live,
    });
    await live.start();
    // Stopped before the HTTP server closes (steps run in reverse), so open streams end first.
    cleanup.push({ name: 'live updates', run: () => live.stop() });

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
      checkResponses: options.checkResponses ?? false,
      database: { url: database.url, embedded: database.embedded },
      live,
    });
    handler = app;
    if (options.worker ?? true) {
      const stopPolling = await startWorkers(
        jobs,
        { db: database.db, providers, logger, files, pii },
        {
          reconcileEverySeconds: options.reconcileEverySeconds ?? 300,
          staleAfterSeconds: options.staleAfterSeconds ?? 3600,
        },
      );
      cleanup.push({ name: 'polling', run: () => stopPolling() });
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
