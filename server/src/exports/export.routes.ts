import { pipeline } from 'node:stream/promises';
import { exportFileName } from '@desk/shared';
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { completeRun, failRun, getManifest, listRuns, startRun } from './export.service.js';
import { exportMeter } from './export-meter.js';
import { batchSource, type ExportSource, openCopySource } from './export-sources.js';
import { consentPlan, type ExportPlan, filtersOf, statusHistoryPlan } from './export-sql.js';

export type ExportContext = {
  db: Kysely<Database>;
  /** The database's connection string (exports stream from their own connection on Postgres). */
  databaseUrl: string;
  /** The embedded database has a single connection: exports read it in keyset batches. */
  embedded: boolean;
};

const contentTypes = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' } as const;

function reasonOf(err: unknown): string {
  if (err instanceof Error && 'code' in err && err.code === 'ERR_STREAM_PREMATURE_CLOSE')
    return 'the download was interrupted';
  return err instanceof Error ? err.message : String(err);
}

/** Streamed auditor exports (status history, consents) and their manifests. */
export function exportRoutes(
  ctx: ExportContext,
): Pick<RouteHandlers, 'listExports' | 'exportStatusHistory' | 'exportConsents' | 'getExportManifest'> {
  const { db } = ctx;

  /**
   * Records the run, streams the rows through the meter to the client and settles the run.
   * Validation has happened before this: a bad request writes neither a run nor a byte.
   */
  async function runExport(
    req: Request,
    res: Response,
    plan: ExportPlan,
    filters: Record<string, string>,
  ): Promise<void> {
    const actor = staffActor(req);
    if (req.method === 'HEAD') {
      // Asking what a download would be is not a download: no run, no bytes.
      res.status(200).setHeader('Content-Type', contentTypes[plan.format]);
      res.end();
      return;
    }
    const { id: runId, startedAt } = await startRun(db, actor, plan, filters);
    let source: ExportSource;
    try {
      source = ctx.embedded ? batchSource(db, plan) : await openCopySource(ctx.databaseUrl, db, plan);
    } catch (err) {
      await failRun(db, actor, runId, plan, reasonOf(err));
      throw err;
    }
    // Named from the run's own start, so the file, its manifest and the page agree on the day.
    const fileName = exportFileName({ ...plan, startedAt });
    res.status(200);
    res.setHeader('Content-Type', contentTypes[plan.format]);
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Export-Id', runId);
    res.setHeader('Link', `</api/exports/${runId}/manifest>; rel="describedby"`);

    let completed = false;
    const meter = exportMeter(plan.format, async (measure) => {
      await completeRun(db, actor, runId, plan, measure);
      completed = true;
    });
    try {
      await pipeline(source.stream, meter, res);
      await source.release(false);
    } catch (err) {
      await source.release(true);
      if (!completed) {
        await failRun(db, actor, runId, plan, reasonOf(err)).catch((failure: unknown) => {
          req.log.error({ err: failure, exportId: runId }, 'could not record a failed export');
        });
      }
      if (!res.headersSent && !res.destroyed) throw err;
      req.log.warn({ err, exportId: runId }, 'export stopped before its end');
    }
  }

  return {
    listExports: async ({ query }) => ({ status: 200, body: await listRuns(db, query) }),
    exportStatusHistory: async ({ query, req, res }) => {
      await runExport(req, res, statusHistoryPlan(query), filtersOf(query));
      return { status: 200, sent: true };
    },
    exportConsents: async ({ query, req, res }) => {
      await runExport(req, res, consentPlan(query), filtersOf(query));
      return { status: 200, sent: true };
    },
    getExportManifest: async ({ params }) => ({ status: 200, body: await getManifest(db, params.id) }),
  };
}
