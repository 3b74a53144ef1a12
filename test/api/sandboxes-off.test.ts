/**
 * Sandboxes are a development and demo tool, never part of a deployment. Started through its
 * real entries (the process `pnpm start` runs, and the production one): with DATABASE_URL and
 * no DESK_SANDBOXES (or DESK_SANDBOXES=false) the desk serves no `/sandbox/...` path and its
 * database holds no sandbox table and no `sandbox` schema; with DESK_SANDBOXES=true it warns
 * that it talks to sandboxes. A provider reached at a base URL of its own with a README
 * default secret, or a provider with no base URL and no sandbox, is refused before start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrations } from '@desk/migrations';
import { createLogger, type DatabaseTarget, openDatabase } from '@desk/server';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { processPiiEnv, spawnDesk, spawnRefusedDesk, stopDeskProcess } from '../support/process.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'desk-sandboxes-off-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Real providers, as a deployment configures them: base URLs (nothing answers there) and credentials of its own. */
const realProviders: Record<string, string> = {
  JIKO_BASE_URL: 'http://127.0.0.1:9/jiko',
  JIKO_USERNAME: 'desk-production',
  JIKO_PASSWORD: 'a-real-password',
  JIKO_SIGNING_SECRET: 'a-real-signing-secret',
  JIKO_WEBHOOK_SECRET: 'a-real-jiko-webhook-secret',
  FIN_BASE_URL: 'http://127.0.0.1:9/fin',
  FIN_API_TOKEN: 'a-real-fin-token',
  FIN_WEBHOOK_SECRET: 'a-real-fin-webhook-secret',
  KYC_BASE_URL: 'http://127.0.0.1:9/kyc',
  KYC_API_KEY: 'a-real-kyc-api-key',
  KYC_WEBHOOK_SECRET: 'a-real-kyc-webhook-secret',
};

const sandboxWarning = 'the desk is talking to built-in provider sandboxes, not real providers';

/** Every table or schema of the sandboxes, wherever it may be. */
async function sandboxLeftovers(target: DatabaseTarget): Promise<{ tables: string[]; schemas: string[] }> {
  const database = await openDatabase(target, createLogger('silent'));
  try {
    const tables = await sql<{ name: string }>`
      select table_schema || '.' || table_name as name from information_schema.tables
      where table_schema = 'sandbox' or table_name like 'sandbox%' order by 1`.execute(database.db);
    const schemas = await sql<{
      name: string;
    }>`select nspname as name from pg_namespace where nspname = 'sandbox'`.execute(database.db);
    return { tables: tables.rows.map((r) => r.name), schemas: schemas.rows.map((r) => r.name) };
  } finally {
    await database.close();
  }
}

