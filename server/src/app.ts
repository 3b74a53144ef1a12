/**
 * The HTTP app: every route of the route table through one dispatcher, the provider
 * sandboxes when mounted, and the built SPA, with one error handler.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Kysely } from 'kysely';
import { pinoHttp } from 'pino-http';
import { applicationRoutes } from './applications/application.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import type { AuthSettings } from './auth/auth.service.js';
import { customerRoutes } from './customers/customer.routes.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import type { Database } from './db/schema.js';
import { documentContentRoutes } from './documents/document-content.routes.js';
import { exportRoutes } from './exports/export.routes.js';
import { fileRoutes } from './files/file.routes.js';
import type { FileUrls } from './files/file-urls.js';
import { healthRoutes } from './health/health.routes.js';
import { clientAssets, sendClientShell } from './http/client-assets.js';
import { dispatchRoutes, type ResponseCheck, rawPathOf, reservedFirstSegments } from './http/dispatch.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { requestLogOptions } from './http/request-log.js';
import type { RouteHandlers } from './http/route-handler.js';
import { securityHeaders } from './http/security-headers.js';
import { intakeRoutes } from './intake/intake.routes.js';
import type { JobQueue } from './jobs/job-queue.js';
import { liveRoutes } from './live/live.routes.js';
import type { LiveHub } from './live/live-hub.js';
import type { Logger } from './logger.js';
import { createMetrics } from './metrics/metrics.js';
import { buildOpenApiDocument } from './openapi/openapi.js';
import { outcomeRoutes } from './outcomes/outcome.routes.js';
import type { PiiVault } from './pii/pii-vault.js';
import { providerActionRoutes } from './provider-actions/provider-action.routes.js';
import type { ProviderRegistry } from './providers/provider-registry.js';
import { rfiRoutes } from './rfis/rfi.routes.js';
import { staffRoutes } from './staff/staff.routes.js';
import { webhookRoutes } from './webhooks/webhook.routes.js';
import { workflowRoutes } from './workflow/workflow.routes.js';

export type AppOptions = {
  db: Kysely<Database>;
  logger: Logger;
  providers: ProviderRegistry;
  jobs: JobQueue;
  /** Signs the file URLs providers fetch documents from, and checks them. */
  files: FileUrls;
  pii: PiiVault;
  auth: AuthSettings;
  trustProxy?: boolean;
  /** When set, `/metrics` requires `Authorization: Bearer <token>`. */
  metricsToken?: string | null;
  /** Where the database is, for work that needs its own connection (exports). */
  database: { url: string; embedded: boolean };
  /** Provider sandboxes to mount, by path (e.g. /sandbox/jiko). */
  sandboxes?: { path: string; router: Router }[];
  /** The built SPA (client/dist); served when present. */
  clientDir?: string;
  /** Check every answer against its route's entry in the table (tests; see `ResponseCheck`). */
  checkResponses?: ResponseCheck;
  /** The live-update streams of this process. */
  live: LiveHub;
};

/**
 * API answers go compressed to a client that accepts it, brotli first: JSON, and the export
 * streams (CSV, NDJSON), which stay streams (each piece is compressed as it is written, so a
 * long export arrives as it is read). An answer without a body (204) has no content type and
 * is left alone, and an event stream is never compressed: its events must not wait in a
 * compressor. Document files (`/files/…`) are outside `/api` and never compressed; the SPA's
 * files come precompressed (client-assets.ts).
 */
function apiCompression(): RequestHandler {
  return compression({
    filter: (req, res) => {
      const type = String(res.getHeader('Content-Type') ?? '');
      if (/^text\/event-stream\b/i.test(type)) return false;
      // NDJSON is text, but the media type table behind `compression.filter` does not know it.
      return /^application\/x-ndjson\b/i.test(type) || compression.filter(req, res);
    },
  });
}

export function createApp(options: AppOptions): Express {
  const {
    db,
    logger,
    providers,
    jobs,
    files,
    pii,
    auth,
    database,
    trustProxy = false,
    metricsToken = null,
    sandboxes = [],
    clientDir,
  } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Paths outside the route table (the SPA's files, the sandboxes) match exactly too.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  if (trustProxy) app.set('trust proxy', true);
  app.use(pinoHttp(requestLogOptions(logger)));
  app.use(securityHeaders());

  const metrics = createMetrics(db, logger, { token: metricsToken });
  app.use(metrics.observeRequests);

  const openApi = buildOpenApiDocument();
  const handlers: RouteHandlers = {
    ...healthRoutes(db),
    ...metrics.handlers,
    getOpenApi: async () => ({ status: 200, body: openApi }),
    ...authRoutes(db, auth, pii),
    ...webhookRoutes({ db, providers, logger }),
    ...staffRoutes(db, auth),
    ...applicationRoutes(db, providers, pii),
    ...intakeRoutes({ db, jobs, providers, pii, logger }),
    ...workflowRoutes(db, providers),
    ...dashboardRoutes(db),
    ...providerActionRoutes({ db, jobs, providers }),
    ...outcomeRoutes(db),
    ...rfiRoutes({ db, jobs, providers }),
    ...customerRoutes({ db, pii }),
    ...auditRoutes(db),
    ...exportRoutes({ db, databaseUrl: database.url, embedded: database.embedded }),
    ...fileRoutes(db, files),
    ...liveRoutes(options.live),
    ...documentContentRoutes(db),
  };
  app.use('/api', apiCompression());
  app.use(dispatchRoutes({ db, sessions: auth, handlers, checkResponses: options.checkResponses ?? false }));
  // Anything else under /api is not a route: deny by default.
  app.use('/api', notFoundHandler());

  for (const sandbox of sandboxes) app.use(sandbox.path, sandbox.router);

  if (clientDir && existsSync(path.join(clientDir, 'index.html'))) {
    app.use(clientAssets(clientDir));
    // Client-side routes all load the SPA shell: plain paths only (no empty, dot or escaped
    // segments), and never a path of the route table (in any letter case) or the sandboxes.
    app.get(/.*/, (req, res, next) => {
      const raw = rawPathOf(req);
      const segments = raw === '/' ? [] : raw.slice(1).split('/');
      const plain = segments.every((s) => /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/.test(s));
      const first = segments[0]?.toLowerCase() ?? '';
      // A missing asset is a 404, never the shell (a script tag would get HTML).
      if (!plain || first === 'assets' || reservedFirstSegments.has(first)) {
        next();
        return;
      }
      sendClientShell(clientDir, res);
    });
  }

  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
