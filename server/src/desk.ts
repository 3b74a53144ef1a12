/**
 * Starts the whole desk: the database (embedded or DATABASE_URL), migrations, demo data on
 * an empty database, and the HTTP server. Used by `pnpm start`, the CLI and the tests.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { createApp } from './app.js';
import { connectDatabase } from './db/database.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { startEmbeddedPostgres } from './db/embedded.js';
import { migrateToLatest } from './db/migrate.js';
import type { Database } from './db/schema.js';
import { countApplicationRows, seedDemoData } from './demo/seed.js';
import type { Logger } from './logger.js';

export type DatabaseTarget =
  | { kind: 'url'; url: string }
  /** `dataDir` null keeps the embedded database in memory (tests). */
  | { kind: 'embedded'; dataDir: string | null };

export type OpenedDatabase = { db: Kysely<Database>; url: string; close(): Promise<void> };

/** Opens (starting it first when embedded) and migrates the database. */
export async function openDatabase(target: DatabaseTarget, logger: Logger): Promise<OpenedDatabase> {
  let url: string;
  let stopEmbedded = async (): Promise<void> => undefined;
  let unlock = (): void => undefined;
  if (target.kind === 'url') {
    url = target.url;
  } else {
    unlock = target.dataDir ? lockDataDir(target.dataDir) : unlock;
    try {
      const embedded = await startEmbeddedPostgres(target.dataDir ? path.join(target.dataDir, 'pglite') : null);
      url = embedded.url;
      stopEmbedded = embedded.stop;
    } catch (err) {
      unlock();
      throw err;
    }
    logger.info({ dataDir: target.dataDir ?? 'memory' }, 'embedded database started');
  }
  const { db, destroy } = connectDatabase(url);
  const close = async () => {
    await destroy();
    await stopEmbedded();
    unlock();
  };
  try {
    const applied = await migrateToLatest(db);
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
  } catch (err) {
    await close();
    throw err;
  }
  return { db, url, close };
}

export type DeskOptions = {
  database: DatabaseTarget;
  port: number;
  logger: Logger;
  clientDir?: string;
  /** Seed this many demo applications when the database has none. */
  demoCount?: number;
};

export type RunningDesk = {
  url: string;
  port: number;
  db: Kysely<Database>;
  databaseUrl: string;
  close(): Promise<void>;
};

export async function startDesk(options: DeskOptions): Promise<RunningDesk> {
  const { logger } = options;
  const database = await openDatabase(options.database, logger);
  try {
    if (options.demoCount && (await countApplicationRows(database.db)) === 0) {
      logger.info({ count: options.demoCount }, 'seeding demo data');
      await seedDemoData(database.db, { count: options.demoCount });
    }
    const app = createApp({ db: database.db, logger, clientDir: options.clientDir });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(options.port, () => resolve(s));
      s.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    let closing: Promise<void> | null = null;
    return {
      url: `http://localhost:${port}`,
      port,
      db: database.db,
      databaseUrl: database.url,
      close() {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          await database.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
