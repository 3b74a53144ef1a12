import { Router } from 'express';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isMigrated } from '../db/migrate.js';

export function healthRoutes(db: Kysely<Database>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(db);
      const migrated = await isMigrated(db);
      res.status(migrated ? 200 : 503).json({ ok: migrated, database: 'reachable', migrated });
    } catch {
      res.status(503).json({ ok: false, database: 'unreachable', migrated: false });
    }
  });
  return router;
}
