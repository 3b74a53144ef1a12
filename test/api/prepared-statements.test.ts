/**
 * Named prepared statements (`preparedMarker`, `executePrepared`): planned once per connection on
 * a real Postgres. The embedded database is one backend behind its socket server, where a named
 * statement outlives the connection that prepared it and is shared by all of them: there the desk
 * must not name its statements, or a new connection (the pool replacing one, a second pool)
 * preparing the same name is refused and the request answers 500.
 */

import { randomUUID } from 'node:crypto';
import { connectDatabase, createLogger, type OpenedDatabase, openDatabase } from '@desk/server';
import { executePrepared, isOneOf, lockApplication, poolOptionsFor } from '@desk/server/internals';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

describe.each(databaseKinds)('prepared statements on %s database', (kind) => {
  let database: TestDatabase;
  let opened: OpenedDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    opened = await openDatabase(database.target, createLogger('silent'));
  }, 120_000);
  afterAll(async () => {
    await opened?.close();
    await database?.drop();
  });

  const lookup = (db: OpenedDatabase['db'], email: string) =>
    executePrepared(db, db.selectFrom('staff').select(['id', 'email']).where('email', '=', email));

  it('When the desk opens a second connection of its kind after the first ran a prepared statement, then both run it', async () => {
    expect((await lookup(opened.db, 'nobody@test.desk')).rows).toEqual([]);
    // The desk's own pool options, as a pool replacing its connection would connect.
    const second = connectDatabase(opened.url, { ...poolOptionsFor(database.target), max: 1 });
    try {
      expect((await lookup(second.db, 'nobody@test.desk')).rows).toEqual([]);
      expect((await lookup(opened.db, 'someone@test.desk')).rows).toEqual([]);
      // On a real Postgres the statement is prepared on the connection that ran it.
      const prepared = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'desk\\_%'`.execute(second.db);
      expect(prepared.rows[0]?.n ?? 0).toBe(kind === 'postgres' ? 1 : 0);
    } finally {
      await second.destroy();
    }
  });

  it('When a newer release adds a column to applications while the desk runs, then locking a case still works', async () => {
    const single = connectDatabase(opened.url, { ...poolOptionsFor(database.target), max: 1 });
    const lock = () => single.db.transaction().execute((trx) => lockApplication(trx, randomUUID()));
    try {
      expect(await lock()).toBeUndefined();
      // Prepared (planned once) on a real Postgres: it runs on every change to a case.
      const prepared = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'desk\\_%'`.execute(single.db);
      expect(prepared.rows[0]?.n ?? 0).toBe(kind === 'postgres' ? 1 : 0);
      await sql`ALTER TABLE applications ADD COLUMN added_by_a_newer_release text`.execute(opened.db);
      // A prepared `SELECT *` would now be refused: "cached plan must not change result type".
      expect(await lock()).toBeUndefined();
    } finally {
      await sql`ALTER TABLE applications DROP COLUMN IF EXISTS added_by_a_newer_release`.execute(opened.db);
      await single.destroy();
    }
  });

  it('When a prepared statement looks up one key again and again, then it is planned once; a list is planned at every run', async () => {
    const single = connectDatabase(opened.url, { ...poolOptionsFor(database.target), max: 1 });
    const byEmails = (emails: string[]) =>
      executePrepared(
        single.db,
        single.db
          .selectFrom('staff')
          .select(['id', 'email'])
          .where((eb) => isOneOf(eb.ref('email'), emails)),
      );
    const plans = async (oneOrMany: 'one' | 'many') =>
      (
        await sql<{ generic: number; custom: number }>`
          SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements
          WHERE name LIKE 'desk\\_%' AND statement LIKE ${oneOrMany === 'one' ? '%= $1' : '%= any($1)'}`.execute(
          single.db,
        )
      ).rows[0];
    try {
      for (let run = 0; run < 8; run++) {
        expect((await byEmails([`nobody.${run}@test.desk`])).rows).toEqual([]);
        expect((await byEmails([`nobody.${run}@test.desk`, `somebody.${run}@test.desk`])).rows).toEqual([]);
      }
      if (kind === 'embedded') return;
      // Postgres plans the first five runs for their values, then weighs one plan for all.
      expect(await plans('one')).toEqual({ generic: 3, custom: 5 });
      expect(await plans('many')).toEqual({ generic: 0, custom: 8 });
    } finally {
      await single.destroy();
    }
  });
});
