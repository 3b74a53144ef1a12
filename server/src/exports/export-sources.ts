/**
 * Where an export's bytes come from. On real Postgres: `COPY (...) TO STDOUT` on a connection
 * of its own, streamed with back-pressure. On the embedded database, which has one connection
 * for the whole process: keyset batches through the desk's own Kysely, framed into the same
 * bytes COPY would send, so the one connection is never held for long.
 */
import { Readable } from 'node:stream';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from '../db/schema.js';
import { csvRecord } from './csv.js';
import { batchStatement, copyStatement, type ExportPlan, type KeysetPosition, keyAliases } from './export-sql.js';

export type ExportSource = {
  stream: Readable;
  /** Gives the connection back; after an abort the query is cancelled and the socket closed. */
  release(aborted: boolean): Promise<void>;
};

export async function openCopySource(
  databaseUrl: string,
  db: Kysely<Database>,
  plan: ExportPlan,
): Promise<ExportSource> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: `desk export ${plan.kind}` });
  // A connection dropping under an export fails the export (through the stream), not the process.
  client.on('error', () => undefined);
  let released = false;
  try {
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = rows[0]?.pid ?? null;
    const stream = client.query(copyTo(copyStatement(plan)));
    // The pipeline listens while it runs; this one keeps a late error (after an abort) quiet.
    stream.on('error', () => undefined);
    return {
      stream,
      async release(aborted) {
        if (released) return;
        released = true;
        if (aborted && pid !== null) {
          await sql`SELECT pg_cancel_backend(${pid})`.execute(db).catch(() => undefined);
        }
        // With a query still running, `end` closes the socket rather than waiting for it.
        await client.end().catch(() => undefined);
      },
    };
  } catch (err) {
    released = true;
    await client.end().catch(() => undefined);
    throw err;
  }
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** The bytes of one batch of rows, framed as COPY frames them. */
function frame(plan: ExportPlan, rows: Record<string, unknown>[]): Buffer {
  let text = '';
  if (plan.format === 'csv') {
    for (const row of rows) text += csvRecord(plan.columns.map((c) => textOf(row[c.name])));
  } else {
    for (const row of rows) text += `${textOf(row.line) ?? ''}\n`;
  }
  return Buffer.from(text, 'utf8');
}

function positionOf(row: Record<string, unknown>): KeysetPosition {
  const at = row[keyAliases[0]];
  const id = row[keyAliases[1]];
  if (!(at instanceof Date) || typeof id !== 'string') throw new Error('export batch row without its keyset position');
  return [at, id];
}

/** Batches of `batchSize` rows in the export's order, each a separate short query. */
export function batchSource(db: Kysely<Database>, plan: ExportPlan, batchSize = 5000): ExportSource {
  async function* bytes(): AsyncGenerator<Buffer> {
    if (plan.format === 'csv') yield Buffer.from(csvRecord(plan.columns.map((c) => c.name)), 'utf8');
    let after: KeysetPosition | null = null;
    for (;;) {
      const { rows } = await sql.raw<Record<string, unknown>>(batchStatement(plan, after, batchSize)).execute(db);
      if (rows.length > 0) yield frame(plan, rows);
      const last = rows[rows.length - 1];
      if (rows.length < batchSize || !last) return;
      after = positionOf(last);
    }
  }
  return { stream: Readable.from(bytes(), { objectMode: false }), release: async () => undefined };
}
