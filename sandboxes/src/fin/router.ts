/**
 * The routes of Fin.com's individual-customer API as the sandbox serves them. Mounted anywhere
 * (the desk mounts it at /sandbox/fin); every path is relative to the mount.
 *
 *   GET  /v1/occupations                                   → 200 { data: [{ id, name }] }
 *   GET  /v1/purposes?type=INDIVIDUAL                      → 200 { data: [{ id, name, type }] } | 400
 *   GET  /v1/source-of-funds?type=INDIVIDUAL               → 200 { data: [{ id, name, type }] } | 400
 *   GET  /v1/countries/{alpha3}/subdivisions               → 200 { data: [{ code, name }] } | 404
 *   POST /v2/customers/individual                          → 201 { data: customer } | 400 | 423
 *   GET  /v2/customers/{customer_id}                       → 200 { data: customer } | 404
 *   POST /v1/customers/individual                          → 201 { data: V1 customer } | 400 | 423
 *   GET  /v1/customers/{customer_id}                       → 200 { data: V1 customer } | 404
 *   POST /v1/customers/individual/attach                   → 200 { data: V1 customer } | 400 | 403
 *   POST /v1/customers/upload                              → 200 { data: { files } } | 400 | 403 | 413
 *   POST /v2/customers/{customer_id}/individual/attach     → 200 { data: { customer_id } } | 400 | 403 | 404 | 409
 *   GET  /v2/customers/{customer_id}/rfis                  → 200 { data: [rfi] } | 404
 *   POST /v2/customers/{customer_id}/rfis/{rfi_id}/answer  → 200 { data: rfi } | 400 | 403 | 404 | 409
 *
 * Checks run in this order: access token (401), then the request itself, then the state.
 * Successful answers carry `meta: null` as the guide's attach example. JSON bodies are read
 * whatever their Content-Type, at most 1 MB (413). The guide defines no idempotency key, so
 * there is none: a repeated create makes a second customer; a repeated attach is a 409 or 403.
 * V1 routes serve V1 customers and V2 routes V2 ones (the upload serves both); the guide
 * shows no V1 read, so `GET /v1/customers/{id}` answers the V1 create's shape.
 */

import type { Logger } from '@desk/server';
import express, { type Router } from 'express';
import { requireAccessToken } from './auth.js';
import { type CatalogueType, catalogueTypes, listPurposes, listSourcesOfFunds, occupations } from './catalogue.js';
import { isAlpha3, usSubdivisions } from './countries.js';
import {
  answerRfi,
  attachDocuments,
  attachV1Documents,
  createCustomer,
  createV1Customer,
  type FinContext,
  getCustomer,
  getV1Customer,
  listCustomerRfis,
} from './customer.service.js';
import { validateCreateCustomer } from './customer-validation.js';
import { FinError, finErrorHandler, finNotFound, parseId, parseJsonBody, rawBody, sendData } from './http.js';
import { handleUpload } from './upload.js';
import { validateCreateV1Customer } from './v1-validation.js';

const jsonLimitBytes = 1024 * 1024;

export type RouterDependencies = {
  ctx: FinContext;
  apiToken: string;
  logger: Logger;
  /** Called after a commit that queued work for the background loop or raised events. */
  onWorkScheduled(delayMs: number): void;
  onEventsRaised(): void;
};

function catalogueType(value: unknown): CatalogueType | null {
  if (value === undefined) return null;
  const found = catalogueTypes.find((t) => t === value);
  if (!found) throw FinError.validation({ type: [`type must be one of: ${catalogueTypes.join(', ')}`] });
  return found;
}

export function createFinRouter(deps: RouterDependencies): Router {
  const { ctx } = deps;
  const router = express.Router();
  router.use(requireAccessToken(deps.apiToken));

  router.get('/v1/occupations', (_req, res) => sendData(res, 200, occupations));
  router.get('/v1/purposes', (req, res) => sendData(res, 200, listPurposes(catalogueType(req.query.type))));
  router.get('/v1/source-of-funds', (req, res) =>
    sendData(res, 200, listSourcesOfFunds(catalogueType(req.query.type))),
  );
  router.get('/v1/countries/:country/subdivisions', (req, res) => {
    const country = req.params.country.toUpperCase();
    if (!isAlpha3(country)) throw FinError.notFound('Country');
    sendData(res, 200, country === 'USA' ? usSubdivisions : []);
  });

  router.post('/v2/customers/individual', rawBody(jsonLimitBytes), async (req, res) => {
    const body = validateCreateCustomer(parseJsonBody(req));
    sendData(res, 201, await createCustomer(ctx, body));
    deps.onEventsRaised();
  });

  router.get('/v2/customers/:customer_id', async (req, res) => {
    sendData(res, 200, await getCustomer(ctx, parseId(req.params.customer_id)));
    deps.onEventsRaised();
  });

  router.post('/v1/customers/upload', async (req, res) => {
    await handleUpload(ctx, req, res);
  });

  router.post('/v1/customers/individual', rawBody(jsonLimitBytes), async (req, res) => {
    const body = validateCreateV1Customer(parseJsonBody(req));
    sendData(res, 201, await createV1Customer(ctx, body));
    deps.onEventsRaised();
  });

  // Before the :customer_id read below would take "individual" for an id.
  router.post('/v1/customers/individual/attach', rawBody(jsonLimitBytes), async (req, res) => {
    sendData(res, 200, await attachV1Documents(ctx, parseJsonBody(req)));
    deps.onWorkScheduled(ctx.reviewDelayMs);
    deps.onEventsRaised();
  });

  router.get('/v1/customers/:customer_id', async (req, res) => {
    sendData(res, 200, await getV1Customer(ctx, parseId(req.params.customer_id)));
    deps.onEventsRaised();
  });

  router.post('/v2/customers/:customer_id/individual/attach', rawBody(jsonLimitBytes), async (req, res) => {
    const id = parseId(req.params.customer_id);
    const body = parseJsonBody(req);
    sendData(res, 200, await attachDocuments(ctx, id, body));
    deps.onWorkScheduled(ctx.reviewDelayMs);
    deps.onEventsRaised();
  });

  router.get('/v2/customers/:customer_id/rfis', async (req, res) => {
    sendData(res, 200, await listCustomerRfis(ctx, parseId(req.params.customer_id)));
  });

  router.post('/v2/customers/:customer_id/rfis/:rfi_id/answer', rawBody(jsonLimitBytes), async (req, res) => {
    const id = parseId(req.params.customer_id);
    const rfiId = parseId(req.params.rfi_id, 'RFI');
    sendData(res, 200, await answerRfi(ctx, id, rfiId, parseJsonBody(req)));
    deps.onWorkScheduled(ctx.reviewDelayMs);
    deps.onEventsRaised();
  });

  router.use(finNotFound());
  router.use(finErrorHandler(deps.logger));
  return router;
}
