import type { AddressInfo } from 'node:net';
import { routes } from '@desk/shared';
import express from 'express';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/schema.js';
import { createLogger } from '../logger.js';
import { AppError } from './app-error.js';
import { dispatchRoutes, errorMismatchOf, type ResponseMismatch, replyMismatchOf } from './dispatch.js';
import { errorHandler } from './error-handler.js';
import type { RouteHandlers } from './route-handler.js';

/** A database nobody reaches: the routes used here are public, so the gate never asks it. */
const noDatabase = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** Serves `handlers` through the dispatcher with the check on; returns what each request answered and what was reported. */
async function serve(handlers: Partial<RouteHandlers>) {
  const reported: ResponseMismatch[] = [];
  const app = express();
  app.use(
    dispatchRoutes({
      db: noDatabase,
      sessions: { idleTimeoutSeconds: 60, absoluteTimeoutSeconds: 600 },
      // Only the routes a test calls have a handler.
      handlers: handlers as RouteHandlers,
      checkResponses: (mismatch) => reported.push(mismatch),
    }),
  );
  app.use(errorHandler(createLogger('silent')));
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    reported,
    get: (path: string) => fetch(`${base}${path}`),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('holding answers to the route table', () => {
  it('When an answer has a status or a body its route does not declare, then the check names the mismatch', () => {
    expect(replyMismatchOf(routes.getHealth, { status: 200, body: { ok: true } })).toBeNull();
    expect(replyMismatchOf(routes.getHealth, { status: 200, body: { ok: 'yes' } })).toMatch(
      /^GET \/healthz answered a body its schema refuses: .*\n.*→ at ok/,
    );
    expect(replyMismatchOf(routes.getHealth, { status: 201, body: { ok: true } })).toBe(
      'GET /healthz answered 201, which its route does not declare',
    );
    expect(errorMismatchOf(routes.getApplication, 404)).toBeNull();
    expect(errorMismatchOf(routes.getHealth, 404)).toBe(
      'GET /healthz answered 404, an error its route does not declare',
    );
    expect(errorMismatchOf(routes.getHealth, 500)).toBeNull();
  });

  it('When a handler answers a shape its route does not declare, then the mismatch is reported and answered 500', async () => {
    const desk = await serve({
      getHealth: async () => ({ status: 200, body: { ok: 'yes' } as unknown as { ok: true } }),
      getOpenApi: async () => {
        throw AppError.notFound('Document');
      },
      getReadiness: async () => ({ status: 200, body: { ok: true, database: 'reachable', migrated: true } }),
    });
    try {
      expect((await desk.get('/healthz')).status).toBe(500);
      // An error the route does not declare is reported too, whatever status the caller expected.
      expect((await desk.get('/api/openapi.json')).status).toBe(500);
      expect((await desk.get('/readyz')).status).toBe(200);
      expect(desk.reported.map((m) => m.message)).toEqual([
        expect.stringMatching(/^GET \/healthz answered a body its schema refuses/),
        'GET /api/openapi.json answered 404, an error its route does not declare',
      ]);
    } finally {
      await desk.close();
    }
  });
});
