/**
 * Brings the sandboxes' tables to their newest migration: run where the sandboxes are
 * mounted (and before demo data is written to them), always after the desk's own migrations.
 * Applying it again is a no-op, so every step that needs the tables may call it.
 */

import type { Database } from '@desk/server';
import type { Kysely } from 'kysely';
import { type MigrationProvider, Migrator } from 'kysely/migration';
import { sandboxMigrations } from './migrations/index.js';

export const sandboxSchema = 'sandbox';

const provider: MigrationProvider = { getMigrations: async () => sandboxMigrations };

export async function migrateSandboxes(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableSchema: sandboxSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`sandbox migration failed: ${String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
