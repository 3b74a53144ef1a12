/**
 * Hearing that the audit trail moved: Postgres `LISTEN desk_case_events` (the audit trigger
 * notifies it in the writing transaction, so several desk processes on one database each hear
 * every change at its commit).
 *
 * On Postgres each desk process listens on a connection of its own, reconnecting with backoff
 * when it is lost (and then reading what it may have missed). The embedded database (PGlite
 * behind its socket server) is one session: a notification is answered to whichever connection
 * ran the commit, never to a second one that listens, so there the desk listens on its one
 * pooled connection itself; nothing but this process writes that database (its data folder is
 * locked).
 */
import pg from 'pg';
import type { Logger } from '../logger.js';

export const caseEventsChannel = 'desk_case_events';

export type TrailNotifications = {
  /** Starts listening; `onMoved` runs after each notification and after each reconnection. */
  start(onMoved: () => void): Promise<void>;
  stop(): Promise<void>;
};

const listenStatement = `LISTEN ${caseEventsChannel}`;

/** A dedicated listening connection to a Postgres server. */
export function postgresNotifications(url: string, logger: Logger): TrailNotifications {
  let client: pg.Client | null = null;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let failures = 0;
  let onMoved: () => void = () => undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: 'desk-live' });
    next.on('notification', (message) => {
      if (message.channel === caseEventsChannel) onMoved();
    });
    const lost = (err?: Error) => {
      if (client !== next) return;
      client = null;
      next.removeAllListeners('end');
      void next.end().catch(() => undefined);
      if (!stopped) {
        logger.warn({ err }, 'live updates: the listening connection was lost; reconnecting');
        schedule();
      }
    };
    next.on('error', lost);
    next.on('end', () => lost());
    await next.connect();
    await next.query(listenStatement);
    if (stopped) {
      await next.end();
      return;
    }
    client = next;
    failures = 0;
    // Anything committed while nobody listened is read now.
    onMoved();
  };

  const schedule = () => {
    if (stopped || retryTimer) return;
    const delay = Math.min(30_000, 500 * 2 ** failures);
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect().catch((err: unknown) => {
        logger.warn({ err }, 'live updates: could not listen for case changes; trying again');
        schedule();
      });
    }, delay);
    retryTimer.unref();
  };

  return {
    async start(handler) {
      onMoved = handler;
      await connect();
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners('end');
        await current.end().catch(() => undefined);
      }
    },
  };
}

/** The embedded database: listen on the pool's own (single) connection. */
export function embeddedNotifications(pool: pg.Pool): TrailNotifications {
  let onMoved: () => void = () => undefined;
  const watched = new WeakSet<pg.PoolClient>();
  const watch = (client: pg.PoolClient) => {
    if (watched.has(client)) return;
    watched.add(client);
    client.on('notification', (message) => {
      if (message.channel === caseEventsChannel) onMoved();
    });
  };
  const onConnect = (client: pg.PoolClient) => {
    watch(client);
    // The session keeps listening across connections; saying so again is harmless.
    client.query(listenStatement).catch(() => undefined);
  };
  return {
    async start(handler) {
      onMoved = handler;
      pool.on('connect', onConnect);
      const client = await pool.connect();
      try {
        watch(client);
        await client.query(listenStatement);
      } finally {
        client.release();
      }
    },
    async stop() {
      pool.off('connect', onConnect);
    },
  };
}
