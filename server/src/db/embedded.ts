/**
 * The embedded database: PGlite (Postgres compiled to WebAssembly) with its data in a local
 * folder, served on a loopback port so the rest of the desk connects to it like any Postgres.
 * PGlite runs one query at a time; the socket server multiplexes connections and keeps each
 * transaction on its own connection, which is correct but slow. It is for trying the desk
 * and for tests, not for production.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export type EmbeddedPostgres = {
  /** A connection string for `pg`. */
  url: string;
  stop(): Promise<void>;
};

/**
 * Postgres's buffer pool inside PGlite. Its default (128 MB) is touched as it fills and stays
 * resident, as all WebAssembly memory does; the demo's database is a few tens of megabytes, and
 * pages out of the pool are a copy away (PGlite's file system or the OS's page cache).
 */
const sharedBuffers = '16MB';

/** Starts PGlite on `dataDir` (or in memory when null) and serves it on 127.0.0.1. */
export async function startEmbeddedPostgres(dataDir: string | null, port = 0): Promise<EmbeddedPostgres> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir: dataDir ?? undefined,
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`],
  });
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port, maxConnections: 64 });
  await server.start();
  const address = server.getServerConn();
  let stopped = false;
  return {
    url: `postgres://postgres@${address}/postgres?sslmode=disable`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      // Closing PGlite flushes its data folder; a data folder closed this way reopens intact.
      await pglite.close();
    },
  };
}
