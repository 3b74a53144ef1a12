/**
 * A database for desks a test starts itself — as processes (`process.ts`), or in-process from a
 * configuration read by `loadConfig`: an empty data folder for the embedded database, a fresh
 * database on Postgres. `env` holds the variables that put a desk on it; `use` opens it in the
 * test, for what the API does not show. The embedded database belongs to the one process that
 * holds its folder, so there `use` works only while no desk runs on it; Postgres may be opened
 * at any time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, createStaff, type Database, type DatabaseTarget, openDatabase } from '@desk/server';
import type { StaffRole } from '@desk/shared';
import type { Kysely } from 'kysely';
import { createTestDatabase, type TestDatabaseKind } from './databases.js';
import { processPiiEnv } from './process.js';

export type ProcessDatabase = {
  kind: TestDatabaseKind;
  /** The variables that put a desk process on this database. */
  env: Record<string, string>;
  target: DatabaseTarget;
  /** Opens the database, runs `work` on it and closes it (embedded: only while no process holds it). */
  use<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
};

export async function createProcessDatabase(kind: TestDatabaseKind): Promise<ProcessDatabase> {
  let env: Record<string, string>;
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  if (kind === 'postgres') {
    const database = await createTestDatabase('postgres');
    if (database.target.kind !== 'url') throw new Error('no Postgres server to create a database on');
    // A desk on DATABASE_URL needs configured PII keys.
    env = { DATABASE_URL: database.target.url, ...processPiiEnv };
    target = database.target;
    drop = () => database.drop();
  } else {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'desk-process-'));
    env = { DESK_DATA_DIR: dataDir };
    target = { kind: 'embedded', dataDir };
    drop = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    kind,
    env,
    target,
    async use(work) {
      const database = await openDatabase(target, createLogger('silent'));
      try {
        return await work(database.db);
      } finally {
        await database.close();
      }
    },
    drop,
  };
}

/** Staff members with a known password, created as `pnpm desk staff:create` does (before the desk starts on an embedded folder). */
export async function createProcessStaff(
  database: ProcessDatabase,
  members: { email: string; role: StaffRole }[],
  password: string,
): Promise<void> {
  await database.use(async (db) => {
    for (const member of members) {
      await createStaff(
        db,
        { email: member.email, name: member.email.split('@')[0] ?? member.email, role: member.role, password },
        { kind: 'system' },
      );
    }
  });
}
