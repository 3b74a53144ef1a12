/**
 * Seeds (or reuses) the bulk data set alone, without a benchmark: `tsx bench/seed-only.ts
 * --count N [--database NAME] [--reseed]` with DATABASE_URL naming the server.
 */
import { parseArgs } from 'node:util';
import { bulkBenchDatabase, bulkDatabaseName } from './bulk-seeder.js';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    database: { type: 'string' },
    reseed: { type: 'boolean', default: false },
  },
});
const count = Number(args.count);
if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive integer, got ${args.count}`);
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('DATABASE_URL names the Postgres server');
const database = args.database ?? bulkDatabaseName(count);
const { reused } = await bulkBenchDatabase(serverUrl, database, count, { reseed: args.reseed });
console.log(`${database}: ${reused ? 'reused' : 'seeded'}`);
