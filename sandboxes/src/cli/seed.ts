/**
 * `pnpm db:seed --count N [--seed S]`: deterministic demo data into an empty database, at the
 * built-in sandboxes too. Demo cases exist only where the sandboxes are on (the embedded
 * database, or DESK_SANDBOXES=true with DATABASE_URL): elsewhere every action on them would
 * reach a provider that never heard of them.
 */
import { parseArgs } from 'node:util';
import {
  countApplicationRows,
  createLogger,
  createPiiVault,
  loadConfigOrExit,
  loadEmbeddedPiiKeys,
  openDatabase,
} from '@desk/server';
import { z } from 'zod';
import { seedDemo } from '../compose.js';

const argsSchema = z.object({
  count: z.coerce.number().int().min(1).max(10_000_000).default(500),
  seed: z.coerce.number().int().default(42),
});

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const { values } = parseArgs({ options: { count: { type: 'string' }, seed: { type: 'string' } } });
const args = argsSchema.safeParse(values);
if (!args.success) {
  logger.fatal({ errors: args.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`) }, 'bad arguments');
  process.exit(2);
}
if (!config.sandboxes) {
  logger.fatal(
    'demo data lives at the built-in provider sandboxes, which are off: set DESK_SANDBOXES=true to seed this database',
  );
  process.exit(2);
}

const database = await openDatabase(
  config.databaseUrl ? { kind: 'url', url: config.databaseUrl } : { kind: 'embedded', dataDir: config.dataDir },
  logger,
);
try {
  if (!config.pii && config.databaseUrl)
    throw new Error('DESK_PII_KEYS and DESK_PII_LOOKUP_KEY are required with DATABASE_URL');
  const pii = createPiiVault(config.pii ?? (await loadEmbeddedPiiKeys(database.db)));
  const existing = await countApplicationRows(database.db);
  if (existing > 0) {
    logger.error({ existing }, 'the database already has applications; seed an empty database');
    process.exitCode = 1;
  } else {
    const started = Date.now();
    await seedDemo(database.db, pii, {
      count: args.data.count,
      seed: args.data.seed,
      onProgress: (done, total) => logger.info({ done, total }, 'seeding'),
    });
    logger.info({ count: args.data.count, ms: Date.now() - started }, 'demo data seeded');
  }
} finally {
  await database.close();
}
