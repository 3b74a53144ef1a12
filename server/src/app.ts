/**
 * The HTTP app: API routes, operations endpoints and the built SPA, with one error handler.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Kysely } from 'kysely';
import { pinoHttp } from 'pino-http';
import type { Database } from './db/schema.js';
import type { Logger } from './logger.js';
import { applicationRoutes } from './applications/application.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { buildOpenApiDocument } from './openapi/openapi.js';
import { staffRoutes } from './staff/staff.routes.js';

export type AppOptions = {
  db: Kysely<Database>;
  logger: Logger;
  /** The built SPA (client/dist); served when present. */
  clientDir?: string;
};

export function createApp({ db, logger, clientDir }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === '/healthz' } }));

  app.use(healthRoutes(db));
  const openApi = buildOpenApiDocument();
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(applicationRoutes(db));
  api.use(staffRoutes(db));
  api.use(notFoundHandler());
  app.use('/api', api);

  if (clientDir && existsSync(path.join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    // Client-side routes all load the SPA shell.
    app.get(/^\/(?!api\/|sandbox\/).*/, (_req, res) => {
      res.sendFile(path.join(clientDir, 'index.html'));
    });
  }

  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
