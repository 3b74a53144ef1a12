/**
 * The job queue (pg-boss on the desk's own database). Jobs are enqueued inside the
 * transaction that records their intent, so an action is either written and queued, or
 * neither. Workers may run in the API process or on their own (`pnpm worker`).
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { type Db, PgBoss } from 'pg-boss';
import { preparedMarker } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';

export const queues = {
  providerAction: 'provider-action',
  reconcile: 'reconcile',
  intake: 'intake',
} as const;
export type QueueName = (typeof queues)[keyof typeof queues];

export type ProviderActionJob = { actionId: string };
export type ReconcileJob = Record<string, never>;
export type IntakeJob = { intakeId: string };
type JobData = {
  'provider-action': ProviderActionJob;
  reconcile: ReconcileJob;
  intake: IntakeJob;
};

/**
 * Retries with exponential backoff: 2 s, 4 s, 8 s … about 8 minutes in all. The webhook inbox
 * (webhooks/webhook-queue.ts) retries its events on the same terms.
 */
export const retryPolicy = { retryLimit: 8, retryDelay: 2, retryBackoff: true } as const;
/** A job whose worker died is picked up again after this long (DESK_JOB_EXPIRE_SECONDS). */
const defaultExpireInSeconds = 60;

export type JobQueue = {
  boss: PgBoss;
  /** On the embedded database: pg-boss shares the desk's one connection. */
  embedded: boolean;
  /** After this long a job whose worker died is picked up again. */
  expireInSeconds: number;
  /** Enqueues one reconcile run unless one was enqueued in the last `everySeconds`, across all processes. */
  requestReconcile(everySeconds: number): Promise<void>;
  /**
   * Enqueues in the caller's transaction. `id` names the job (one job per id: while a job of
   * that id is in the queue's table, in whatever state, nothing is sent); `startAfterSeconds`
   * holds it back that long.
   */
  send<Q extends QueueName>(
    trx: Transaction<Database> | Kysely<Database>,
    queue: Q,
    data: JobData[Q],
    options?: { id?: string; startAfterSeconds?: number },
  ): Promise<void>;
  /** A job no worker has taken yet becomes due after the first retry delay, as a failed one would. */
  retrySoon(db: Transaction<Database> | Kysely<Database>, queue: QueueName, id: string): Promise<void>;
  /** Drops a job left with nothing to do. */
  discard(db: Transaction<Database> | Kysely<Database>, queue: QueueName, id: string): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Runs pg-boss's SQL through a Kysely executor (a transaction, or the shared pool). With
 * `prepare`, a single statement runs as a named prepared statement (`preparedMarker`): pg-boss's
 * insert of a job is one fixed text per queue, and planning it took longer than running it.
 */
function executorOf(executor: Kysely<Database>, options: { prepare?: boolean } = {}): Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const single = !text.trim().replace(/;$/, '').includes(';');
      const sql = options.prepare && single ? `${preparedMarker}\n${text}` : text;
      const result = await executor.executeQuery(CompiledQuery.raw(sql, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  };
}

export async function startJobQueue(
  database: { url: string; db: Kysely<Database>; embedded: boolean },
  logger: Logger,
  options: { expireInSeconds?: number } = {},
): Promise<JobQueue> {
  const expireInSeconds = options.expireInSeconds ?? defaultExpireInSeconds;
  // Expired jobs are found by pg-boss's monitoring pass (started by its supervisor): run both
  // often enough that a job whose worker died is retried within about twice its expiry.
  const everySeconds = Math.max(1, Math.min(60, expireInSeconds));
  const maintenance = { superviseIntervalSeconds: everySeconds, monitorIntervalSeconds: everySeconds };
  // On the embedded database pg-boss shares the desk's single connection; on Postgres it
  // keeps a small pool of its own.
  const boss = database.embedded
    ? new PgBoss({ db: executorOf(database.db), ...maintenance })
    : new PgBoss({ connectionString: database.url, max: 3, ...maintenance });
  boss.on('error', (err: Error) => logger.error({ err }, 'job queue error'));
  await boss.start();
  for (const name of Object.values(queues)) {
    await boss.createQueue(name, { ...retryPolicy, expireInSeconds });
  }
  return {
    boss,
    embedded: database.embedded,
    expireInSeconds,
    async send(trx, queue, data, options = {}) {
      await boss.send(queue, data, {
        ...retryPolicy,
        expireInSeconds,
        db: executorOf(trx, { prepare: true }),
        ...(options.id === undefined ? {} : { id: options.id }),
        ...(options.startAfterSeconds === undefined ? {} : { startAfter: options.startAfterSeconds }),
      });
    },
    async retrySoon(db, queue, id) {
      await boss.update(queue, undefined, { id, startAfter: retryPolicy.retryDelay, db: executorOf(db) });
    },
    async discard(db, queue, id) {
      await boss.deleteJob(queue, id, { db: executorOf(db) });
    },
    async requestReconcile(everySeconds) {
      await boss.send(
        queues.reconcile,
        {},
        { singletonKey: 'reconcile', singletonSeconds: everySeconds, retryLimit: 0, expireInSeconds },
      );
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
