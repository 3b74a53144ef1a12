/**
 * Runs the desk as a process: from the configuration, until SIGINT or SIGTERM. The production
 * entry (`main.ts`) calls it with no hooks; the demo entry of the sandboxes package calls it
 * with hooks that mount the sandboxes and seed demo data.
 */
import { type Config, loadConfig } from './config.js';
import { type RunningDesk, type SandboxesHook, type SeedEmptyDatabaseHook, startDesk } from './desk.js';
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

export async function serveDesk(config: Config, logger: Logger, hooks: DeskHooks = {}): Promise<void> {
  // Signals are handled from the first moment: the server answers /readyz before start-up has
  // finished (workers), and a signal in that window must stop the desk, not be lost.
  let desk: RunningDesk | null = null;
  let stopping: NodeJS.Signals | null = null;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping && desk) {
      logger.warn('second signal: exiting now');
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
    desk = await startDesk({
      database: config.databaseUrl
        ? { kind: 'url', url: config.databaseUrl, poolSize: config.poolSize }
        : { kind: 'embedded', dataDir: config.dataDir },
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
