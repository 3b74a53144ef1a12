import { Router } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type ExportContext = {
  db: Kysely<Database>;
  /** The database's connection string (exports stream from their own connection on Postgres). */
  databaseUrl: string;
  /** The embedded database has a single connection: exports read it in keyset batches. */
  embedded: boolean;
};

/** Streamed auditor exports (status history, consents) and their manifests. */
export function exportRoutes(_ctx: ExportContext): Router {
  const router = Router();
  return router;
}
