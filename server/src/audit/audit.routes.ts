import type { Kysely } from 'kysely';
import { staffActor } from '../auth/access-control.js';
import type { Database } from '../db/schema.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { verifyAuditChain } from './audit-chain.js';
import { assertApplicationExists, listAuditEvents, listCaseAuditEvents } from './audit-event.service.js';
import { recordAudit } from './audit-log.js';
import { renderAuditReportHtml } from './audit-report.html.js';
import { buildAuditReport } from './audit-report.service.js';

/** The report is a page of its own: inline styles only, nothing loaded, nothing run. */
const reportPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

type AuditRoutes = 'listAuditEvents' | 'verifyAuditChain' | 'listApplicationAuditEvents' | 'getApplicationAuditReport';

/** The audit trail's read side: events (keyset), chain verification, per-case events and report. */
export function auditRoutes(db: Kysely<Database>): Pick<RouteHandlers, AuditRoutes> {
  return {
    listAuditEvents: async ({ query }) => ({ status: 200, body: await listAuditEvents(db, query) }),
    verifyAuditChain: async () => ({ status: 200, body: await verifyAuditChain(db) }),
    listApplicationAuditEvents: async ({ params, query }) => ({
      status: 200,
      body: await listCaseAuditEvents(db, params.id.toLowerCase(), query),
    }),
    getApplicationAuditReport: async ({ params, query, req, res }) => {
      const id = params.id.toLowerCase();
      const actor = staffActor(req);
      await assertApplicationExists(db, id);
      // Looking is recorded before anything is read, so the report lists its own viewing.
      await recordAudit(db, actor, {
        action: 'application.audit_report_viewed',
        entityId: id,
        applicationId: id,
        data: { format: query.format },
      });
      const report = await buildAuditReport(db, id, actor.email);
      if (query.format === 'json') {
        res.json(report);
        return { status: 200, sent: true };
      }
      res.set('Content-Security-Policy', reportPolicy);
      res.type('html').send(renderAuditReportHtml(report));
      return { status: 200, sent: true };
    },
  };
}
