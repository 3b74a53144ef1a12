/**
 * The routes of Jiko's Partner API as the sandbox serves them, plus one operator route that
 * is not Jiko's. Mounted anywhere (the desk mounts it at /sandbox/jiko); every path below is
 * relative to the mount, and `req.path` inside this router is exactly the API path the
 * partner signs (`/api/v1/applications/`).
 *
 *   POST /api/v1/login/                                           → 200 token | 401 | 422
 *   GET  /api/v1/agreements/                                      → 200 [agreement], newest first
 *   POST /api/v1/applications/                                    → 201 application | 422
 *   GET  /api/v1/applications/{application_id}/                   → 200 application | 404
 *   POST /api/v1/applications/{application_id}/apply/             → 200 application (SUBMITTED) | 404 | 409
 *   POST /api/v1/applications/{application_id}/documents/{document_type}/file/
 *                                                                 → 200 { success, document_id } | 404 | 409 | 413 | 415 | 422
 *   POST /operator/applications/{application_id}/resolve          → 200 application | 401 | 404 | 409 | 422
 *
 * The operator route stands in for Jiko's own reviewers, so it is not Jiko's API, but it
 * takes the sandbox's own credentials all the same: the bearer token of a `login/` with the
 * partner's username and password (the guides are silent; the same login as the Partner API
 * keeps one credential to configure and to rotate). Without a valid token it is 401 before
 * the body is read, and nothing changes. It needs no idempotency key and no signature.
 *
 * Checks run in this order, each answering `{ detail }`: bearer token (401), then
 * `x-jiko-idempotency` (400; every route but login, GET included, where it is required but
 * not used), then `x-jiko-signature` (401; required on create and apply, verified on uploads
 * when sent), then the request itself (422, 415, 413), then the idempotent work (404, 409).
 * JSON bodies are read whatever their Content-Type and limited to 1 MB (413).
 *
 * Uploads: Content-Type image/png, image/jpeg or application/pdf (the guide's
 * "application/png" is taken for the typo it is: 415). ID images (ID_FRONT, ID_BACK,
 * SELFIE, PASSPORT) up to 5 MB (5 × 1024 × 1024 bytes), other documents up to 10 MB, else
 * 413; an empty body is 422. Only the size and SHA-256 of a file are kept.
 */

import type { Logger } from '@desk/server';
import type { DocumentType } from '@desk/shared';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { agreementExists } from './application.repository.js';
import {
  applyApplication,
  createApplication,
  getApplication,
  listAgreementVersions,
  resolveApplication,
  type SandboxContext,
  uploadDocument,
} from './application.service.js';
import { type Credentials, login, requireBearerToken } from './auth.js';
import {
  bodyBytes,
  headerValue,
  type JikoAnswer,
  JikoError,
  jikoErrorHandler,
  jikoNotFound,
  parseJsonBody,
  rawBody,
  sendAnswer,
  serialize,
} from './http.js';
import { runIdempotent } from './idempotency.js';
import { sha256Hex, verifyJikoRequestSignature } from './signing.js';
import {
  type CreateApplicationBody,
  checkBody,
  createApplicationSchema,
  parseApplicationId,
  parseBody,
  parseDocumentType,
  resolveSchema,
} from './validation.js';

const mb = 1024 * 1024;
const jsonLimitBytes = 1 * mb;
const idImageLimitBytes = 5 * mb;
const otherDocumentLimitBytes = 10 * mb;
const idImageTypes: readonly DocumentType[] = ['ID_FRONT', 'ID_BACK', 'SELFIE', 'PASSPORT'];
const uploadContentTypes = ['image/png', 'image/jpeg', 'application/pdf'] as const;
const maxIdempotencyKeyLength = 255;

export type RouterDependencies = {
  ctx: SandboxContext;
  credentials: Credentials;
  signingSecret: string;
  logger: Logger;
  /** Called after a commit that made a decision due or raised a webhook event. */
  onDecisionScheduled(delayMs: number): void;
  onEventsRaised(): void;
};

function idempotencyKeyOf(req: Request): string {
  const key = headerValue(req, 'x-jiko-idempotency');
  if (!key) throw new JikoError(400, 'Missing x-jiko-idempotency header');
  if (key.length > maxIdempotencyKeyLength) {
    throw new JikoError(400, `x-jiko-idempotency must be at most ${maxIdempotencyKeyLength} characters`);
  }
  return key;
}

const requireIdempotencyKey: RequestHandler = (req, _res, next) => {
  idempotencyKeyOf(req);
  next();
};

/** Verifies x-jiko-signature over key + path + raw body; `required` false only checks one that is sent. */
function requireSignature(secret: string, required: boolean): RequestHandler {
  return (req, _res, next) => {
    const given = headerValue(req, 'x-jiko-signature');
    if (!given) {
      if (required) throw new JikoError(401, 'Missing x-jiko-signature header');
      next();
      return;
    }
    if (!verifyJikoRequestSignature(secret, idempotencyKeyOf(req), req.path, bodyBytes(req), given)) {
      throw new JikoError(401, 'Invalid x-jiko-signature');
    }
    next();
  };
}

