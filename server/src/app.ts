/**
 * The HTTP app: API routes, operations endpoints and the built SPA, with one error handler.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import type { Kysely } from 'kysely';
import { pinoHttp } from 'pino-http';
import type { Database } from './db/schema.js';
import type { Logger } from './logger.js';
import { applicationRoutes } from './applications/application.routes.js';
import { fileRoutes } from './files/file.routes.js';
import type { FileUrls } from './files/file-urls.js';
import { healthRoutes } from './health/health.routes.js';
import { intakeRoutes } from './intake/intake.routes.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { buildOpenApiDocument } from './openapi/openapi.js';
import type { JobQueue } from './jobs/job-queue.js';
import { providerActionRoutes } from './provider-actions/provider-action.routes.js';
import type { ProviderRegistry } from './providers/provider-registry.js';
import { rfiRoutes } from './rfis/rfi.routes.js';
import { staffRoutes } from './staff/staff.routes.js';
import { accessControl } from './auth/access-control.js';
import { auditRoutes } from './audit/audit.routes.js';
import { customerRoutes } from './customers/customer.routes.js';
import { exportRoutes } from './exports/export.routes.js';
import { outcomeRoutes } from './outcomes/outcome.routes.js';
import { workflowRoutes } from './workflow/workflow.routes.js';
import { createMetrics } from './metrics/metrics.js';
import { dashboardRoutes } from './dashboard/dashboard.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import type { AuthSettings } from './auth/auth.service.js';
import type { PiiVault } from './pii/pii-vault.js';
import { webhookRoutes } from './webhooks/webhook.routes.js';

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
};

export function createApp({ db, logger, providers, jobs, files, pii, auth, database, trustProxy = false, metricsToken = null, sandboxes = [], clientDir }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (trustProxy) app.set('trust proxy', true);
  app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === '/healthz' } }));

  const metrics = createMetrics(db, logger, { token: metricsToken });
  app.use(metrics.observeRequests);
  app.use(healthRoutes(db));
  app.use(metrics.router);
  const openApi = buildOpenApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  for (const sandbox of sandboxes) app.use(sandbox.path, sandbox.router);
  app.use(fileRoutes(db, files));

  const api = express.Router();
  // Deny by default: every /api route is in the permission table, or it is refused.
  api.use(accessControl(db, auth));
  // Webhooks read their raw body (signatures are over the exact bytes), so they come first.
  api.use(webhookRoutes({ db, jobs, providers, logger }));
  api.use(express.json({ limit: '1mb' }));
  api.use(authRoutes(db, auth));
  api.use(workflowRoutes(db, providers));
  api.use(dashboardRoutes(db));
  api.use(applicationRoutes(db, providers));
  api.use(intakeRoutes({ db, providers, pii }));
  api.use(providerActionRoutes({ db, jobs, providers }));
  api.use(rfiRoutes({ db, jobs, providers }));
  api.use(staffRoutes(db));
  api.use(customerRoutes({ db, pii }));
  api.use(outcomeRoutes(db));
  api.use(auditRoutes(db));
  api.use(exportRoutes({ db, databaseUrl: database.url, embedded: database.embedded }));
  api.use(notFoundHandler());
  app.use('/api', api);

  if (clientDir && existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // Client-side routes all load the SPA shell.
    app.get(/^\/(?!api\/|sandbox\/|files\/).*/, (_req, res) => {
      res.sendFile(path.join(clientDir, 'index.html'));
    });
  }

  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
