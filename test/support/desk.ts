/**
 * A running desk for a test file: real HTTP server, real database, optional demo data
 * seeded at a fixed reference time so ages and counts are reproducible.
 */
import { createLogger, seedDemoData, startDesk, type JikoSettings, type RunningDesk } from '@desk/server';
import { createTestDatabase, type TestDatabaseKind } from './databases.js';

export type TestDesk = RunningDesk & {
  kind: TestDatabaseKind;
  get<T>(path: string): Promise<{ status: number; body: T }>;
  post<T>(path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
};

export const referenceNow = new Date('2026-11-01T12:00:00Z');

export async function startTestDesk(
  kind: TestDatabaseKind,
  options: {
    demoCount?: number;
    clientDir?: string;
    jiko?: JikoSettings;
    sandboxDecisionDelayMs?: number;
    jobExpireSeconds?: number;
    /** Where providers send webhooks (default: the desk itself). */
    publicUrl?: string;
    /** Polling is off in tests unless asked for. */
    reconcileEverySeconds?: number;
    staleAfterSeconds?: number;
  } = {},
): Promise<TestDesk> {
  const database = await createTestDatabase(kind);
  const desk = await startDesk({
    database: database.target,
    port: 0,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    clientDir: options.clientDir,
    jiko: options.jiko,
    sandboxDecisionDelayMs: options.sandboxDecisionDelayMs ?? 100,
    jobExpireSeconds: options.jobExpireSeconds,
    publicUrl: options.publicUrl,
    reconcileEverySeconds: options.reconcileEverySeconds ?? 0,
    staleAfterSeconds: options.staleAfterSeconds,
  });
  if (options.demoCount) await seedDemoData(desk.db, { count: options.demoCount, now: referenceNow, seed: 7 });
  return {
    ...desk,
    kind,
    async get<T>(path: string) {
      const res = await fetch(`${desk.url}${path}`);
      return { status: res.status, body: (await res.json()) as T };
    },
    async post<T>(path: string, body?: unknown) {
      const res = await fetch(`${desk.url}${path}`, {
        method: 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    async stop() {
      await desk.close();
      await database.drop();
    },
  };
}
