/** `pnpm db:migrate`: brings the database (embedded or DATABASE_URL) to the newest schema. */
import { loadConfig } from '../config.js';
import { openDatabase } from '../desk.js';
import { createLogger } from '../logger.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
try {
  const database = await openDatabase(
    config.databaseUrl ? { kind: 'url', url: config.databaseUrl } : { kind: 'embedded', dataDir: config.dataDir },
    logger,
  );
  await database.close();
  logger.info('database is migrated');
} catch (err) {
  logger.fatal({ err }, 'migration failed');
  process.exitCode = 1;
}
