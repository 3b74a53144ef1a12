/**
 * Requests for provider actions. Each request locks the application, checks what can be
 * checked before anything is sent (type, content type, size, the provider's status rules,
 * re-apply's preconditions from reapply-rules.ts), writes through the repositories (the
 * document, the action), enqueues its delivery and records the audit event last, in one
 * transaction. Nothing here calls a provider: the worker does.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  awaitsAutomaticRetry,
  type DocumentDetailKey,
  type DocumentFileProblemKind,
  type DocumentUploadFields,
  detailsFor,
  documentDetailLabels,
  documentDetailProblems,
  documentFileProblem,
  FieldErrors,
  isOpenCase,
  type Provider,
  type ProviderActionKind,
  providerActionRetryRefusal,
  providerLabels,
  refusedAnswerRetryMessage,
} from '@desk/shared';
import type { Kysely } from 'kysely';
import { lockApplication } from '../applications/application.repository.js';
import { findHeldDocumentRows, storeUploadedDocument } from '../applications/document.repository.js';
import { type Actor, recordAudit, staffIdOf } from '../audit/audit-log.js';
import type { ApplicationRow, Database } from '../db/schema.js';
import { checkFileContent, declaredContentType, unsupportedContent } from '../files/content-type.js';
import { AppError } from '../http/app-error.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { DocumentRules, ProviderAdapter } from '../providers/provider-adapter.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';
import { findAnswerForDelivery } from '../rfis/rfi.repository.js';
import { findPendingActionKinds, insertAction, lockAction, moveAction } from './provider-action.repository.js';
import { reapplyRefusal, reapplyRefusalMessage } from './reapply-rules.js';

export type { Actor } from '../audit/audit-log.js';

export type ActionContext = { db: Kysely<Database>; jobs: JobQueue; providers: ProviderRegistry };

export type UploadedFile = { originalName: string; contentType: string; bytes: Buffer };

/**
 * How the server answers each broken file rule. The words for the `file` field are the shared
 * ones (`documentFileProblem`, what the upload form shows); the status and the summary are the
 * server's.
 */
const fileProblemAnswers: Record<
  DocumentFileProblemKind,
  (field: string, context: { provider: Provider; rules: DocumentRules; sent: string }) => AppError
> = {
  content_type: (field, { rules, sent }) =>
    new AppError('unsupported_media_type', `${sent} is not accepted; use ${rules.contentTypes.join(', ')}`, {
      file: [field],
    }),
  empty: (field) => unsupportedContent(new FieldErrors().add('file', field)),
  too_large: (field, { rules }) =>
    new AppError('payload_too_large', `The file is larger than ${rules.maxBytes} bytes`, { file: [field] }),
  too_small: (field, { provider, rules }) =>
    new AppError('unprocessable', `${provider} needs files of at least ${rules.minBytes} bytes`, { file: [field] }),
};

function connectedAdapter(providers: ProviderRegistry, app: ApplicationRow): ProviderAdapter {
  const adapter = adapterFor(providers, app.provider);
  if (!adapter) throw new AppError('conflict', `The desk is not connected to ${app.provider}`);
  return adapter;
}

async function lockOrNotFound(trx: Kysely<Database>, id: string): Promise<ApplicationRow> {
  const app = await lockApplication(trx, id);
  if (!app) throw AppError.notFound('Application');
  return app;
}

/** Writes an action and enqueues its delivery, in the caller's transaction. */
export async function queueAction(
  ctx: Pick<ActionContext, 'jobs'>,
  trx: Kysely<Database>,
  app: Pick<ApplicationRow, 'id'>,
  kind: ProviderActionKind,
  actor: Actor,
  subject: { documentId?: string; rfiAnswerId?: string } = {},
) {
  const action = await insertAction(trx, {
    application_id: app.id,
    kind,
    idempotency_key: randomUUID(),
    document_id: subject.documentId ?? null,
    rfi_answer_id: subject.rfiAnswerId ?? null,
    requested_by: staffIdOf(actor),
  });
  await ctx.jobs.send(trx, 'provider-action', { actionId: action.id });
  return action;
}

/**
 * Upload on the customer's behalf: 413 too large, 415 wrong type (declared, or shown by the bytes:
 * an empty file, or content that is not the declared type), 422 type not accepted or too small,
 * 400 naming each detail the provider requires with this type and that is missing.
 */
