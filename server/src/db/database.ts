/**
 * The one database path: a `pg` Pool under Kysely's PostgresDialect, whether the server is
 * the embedded PGlite or a real Postgres.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// `date` columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// bigint counts fit comfortably in a JS number for everything this desk counts.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type DeskDatabase = {
  db: Kysely<Database>;
  pool: pg.Pool;
  destroy(): Promise<void>;
};

export function connectDatabase(connectionString: string, options: { max?: number } = {}): DeskDatabase {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client losing its server (a restart, a network blip) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    destroy: () => db.destroy(),
  };
}
