/**
 * `pnpm worker`: job workers on their own, beside any number of API processes sharing the
 * database (DATABASE_URL). Providers are reached at their configured base URLs; with the
 * sandboxes, that is the API at DESK_PUBLIC_URL.
 */
import { loadConfig } from './config.js';
import { openDatabase } from './desk.js';
import { startJobQueue } from './jobs/job-queue.js';
import { startWorkers } from './jobs/workers.js';
import { createLogger } from './logger.js';
import { JikoAdapter } from './providers/jiko/jiko-adapter.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

if (!config.databaseUrl) {
  logger.fatal('pnpm worker needs DATABASE_URL: the embedded database belongs to the one process that started it');
  process.exit(2);
}
const jikoBaseUrl = config.jiko.baseUrl ?? (config.publicUrl ? `${config.publicUrl}/sandbox/jiko` : null);
if (!jikoBaseUrl) {
  logger.fatal('Set JIKO_BASE_URL, or DESK_PUBLIC_URL to reach the sandbox on a running desk');
  process.exit(2);
}

const database = await openDatabase({ kind: 'url', url: config.databaseUrl }, logger);
const jobs = await startJobQueue(database, logger, { expireInSeconds: config.jobExpireSeconds });
const stopPolling = await startWorkers(
  jobs,
  { db: database.db, providers: { jiko: new JikoAdapter({ ...config.jiko, baseUrl: () => jikoBaseUrl }) }, logger },
  { reconcileEverySeconds: config.reconcileEverySeconds, staleAfterSeconds: config.staleAfterSeconds },
);
logger.info('worker started');

let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  stopPolling();
  jobs
    .stop()
    .then(() => database.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