export async function requestDocumentUpload(
  ctx: ActionContext,
  applicationId: string,
  fields: DocumentUploadFields,
  file: UploadedFile,
  actor: Actor,
) {
  const { type, ...details } = fields;
  return ctx.db.transaction().execute(async (trx) => {
    const app = await lockOrNotFound(trx, applicationId);
    const rules = connectedAdapter(ctx.providers, app).documentRules(type);
    if (!rules.accepted) {
      throw new AppError('unprocessable', `${app.provider} does not accept ${type} documents`, {
        type: ['is not accepted by this provider'],
      });
    }
    const problem = documentFileProblem(rules, {
      contentType: declaredContentType(file.contentType),
      size: file.bytes.length,
    });
    if (problem) {
      // The summary names the type as it was sent (parameters and all).
      throw fileProblemAnswers[problem.kind](problem.message, {
        provider: app.provider,
        rules,
        sent: file.contentType,
      });
    }
    // The bytes, after the cheap checks of what was declared: magic bytes and ending (content-type.ts).
    const content = await checkFileContent(file.bytes, file.contentType, rules.contentTypes);
    if (!content.ok) throw unsupportedContent(new FieldErrors().add('file', content.problem));
    // The details this type needs at this provider, in their formats and dates (the same check as the upload form's).
    const problems = Object.entries(documentDetailProblems(app.provider, type, details)) as [
      DocumentDetailKey,
      string,
    ][];
    if (problems.length > 0) {
      const named = problems.map(([key]) => documentDetailLabels[key].replace(/ \(.*\)$/, '').toLowerCase());
      throw new AppError(
        'validation_failed',
        `${providerLabels[app.provider]} needs a valid ${named.join(', ')} with a ${type} document`,
        Object.fromEntries(problems.map(([key, problem]) => [key, [problem]])),
      );
    }
    if (!isOpenCase(app.stage)) {
      throw new AppError('conflict', `The application is ${app.provider_status}; documents can no longer be added`);
    }
    const upload = {
      type,
      contentType: content.contentType,
      sizeBytes: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      fileName: file.originalName.slice(0, 255) || null,
      uploadedBy: staffIdOf(actor),
      details: detailsFor(app.provider, type, details),
      bytes: file.bytes,
    };
    const document = await storeUploadedDocument(trx, app.id, upload, new Date());
    const action = await queueAction(ctx, trx, app, 'upload_document', actor, { documentId: document.id });
    await recordAudit(trx, actor, {
      action: 'application.document_uploaded',
      entityId: app.id,
      applicationId: app.id,
      data: {
        documentId: document.id,
        type,
        sizeBytes: upload.sizeBytes,
        sha256: upload.sha256,
        actionId: action.id,
      },
    });
    return action;
  });
}

/** Re-apply: only when the provider's status allows it and no re-apply is already under way. */
export async function requestReapply(ctx: ActionContext, applicationId: string, actor: Actor) {
  return ctx.db.transaction().execute(async (trx) => {
    const app = await lockOrNotFound(trx, applicationId);
    const adapter = connectedAdapter(ctx.providers, app);
    const documents = await findHeldDocumentRows(trx, app.id);
    const refusal = reapplyRefusal({
      adapter,
      status: app.provider_status,
      documents: documents.map((d) => ({ type: d.type, status: d.status, providerDocumentId: d.provider_document_id })),
      pendingKinds: await findPendingActionKinds(trx, app.id),
    });
    if (refusal) throw new AppError('conflict', reapplyRefusalMessage(refusal, app.provider_status));
    const action = await queueAction(ctx, trx, app, 'reapply', actor);
    await recordAudit(trx, actor, {
      action: 'application.reapply_requested',
      entityId: app.id,
      applicationId: app.id,
      data: { actionId: action.id, providerStatus: app.provider_status },
    });
    return action;
  });
}

export async function requestRefresh(ctx: ActionContext, applicationId: string, actor: Actor) {
  return ctx.db.transaction().execute(async (trx) => {
    const app = await lockOrNotFound(trx, applicationId);
    connectedAdapter(ctx.providers, app);
    const action = await queueAction(ctx, trx, app, 'refresh', actor);
    await recordAudit(trx, actor, {
      action: 'application.refresh_requested',
      entityId: app.id,
      applicationId: app.id,
      data: { actionId: action.id },
    });
    return action;
  });
}

/** A person retries an action that gave up; it goes out again with the same idempotency key. */
export async function retryAction(ctx: ActionContext, applicationId: string, actionId: string, actor: Actor) {
  return ctx.db.transaction().execute(async (trx) => {
    await lockOrNotFound(trx, applicationId);
    const action = await lockAction(trx, actionId);
    if (!action || action.application_id !== applicationId) throw AppError.notFound('Action');
    const answer = action.rfi_answer_id ? await findAnswerForDelivery(trx, action.rfi_answer_id) : undefined;
    const stored = { state: action.state, gaveUp: action.gave_up, answerRefused: Boolean(answer?.refused_at) };
    const refusal = providerActionRetryRefusal(stored);
    if (refusal === 'not_given_up') {
      throw new AppError(
        'conflict',
        `The action is ${action.state}${awaitsAutomaticRetry(stored) ? ' and still retrying' : ''}; only an action that gave up can be retried`,
      );
    }
    if (refusal === 'answer_refused') throw new AppError('conflict', refusedAnswerRetryMessage);
    await moveAction(trx, action.id, 'queued', { now: new Date() });
    await ctx.jobs.send(trx, 'provider-action', { actionId: action.id });
    await recordAudit(trx, actor, {
      action: 'provider_action.retried',
      entityId: action.id,
      applicationId,
      data: { kind: action.kind, attempts: action.attempts },
    });
    return { id: action.id };
  });
}
