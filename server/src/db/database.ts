/**
 * The one database path: a `pg` Pool under Kysely's PostgresDialect, whether the server is
 * the embedded PGlite or a real Postgres.
 */
import { createHash } from 'node:crypto';
import {
  type Compilable,
  CompiledQuery,
  type Expression,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type QueryResult,
  type SqlBool,
  sql,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// `date` columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// bigint counts fit comfortably in a JS number for everything this desk counts.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type DeskDatabase = {
  db: Kysely<Database>;
  pool: pg.Pool;
  destroy(): Promise<void>;
};

/**
 * SQL text that starts with this comment runs as a named prepared statement (on a real Postgres;
 * see `connectDatabase`): parsed and planned once per connection, then only bound and executed.
 * For the few statements every request or event runs (the session, "next case", the webhook
 * path). Such text must have a fixed shape — values as parameters, or literals from a closed
 * set — since each distinct text stays prepared on every connection.
 */
export const preparedMarker = '/* prepared */';

/**
 * Runs a query built with Kysely as a named prepared statement (see `preparedMarker`), for the
 * statements of the write paths that run once per event (a webhook stored and applied): planning
 * them anew each time cost more than running them. The query must have a fixed shape: values as
 * parameters, a list as one array parameter (`isOneOf`), never a list spelt out. It must name
 * its columns (no `SELECT *`, no `RETURNING *`): a prepared statement's result columns are fixed
 * when it is prepared, and Postgres refuses to run it once a migration (a newer release's, while
 * this process still runs) has added a column to its table.
 */
export function executePrepared<R>(executor: Kysely<Database>, query: Compilable<R>): Promise<QueryResult<R>> {
  const compiled = query.compile();
  return executor.executeQuery<R>(CompiledQuery.raw(`${preparedMarker}\n${compiled.sql}`, [...compiled.parameters]));
}

/**
 * `value = $1` for one value, `value = any($1)` for several: two texts for a prepared statement.
 * Postgres settles on one plan for the one-value text (a key lookup costs the same whatever the
 * key) but plans the list anew at every run, as its plan for a list of unknown length looks
 * dearer than one for the list at hand (and is: it combines the key with a second index). Most
 * webhook applies are about one event: 0.38 → 0.14 ms of Postgres CPU to read their events.
 */
export function isOneOf(value: Expression<string>, values: readonly string[]): Expression<SqlBool> {
  const [only] = values;
  return values.length === 1 && only !== undefined
    ? sql<SqlBool>`${value} = ${only}`
    : sql<SqlBool>`${value} = any(${[...values]})`;
}

/** Statement names by text; the texts are few (fixed shapes), so this stays small. */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `desk_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * The pool as Kysely sees it. With `prepare`, statements marked as prepared are named; without
 * it they run as any other statement.
 */
function preparingPool(pool: pg.Pool, prepare: boolean): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = async (text: string, parameters: ReadonlyArray<unknown>) => {
        const result: pg.QueryResult | pg.QueryResult[] = await client.query({
          text,
          values: [...parameters],
          ...(prepare && text.startsWith(preparedMarker) ? { name: statementName(text) } : {}),
        });
        if (!Array.isArray(result)) return result;
        // Several statements in one text (the job queue's SQL, often ending in COMMIT): pg answers
        // one result each, and the caller gets every statement's rows, in order. No command is
        // named: Kysely drops the rows of an answer it takes for a COMMIT or ROLLBACK.
        return { command: '', rowCount: null, rows: result.flatMap((r) => r.rows) };
      };
      // The dialect has no cursor constructor configured, so it only ever calls query(text,
      // parameters), and reads command, rowCount and rows of what it gets back.
      return { query: query as unknown as PostgresPoolClient['query'], release: () => client.release() };
    },
    end: () => pool.end(),
    // Kysely reads the pool's options to open a control connection when it cancels a query.
    options: pool.options,
  };
}

/**
 * `prepare` names the statements marked as prepared (see `preparedMarker`); only for a real
 * Postgres. The embedded database is one backend behind its socket server: a statement
 * prepared there outlives the connection that prepared it and is shared by every connection,
 * so a new connection (the pool replacing one, a second pool) preparing the same name would be
 * refused ("prepared statement … already exists").
 */
export function connectDatabase(
  connectionString: string,
  options: { max?: number; prepare?: boolean } = {},
): DeskDatabase {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client losing its server (a restart, a network blip) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: preparingPool(pool, options.prepare ?? false) }),
  });
  return {
    db,
    pool,
    destroy: () => db.destroy(),
  };
}
