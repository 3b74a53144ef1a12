/**
 * The append-only tables — internal review outcomes, notes, status history and the audit
 * trail — refuse UPDATE, DELETE and TRUNCATE in the database itself, by trigger, even from the
 * role that owns them (the one that ran the migrations). And a role with only the privileges
 * every role has (PUBLIC) cannot write them at all: the grants stop it before any trigger runs.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '@desk/server';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

/** Each append-only table (as named in server/src/db/schema.ts) and a text column to rewrite. */
const appendOnly = [
  { table: 'application_outcomes', column: 'note' },
  { table: 'application_notes', column: 'body' },
  { table: 'status_history', column: 'reason' },
  { table: 'audit_events', column: 'actor' },
] as const satisfies readonly { table: keyof Database; column: string }[];

const rowsIn = async (db: Kysely<Database>, table: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n ?? 0);

describe.each(databaseKinds)('append-only tables on %s database', (kind) => {
  let desk: TestDesk;

  beforeAll(async () => {
    desk = await startTestDesk(kind);
    // A row in each table: row triggers fire only for rows a statement touches.
    const created = await desk.post<{ id: string }>('/api/applications', intakeRequest('jiko', applicant('4')));
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(
      (await desk.post(`/api/applications/${id}/notes`, { body: 'Called the customer about the address' })).status,
    ).toBe(201);
    const version = (await desk.get<{ version: number }>(`/api/applications/${id}`)).body.version;
    const outcome = await desk.post(`/api/applications/${id}/outcomes`, {
      outcome: 'cleared',
      reasonCode: 'documents_verified',
      note: 'All documents match',
      version,
    });
    expect(outcome.status).toBe(201);
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it.each(appendOnly)(
    'When the owner of $table tries UPDATE, DELETE and TRUNCATE, then the trigger refuses each and every row stays',
    async ({ table, column }) => {
      const owner = await sql<{
        owns: boolean;
      }>`select tableowner = current_user as owns from pg_tables where schemaname = 'public' and tablename = ${table}`.execute(
        desk.db,
      );
      expect(owner.rows[0]?.owns).toBe(true);
      const before = await rowsIn(desk.db, table);
      expect(before).toBeGreaterThan(0);

      const refused = (operation: string) => new RegExp(`${table} is append-only: ${operation} refused`);
      await expect(
        sql`update ${sql.table(table)} set ${sql.ref(column)} = 'rewritten'`.execute(desk.db),
      ).rejects.toThrow(refused('UPDATE'));
      await expect(sql`delete from ${sql.table(table)}`.execute(desk.db)).rejects.toThrow(refused('DELETE'));
      await expect(sql`truncate ${sql.table(table)}`.execute(desk.db)).rejects.toThrow(refused('TRUNCATE'));
      expect(await rowsIn(desk.db, table)).toBe(before);
    },
  );

  if (kind === 'postgres') {
    describe('a role with only PUBLIC privileges', () => {
      const role = `desk_public_only_${randomBytes(4).toString('hex')}`;
      let client: pg.Client;
      beforeAll(async () => {
        client = new pg.Client({ connectionString: desk.databaseUrl });
        await client.connect();
        await client.query(`CREATE ROLE ${role} NOLOGIN`);
      });
      afterAll(async () => {
        await client?.query(`DROP ROLE IF EXISTS ${role}`);
        await client?.end();
      });

      /** Runs `statement` as the role, in a transaction rolled back whatever happens. */
      const asRole = async (statement: string) => {
        await client.query('BEGIN');
        try {
          await client.query(`SET LOCAL ROLE ${role}`);
          await client.query(statement);
        } finally {
          await client.query('ROLLBACK');
        }
      };

      it.each(appendOnly)(
        'When it tries to INSERT, UPDATE, DELETE or TRUNCATE $table, then permission is denied before any trigger runs',
        async ({ table, column }) => {
          const denied = new RegExp(`permission denied for table ${table}`);
          await expect(asRole(`INSERT INTO ${table} DEFAULT VALUES`)).rejects.toThrow(denied);
          // No column is read (that would need SELECT): only the UPDATE privilege is in play.
          await expect(asRole(`UPDATE ${table} SET ${column} = 'rewritten'`)).rejects.toThrow(denied);
          await expect(asRole(`DELETE FROM ${table}`)).rejects.toThrow(denied);
          await expect(asRole(`TRUNCATE ${table}`)).rejects.toThrow(denied);
        },
      );
    });
  }
});