describe.each(databaseKinds)('sandboxes kept out of a deployment on %s database', { timeout: 180_000 }, (kind) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  /** A fresh database: DATABASE_URL on Postgres, a data folder of its own for the embedded one. */
  async function freshDatabase(name: string): Promise<{ env: Record<string, string>; target: DatabaseTarget }> {
    if (kind === 'postgres') {
      const database = await createTestDatabase('postgres');
      databases.push(database);
      if (database.target.kind !== 'url') throw new Error('expected a Postgres database');
      return { env: { DATABASE_URL: database.target.url, ...processPiiEnv }, target: database.target };
    }
    const dir = path.join(dataDir, name);
    return { env: { DESK_DATA_DIR: dir }, target: { kind: 'embedded', dataDir: dir } };
  }

  // With DATABASE_URL the sandboxes are off unless asked for; the embedded database has them
  // on by default, so there they are switched off explicitly.
  const off: Record<string, string> = kind === 'postgres' ? {} : { DESK_SANDBOXES: 'false' };

  it('When the desk starts with the sandboxes off, then no /sandbox path answers and its database has no sandbox table or schema', async () => {
    const { env, target } = await freshDatabase('off');
    const desk = await spawnDesk({ ...env, ...off, ...realProviders });
    try {
      const calls: [string, string][] = [
        ['POST', '/sandbox/jiko/api/v1/login/'],
        ['GET', '/sandbox/jiko/api/v1/agreements/'],
        ['POST', '/sandbox/jiko/operator/applications/00000000-0000-4000-8000-000000000001/resolve'],
        ['GET', '/sandbox/fin/v1/occupations'],
        ['POST', '/sandbox/fin/v2/customers/individual'],
        ['POST', '/sandbox/kyc/api/v1/customers'],
        ['GET', '/sandbox/kyc/api/v1/customers/customer_000000000000000000000000'],
      ];
      for (const [method, route] of calls) {
        const res = await fetch(`${desk.url}${route}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
        });
        expect(res.status, `${method} ${route}`).toBe(404);
      }
      expect(desk.output()).not.toContain(sandboxWarning);
    } finally {
      expect(await stopDeskProcess(desk, 'SIGTERM')).toBe(0);
    }
    expect(await sandboxLeftovers(target)).toEqual({ tables: [], schemas: [] });
  });

  it('When DESK_SANDBOXES=true, then the sandboxes answer, live in the sandbox schema, and the desk warns that they are not real providers', async () => {
    const { env, target } = await freshDatabase('on');
    const desk = await spawnDesk({ ...env, DESK_SANDBOXES: 'true', DESK_DEMO_DATA: 'false' });
    try {
      const login = await fetch(`${desk.url}/sandbox/jiko/api/v1/login/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'desk-sandbox', password: 'sandbox-password' }),
      });
      expect(login.status).toBe(200);
      const warning = desk
        .output()
        .split('\n')
        .find((line) => line.includes(sandboxWarning));
      expect(warning).toBeDefined();
      expect(JSON.parse(warning ?? '{}')).toMatchObject({ level: 40, sandboxedProviders: ['jiko', 'fin', 'kyc'] });
    } finally {
      expect(await stopDeskProcess(desk, 'SIGTERM')).toBe(0);
    }
    const leftovers = await sandboxLeftovers(target);
    expect(leftovers.schemas).toEqual(['sandbox']);
    expect(leftovers.tables).toContain('sandbox.jiko_applications');
    expect(leftovers.tables.every((name) => name.startsWith('sandbox.'))).toBe(true);
  });

  it.each(['demo', 'production', 'worker'] as const)(
    'When a provider has a base URL of its own but README default secrets, then the %s entry refuses to start naming each of them',
    async (entry) => {
      const { env } = await freshDatabase(`refused-${entry}`);
      const {
        JIKO_USERNAME: _u,
        JIKO_PASSWORD: _p,
        JIKO_WEBHOOK_SECRET: _w,
        FIN_API_TOKEN: _t,
        ...rest
      } = realProviders;
      const refused = await spawnRefusedDesk({ ...env, ...off, ...rest }, entry);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/Unsafe configuration/);
      for (const variable of ['JIKO_USERNAME', 'JIKO_PASSWORD', 'JIKO_WEBHOOK_SECRET', 'FIN_API_TOKEN'])
        expect(refused.output).toContain(variable);
      // Changed from the default, so not named.
      for (const variable of ['JIKO_SIGNING_SECRET', 'FIN_WEBHOOK_SECRET', 'KYC_API_KEY', 'KYC_WEBHOOK_SECRET'])
        expect(refused.output).not.toContain(variable);
    },
  );

  it('When a database from before still holds the old public.sandbox_* tables, then the desk migration drops them', async () => {
    const { target } = await freshDatabase('old-tables');
    const database = await openDatabase(target, createLogger('silent'));
    try {
      // As the removed migrations left them (abridged): two tables, one referencing the other.
      await sql`
        CREATE TABLE public.sandbox_jiko_agreements (version text PRIMARY KEY);
        CREATE TABLE public.sandbox_jiko_applications (id uuid PRIMARY KEY, agreement_version text REFERENCES public.sandbox_jiko_agreements (version));
        CREATE TABLE public.sandbox_kyc_customers (id text PRIMARY KEY);
      `.execute(database.db);
      const step = migrations['2026-12-07T00-00-00_sandboxes_moved_out'];
      expect(step).toBeDefined();
      await step?.up(database.db);
      const left = await sql<{ name: string }>`
        select table_name as name from information_schema.tables where table_name like 'sandbox%'`.execute(database.db);
      expect(left.rows).toEqual([]);
      // Run again where there is nothing to drop (every fresh database): nothing happens.
      await step?.up(database.db);
    } finally {
      await database.close();
    }
  });

  it('When the sandboxes are off and a provider has no base URL, then the desk refuses to start naming the variable', async () => {
    const { env } = await freshDatabase('no-base-url');
    const { KYC_BASE_URL: _kyc, ...rest } = realProviders;
    const refused = await spawnRefusedDesk({ ...env, ...off, ...rest });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('Set KYC_BASE_URL');
    expect(refused.output).not.toContain('JIKO_BASE_URL');
  });
});
