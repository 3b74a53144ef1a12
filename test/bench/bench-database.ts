/**
 * A benchmark's own database (`desk_bench` unless named) on the server of DATABASE_URL: reused
 * when it already holds the wanted data set, otherwise dropped and created empty.
 *
 * What a seeded database holds is recorded as the database's comment: a fingerprint of the
 * seed parameters and the migration sources (so that an edited index list forces a reseed,
 * since an applied migration is never run again) and how long seeding took.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export const benchDatabaseName = 'desk_bench';

export type SeedRecord = {
  fingerprint: string;
  applications: number;
  seededAt: string;
  seedMs: number;
  vacuumMs: number;
};

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const migrationsDir = path.resolve(import.meta.dirname, '../../migrations/src');

/**
 * Changes whenever the seed parameters or any migration source changes. With `sources: false`
 * only the seed parameters count: for a benchmark whose desk migrates the kept database to the
 * newest schema when it starts (applied migrations are never edited).
 */
export async function fingerprintOf(seedParameters: Record<string, unknown>, { sources = true } = {}): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(seedParameters));
  const files = sources ? (await readdir(migrationsDir)).filter((f) => f.endsWith('.ts')).sort() : [];
  for (const file of files) {
    hash.update(`\0${file}\0`);
    hash.update(await readFile(path.join(migrationsDir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function isSeedRecord(value: unknown): value is SeedRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.fingerprint === 'string' &&
    typeof v.applications === 'number' &&
    typeof v.seededAt === 'string' &&
    typeof v.seedMs === 'number' &&
    typeof v.vacuumMs === 'number'
  );
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * The seed record of an existing `desk_bench` when it matches the fingerprint and really
 * holds that many applications; null when it must be (re)created.
 */
export async function reusableSeed(
  serverUrl: string,
  fingerprint: string,
  applications: number,
  database = benchDatabaseName,
): Promise<SeedRecord | null> {
  const comment = await withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [database],
    );
    return rows[0]?.comment ?? null;
  });
  if (!comment) return null;
  let record: unknown;
  try {
    record = JSON.parse(comment);
  } catch {
    return null;
  }
  if (!isSeedRecord(record) || record.fingerprint !== fingerprint || record.applications !== applications) return null;
  const actual = await withClient(withDatabase(serverUrl, database), async (client) => {
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM applications');
      return Number(rows[0]?.n ?? -1);
    } catch {
      return -1;
    }
  });
  return actual === applications ? record : null;
}

export async function recreateBenchDatabase(serverUrl: string, database = benchDatabaseName): Promise<void> {
  await withClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  });
}

export async function recordSeed(serverUrl: string, record: SeedRecord, database = benchDatabaseName): Promise<void> {
  await withClient(serverUrl, async (client) => {
    await client.query(`COMMENT ON DATABASE ${database} IS ${client.escapeLiteral(JSON.stringify(record))}`);
  });
}
