import { type Kysely, sql } from 'kysely';
import { isMigrated } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';

export function healthRoutes(db: Kysely<Database>): Pick<RouteHandlers, 'getHealth' | 'getReadiness'> {
  return {
    getHealth: async () => ({ status: 200, body: { ok: true } }),
    getReadiness: async () => {
      let migrated: boolean;
      try {
        await sql`select 1`.execute(db);
        migrated = await isMigrated(db);
      } catch {
        throw new AppError('unavailable', 'The database is unreachable');
      }
      if (!migrated) throw new AppError('unavailable', 'The database is not migrated yet');
      return { status: 200, body: { ok: true, database: 'reachable', migrated: true } };
    },
  };
}
