/**
 * Export runs: each export is recorded before its first byte (with the audit chain's lane heads
 * at that moment) and settled after its last one with what was sent (rows, bytes, SHA-256), each
 * step audited. The manifest is that record, so an auditor can check a downloaded file.
 */

import { type ExportManifest, type ExportRunList, type ExportRunListQuery, exportFileName } from '@desk/shared';
import { type Kysely, type Selectable, sql } from 'kysely';
import { decodeKeyset, encodeKeyset } from '../applications/keyset-cursor.js';
import { auditChainHeads } from '../audit/audit-chain.js';
import { recordAudit, type StaffActor } from '../audit/audit-log.js';
import type { Database, ExportRunTable } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { ExportMeasure } from './export-meter.js';
import type { ExportPlan } from './export-sql.js';

type RunRow = Selectable<ExportRunTable> & { requested_by_email: string | null };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function manifestOf(row: RunRow): ExportManifest {
  const spreadsheetSafe = row.filters.spreadsheetSafe === 'true';
  return {
    id: row.id,
    kind: row.kind,
    format: row.format,
    // Recorded with the filters when the run began (`filtersOf`), so the run row needs no column of its own.
    spreadsheetSafe,
    filters: row.filters,
    requestedBy: row.requested_by_email ?? row.requested_by,
    state: row.state,
    startedAt: row.started_at.toISOString(),
    finishedAt: iso(row.finished_at),
    rowCount: row.row_count,
    byteCount: row.byte_count,
    sha256: row.sha256,
    fileName: exportFileName({ kind: row.kind, format: row.format, spreadsheetSafe, startedAt: row.started_at }),
    chainHeads: row.chain_heads,
  };
}

function selectRuns(db: Kysely<Database>) {
  return db
    .selectFrom('export_runs as r')
    .leftJoin('staff as s', 's.id', 'r.requested_by')
    .selectAll('r')
    .select('s.email as requested_by_email');
}

/** Records the run as running and audits its start; returns its id and when it began. */
export async function startRun(
  db: Kysely<Database>,
  actor: StaffActor,
  plan: ExportPlan,
  filters: Record<string, string>,
): Promise<{ id: string; startedAt: Date }> {
  return db.transaction().execute(async (trx) => {
    const heads = await auditChainHeads(trx);
    const { id, started_at } = await trx
      .insertInto('export_runs')
      .values({
        kind: plan.kind,
        format: plan.format,
        filters: JSON.stringify(filters),
        requested_by: actor.staffId,
        chain_heads: JSON.stringify(heads),
      })
      .returning(['id', 'started_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: 'export.started',
      entityId: id,
      data: { kind: plan.kind, format: plan.format, filters },
    });
    return { id, startedAt: started_at };
  });
}

export async function completeRun(
  db: Kysely<Database>,
  actor: StaffActor,
  id: string,
  plan: ExportPlan,
  measure: ExportMeasure,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('export_runs')
      .set({
        state: 'complete',
        finished_at: sql<Date>`now()`,
        row_count: measure.rowCount,
        byte_count: measure.byteCount,
        sha256: measure.sha256,
      })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, actor, {
      action: 'export.completed',
      entityId: id,
      data: {
        kind: plan.kind,
        format: plan.format,
        rowCount: measure.rowCount,
        byteCount: measure.byteCount,
        sha256: measure.sha256,
      },
    });
  });
}

/** Marks a run that did not finish (the reader went away, the database failed). */
export async function failRun(
  db: Kysely<Database>,
  actor: StaffActor,
  id: string,
  plan: ExportPlan,
  reason: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('export_runs')
      .set({ state: 'failed', finished_at: sql<Date>`now()` })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    await recordAudit(trx, actor, {
      action: 'export.failed',
      entityId: id,
      data: { kind: plan.kind, format: plan.format, reason },
    });
  });
}

/** Cursors of the run list belong to its one ordering: newest first by `(started_at, id)`. */
const runListScope = 'exports:started_at:desc';

/**
 * Past runs, newest first, keyset-paged on `(started_at, id)`: the id breaks ties between runs
 * started in the same millisecond, so every run is on exactly one page however many there are.
 */
export async function listRuns(db: Kysely<Database>, query: ExportRunListQuery): Promise<ExportRunList> {
  const after = query.cursor ? decodeKeyset(query.cursor, runListScope) : null;
  let select = selectRuns(db);
  if (after) select = select.where(sql<boolean>`(r.started_at, r.id) < (${after.at}, ${after.id}::uuid)`);
  // One row more than the page says whether an older page exists, without counting.
  const rows = await select
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map(manifestOf),
    nextCursor:
      rows.length > query.limit && last ? encodeKeyset(runListScope, { at: last.started_at, id: last.id }) : null,
  };
}

export async function getManifest(db: Kysely<Database>, id: string): Promise<ExportManifest> {
  const row = await selectRuns(db).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw AppError.notFound('Export');
  return manifestOf(row);
}
