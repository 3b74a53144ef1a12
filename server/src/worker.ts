/**
 * `pnpm worker`: job workers on their own, beside any number of API processes sharing the
 * database (DATABASE_URL). Providers are reached at their configured base URLs; with the
 * sandboxes on (DESK_SANDBOXES=true, served by an API process started with `pnpm start`), a
 * provider without one is reached at its sandbox on the API at DESK_PUBLIC_URL.
 */
import { openDatabase } from './desk.js';
import { createFileUrls, loadFileUrlKey } from './files/file-urls.js';
import { startJobQueue } from './jobs/job-queue.js';
import { startWorkers } from './jobs/workers.js';
import { createLogger } from './logger.js';
import { createPiiVault } from './pii/pii-vault.js';
import { connectProviders, providersWithoutBaseUrl } from './providers/connect.js';
import type { ProviderRegistry } from './providers/provider-registry.js';
import { loadConfigOrExit } from './serve.js';

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);

if (!config.databaseUrl) {
  logger.fatal('pnpm worker needs DATABASE_URL: the embedded database belongs to the one process that started it');
  process.exit(2);
}
// File URLs handed to providers point at the API, which serves them.
const publicUrl = config.publicUrl;
if (!publicUrl) {
  logger.fatal(
    'pnpm worker needs DESK_PUBLIC_URL: the address of the API that serves document files (and the sandboxes)',
  );
  process.exit(2);
}
let providers: ProviderRegistry;
try {
  providers = connectProviders(config, config.sandboxes ? publicUrl : null);
  if (config.sandboxes) {
    logger.warn(
      { sandboxedProviders: providersWithoutBaseUrl(config) },
      'the worker is talking to built-in provider sandboxes, not real providers',
    );
  }
} catch (err) {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(2);
}

// Intakes hold identification numbers sealed: the worker opens them with the API's keys.
const pii = config.pii;
if (!pii) {
  logger.fatal('pnpm worker needs DESK_PII_KEYS and DESK_PII_LOOKUP_KEY, the same as the API (see the README)');
  process.exit(2);
}
const database = await openDatabase({ kind: 'url', url: config.databaseUrl, poolSize: config.poolSize }, logger);
const jobs = await startJobQueue(database, logger, { expireInSeconds: config.jobExpireSeconds });
const files = createFileUrls(await loadFileUrlKey(database.db), () => publicUrl);
const stopPolling = await startWorkers(
  jobs,
  { db: database.db, providers, logger, files, pii: createPiiVault(pii) },
  { reconcileEverySeconds: config.reconcileEverySeconds, staleAfterSeconds: config.staleAfterSeconds },
);
logger.info('worker started');

let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  stopPolling()
    .then(() => jobs.stop())
    .then(() => database.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
