/**
 * Where the API tests run: always on the embedded database (in memory), and also on real
 * Postgres when TEST_DATABASE_URL or DATABASE_URL is set. Each test file gets a database of
 * its own, created fresh and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseTarget } from '@desk/server';
import pg from 'pg';

export type TestDatabaseKind = 'embedded' | 'postgres';

export const postgresServerUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? null;

export const databaseKinds: TestDatabaseKind[] = postgresServerUrl ? ['embedded', 'postgres'] : ['embedded'];

export type TestDatabase = { target: DatabaseTarget; drop(): Promise<void> };

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh, empty database of the given kind. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'embedded' || !postgresServerUrl) {
    return { target: { kind: 'embedded', dataDir: null }, drop: async () => undefined };
  }
  const name = `desk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresServerUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    target: { kind: 'url', url: withDatabase(postgresServerUrl, name) },
    async drop() {
      const client = new pg.Client({ connectionString: postgresServerUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
