/** `pnpm start`: the desk on the embedded database (or DATABASE_URL) with demo data. */
import { loadConfig } from './config.js';
import { startDesk, type RunningDesk } from './desk.js';
import { createLogger } from './logger.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

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
    database: config.databaseUrl ? { kind: 'url', url: config.databaseUrl, poolSize: config.poolSize } : { kind: 'embedded', dataDir: config.dataDir },
    port: config.port,
    logger,
    clientDir: config.clientDir,
    demoCount: config.demoData ? config.demoCount : 0,
    sandboxes: config.sandboxes,
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