/** Validates the create body; the agreement version must be one Jiko published. */
async function validateCreateBody(ctx: SandboxContext, body: unknown): Promise<CreateApplicationBody> {
  const checked = checkBody(createApplicationSchema, body);
  const issues = checked.ok ? [] : checked.issues;
  const version = checked.ok ? checked.data.agreement_consent.version : versionOf(body);
  const versionAlreadyBad = issues.some((i) => i.loc.join('.') === 'body.agreement_consent.version');
  if (version !== null && !versionAlreadyBad && !(await agreementExists(ctx.db, version))) {
    issues.push({
      loc: ['body', 'agreement_consent', 'version'],
      msg: 'Unknown agreement version; fetch /api/v1/agreements/ and record consent to one of them',
      type: 'value_error',
    });
  }
  if (!checked.ok || issues.length > 0) throw JikoError.validation(issues);
  return checked.data;
}

function versionOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('agreement_consent' in body)) return null;
  const consent: unknown = body.agreement_consent;
  if (typeof consent !== 'object' || consent === null || !('version' in consent)) return null;
  return typeof consent.version === 'string' ? consent.version.trim() : null;
}

function uploadContentType(req: Request): string {
  const given = (headerValue(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const found = uploadContentTypes.find((t) => t === given);
  if (!found) {
    throw new JikoError(
      415,
      `Unsupported Content-Type ${given || '(none)'}; upload image/png, image/jpeg or application/pdf`,
    );
  }
  return found;
}

export function createSandboxRouter(deps: RouterDependencies): Router {
  const { ctx, logger } = deps;
  const db = ctx.db;
  const router = express.Router();
  const auth = requireBearerToken(db);

  const idempotent = async (req: Request, work: Parameters<typeof runIdempotent>[2]) =>
    runIdempotent(db, { key: idempotencyKeyOf(req), method: req.method, path: req.path, body: bodyBytes(req) }, work);

  router.post('/api/v1/login/', rawBody(64 * 1024), async (req, res) => {
    const answer = await login(db, deps.credentials, bodyBytes(req), headerValue(req, 'content-type'));
    sendAnswer(res, serialize(answer));
  });

  router.get('/api/v1/agreements/', auth, requireIdempotencyKey, async (_req, res) => {
    sendAnswer(res, serialize(await listAgreementVersions(db)));
  });

  router.post(
    '/api/v1/applications/',
    auth,
    requireIdempotencyKey,
    rawBody(jsonLimitBytes),
    requireSignature(deps.signingSecret, true),
    async (req, res) => {
      const body = await validateCreateBody(ctx, parseJsonBody(bodyBytes(req)));
      sendAnswer(res, await idempotent(req, (trx) => createApplication(trx, body)));
    },
  );

  router.get('/api/v1/applications/:application_id/', auth, requireIdempotencyKey, async (req, res) => {
    const id = parseApplicationId(req.params.application_id);
    sendAnswer(res, serialize(await getApplication(ctx, id)));
  });

  router.post(
    '/api/v1/applications/:application_id/apply/',
    auth,
    requireIdempotencyKey,
    rawBody(jsonLimitBytes),
    requireSignature(deps.signingSecret, true),
    async (req, res) => {
      const id = parseApplicationId(req.params.application_id);
      const answer = await idempotent(req, (trx) => applyApplication(trx, ctx, id));
      sendAnswer(res, answer);
      if (answer.status === 200 && !answer.replayed) deps.onDecisionScheduled(ctx.decisionDelayMs);
    },
  );

  router.post(
    '/api/v1/applications/:application_id/documents/:document_type/file/',
    auth,
    requireIdempotencyKey,
    rawBody(otherDocumentLimitBytes),
    requireSignature(deps.signingSecret, false),
    async (req, res) => {
      const id = parseApplicationId(req.params.application_id);
      const type = parseDocumentType(req.params.document_type);
      const contentType = uploadContentType(req);
      const bytes = bodyBytes(req);
      if (bytes.length === 0)
        throw JikoError.validation([{ loc: ['body'], msg: 'The file is empty', type: 'missing' }]);
      const limit = idImageTypes.includes(type) ? idImageLimitBytes : otherDocumentLimitBytes;
      if (bytes.length > limit) {
        throw new JikoError(
          413,
          `${type} files must be at most ${limit / mb} MB (${limit} bytes); this one is ${bytes.length} bytes`,
        );
      }
      const file = { contentType, sizeBytes: bytes.length, sha256: sha256Hex(bytes) };
      const answer = await idempotent(req, (trx) => uploadDocument(trx, ctx, id, type, file));
      sendAnswer(res, answer);
      if (!answer.replayed) deps.onEventsRaised();
    },
  );

  router.post('/operator/applications/:application_id/resolve', auth, rawBody(64 * 1024), async (req, res) => {
    const id = parseApplicationId(req.params.application_id);
    const { decision } = parseBody(resolveSchema, parseJsonBody(bodyBytes(req)));
    const answer: JikoAnswer = await resolveApplication(ctx, id, decision);
    sendAnswer(res, serialize(answer));
    deps.onEventsRaised();
  });

  router.use(jikoNotFound());
  router.use(jikoErrorHandler(logger));
  return router;
}
