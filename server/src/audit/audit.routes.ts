import { Router } from 'express';
import type { Kysely } from 'kysely';
import {
  applicationAuditEventsQuerySchema,
  applicationIdParamsSchema,
  auditEventListQuerySchema,
  auditReportQuerySchema,
} from '@desk/shared';
import type { Database } from '../db/schema.js';
import { staffActor } from '../auth/access-control.js';
import { parseRequest } from '../http/validate.js';
import { recordAudit } from './audit-log.js';
import { verifyAuditChain } from './audit-chain.js';
import { assertApplicationExists, listAuditEvents, listCaseAuditEvents } from './audit-event.service.js';
import { buildAuditReport } from './audit-report.service.js';
import { renderAuditReportHtml } from './audit-report.html.js';

/** The report is a page of its own: inline styles only, nothing loaded, nothing run. */
const reportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** The audit trail's read side: events (keyset), chain verification, per-case events and report. */
export function auditRoutes(db: Kysely<Database>): Router {
  const router = Router();

  router.get('/audit-events', async (req, res) => {
    const query = parseRequest(auditEventListQuerySchema, req.query, 'query');
    res.json(await listAuditEvents(db, query));
  });

  router.get('/audit-events/verify', async (_req, res) => {
    res.json(await verifyAuditChain(db));
  });

  router.get('/applications/:id/audit-events', async (req, res) => {
    const { id } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    const query = parseRequest(applicationAuditEventsQuerySchema, req.query, 'query');
    res.json(await listCaseAuditEvents(db, id.toLowerCase(), query));
  });

  router.get('/applications/:id/audit-report', async (req, res) => {
    const { id: rawId } = parseRequest(applicationIdParamsSchema, req.params, 'params');
    const { format } = parseRequest(auditReportQuerySchema, req.query, 'query');
    const id = rawId.toLowerCase();
    const actor = staffActor(req);
    await assertApplicationExists(db, id);
    // Looking is recorded before anything is read, so the report lists its own viewing.
    await recordAudit(db, actor, {
      action: 'application.audit_report_viewed',
      entityType: 'application',
      entityId: id,
      applicationId: id,
      data: { format },
    });
    const report = await buildAuditReport(db, id, actor.email);
    res.set('Cache-Control', 'no-store');
    if (format === 'json') {
      res.json(report);
      return;
    }
    res.set('Content-Security-Policy', reportPolicy);
    res.set('X-Content-Type-Options', 'nosniff');
    res.type('html').send(renderAuditReportHtml(report));
  });

  return router;
}
