import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** The audit trail's read side: events (keyset), chain verification, per-case events and report. */
export function auditRoutes(_db: Kysely<Database>): Router {
  const router = Router();
  return router;
}
