/**
 * Runs the desk as a process: from the configuration, until SIGINT or SIGTERM. The production
 * entry (`main.ts`) calls it with no hooks; the demo entry of the sandboxes package calls it
 * with hooks that mount the sandboxes and seed demo data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { type Config, loadConfig } from './config.js';
import {
  type DatabaseTarget,
  hasEmbeddedDatabase,
  prepareDatabase,
  type RunningDesk,
  type SandboxesHook,
  type SeedEmptyDatabaseHook,
  startDesk,
} from './desk.js';
import type { Logger } from './logger.js';

export type DeskHooks = { sandboxes?: SandboxesHook; seedEmptyDatabase?: SeedEmptyDatabaseHook };

/** The configuration, or the process ends (exit code 2) with the reason: a bad or unsafe value is named, not stack-traced. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}

/** The entry's argument that makes it prepare the database (migrations, keys, demo data) and exit. */
const prepareOnly = '--prepare-database';

const databaseTargetOf = (config: Config): DatabaseTarget =>
  config.databaseUrl
    ? { kind: 'url', url: config.databaseUrl, poolSize: config.poolSize }
    : { kind: 'embedded', dataDir: config.dataDir };

/**
 * Runs this same entry with `--prepare-database` and waits for it. The embedded database grows
 * while a first start makes and seeds it, and WebAssembly memory is never given back: made in a
 * process of its own, that growth ends with the process, and this one opens a ready database.
 */
function prepareInChildProcess(logger: Logger, started: (child: ChildProcess) => void): Promise<void> {
  const script = process.argv[1];
  if (!script) return Promise.resolve();
  logger.info('a first start: the database is made and seeded by a process of its own');
  const child = spawn(process.execPath, [...process.execArgv, script, prepareOnly], { stdio: 'inherit' });
  started(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`preparing the database ended with ${signal ?? `exit code ${code}`}`)),
    );
  });
}

export async function serveDesk(config: Config, logger: Logger, hooks: DeskHooks = {}): Promise<void> {
  const database = databaseTargetOf(config);
  if (process.argv.includes(prepareOnly)) {
    // As a start-up does, the preparation finishes before a signal stops it (a database left
    // half seeded would be taken for a seeded one); a second signal ends it at once.
    let signalled = false;
    const onSignal = () => {
      if (signalled) process.exit(1);
      signalled = true;
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await prepareDatabase({
        database,
        logger,
        seedEmptyDatabase: hooks.seedEmptyDatabase,
        pii: config.pii ?? undefined,
      });
      process.exit(0);
    } catch (err) {
      logger.fatal({ err }, 'the database could not be prepared');
      process.exit(1);
    }
  }
  // Signals are handled from the first moment: the server answers /readyz before start-up has
  // finished (workers), and a signal in that window must stop the desk, not be lost.
  let desk: RunningDesk | null = null;
  let preparing: ChildProcess | null = null;
  let stopping: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping && (desk || preparing)) {
      logger.warn('second signal: exiting now');
      preparing?.kill('SIGKILL');
      process.exit(1);
    }
    stopping = signal;
    if (!desk) return; // start-up finishes first, then stops
    logger.info({ signal }, 'shutting down');
    desk.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    if (hooks.seedEmptyDatabase && database.kind === 'embedded' && !hasEmbeddedDatabase(config.dataDir)) {
      await prepareInChildProcess(logger, (child) => {
        preparing = child;
      });
      preparing = null;
      if (stopping) {
        logger.info({ signal: stopping }, 'stopped once the database was prepared');
        process.exit(0);
      }
    }
    desk = await startDesk({
      database,
      port: config.port,
      logger,
      clientDir: config.clientDir,
      seedEmptyDatabase: hooks.seedEmptyDatabase,
      sandboxes: hooks.sandboxes,
      worker: config.worker,
      publicUrl: config.publicUrl,
      jiko: config.jiko,
      fin: config.fin,
      kyc: config.kyc,
      jobExpireSeconds: config.jobExpireSeconds,
      reconcileEverySeconds: config.reconcileEverySeconds,
      staleAfterSeconds: config.staleAfterSeconds,
      auth: config.auth,
      pii: config.pii ?? undefined,
      trustProxy: config.trustProxy,
      metricsToken: config.metricsToken,
    });
    logger.info({ url: desk.url }, `Compliance Desk is up at ${desk.url}`);
    if (stopping) stop(stopping);
  } catch (err) {
    logger.fatal({ err }, 'the desk could not start');
    process.exit(1);
  }
}
