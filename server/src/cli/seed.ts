/** `pnpm db:seed --count N [--seed S]`: deterministic demo data into an empty database. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { openDatabase } from '../desk.js';
import { countApplicationRows, seedDemoData } from '../demo/seed.js';
import { createLogger } from '../logger.js';
import { seedProviderDemo } from '../demo/provider-demo/index.js';
import { registerSeededApplications } from '../sandboxes/jiko/demo-fixtures.js';
import { seedDemoStaffPasswords } from '../demo/demo-staff.js';
import { createPiiVault, loadEmbeddedPiiKeys } from '../pii/pii-vault.js';

const argsSchema = z.object({
  count: z.coerce.number().int().min(1).max(10_000_000).default(500),
  seed: z.coerce.number().int().default(42),
});

const config = loadConfig();
const logger = createLogger(config.logLevel);
const { values } = parseArgs({ options: { count: { type: 'string' }, seed: { type: 'string' } } });
const args = argsSchema.safeParse(values);
if (!args.success) {
  logger.fatal({ errors: args.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`) }, 'bad arguments');
  process.exit(2);
}

const database = await openDatabase(
  config.databaseUrl ? { kind: 'url', url: config.databaseUrl } : { kind: 'embedded', dataDir: config.dataDir },
  logger,
);
try {
  if (!config.pii && config.databaseUrl) throw new Error('DESK_PII_KEYS and DESK_PII_LOOKUP_KEY are required with DATABASE_URL');
  const pii = createPiiVault(config.pii ?? (await loadEmbeddedPiiKeys(database.db)));
  const existing = await countApplicationRows(database.db);
  if (existing > 0) {
    logger.error({ existing }, 'the database already has applications; seed an empty database');
    process.exitCode = 1;
  } else {
    const started = Date.now();
    await seedDemoData(database.db, {
      count: args.data.count,
      seed: args.data.seed,
      pii,
      onProgress: (done, total) => logger.info({ done, total }, 'seeding'),
    });
    // With the built-in sandboxes, the demo cases exist at the sandbox too, and Fin.com and
    // generic-provider cases with their RFIs join them.
    if (config.sandboxes) {
      await registerSeededApplications(database.db, pii);
      await seedProviderDemo(database.db, { seed: args.data.seed, pii });
    }
    await seedDemoStaffPasswords(database.db);
    {
    }
    logger.info({ count: args.data.count, ms: Date.now() - started }, 'demo data seeded');
  }
} finally {
  await database.close();
}
