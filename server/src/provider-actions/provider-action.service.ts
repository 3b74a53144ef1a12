/**
 * Requests for provider actions. Each request checks what can be checked before anything is
 * sent (type, content type, size, the provider's status rules), then writes the action and
 * enqueues its delivery in one transaction. Nothing here calls a provider: the worker does.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type DocumentUploadFields, documentDetailLabels, FieldErrors, type ProviderActionKind } from '@desk/shared';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit, staffIdOf } from '../audit/audit-log.js';
import type { ApplicationRow, Database } from '../db/schema.js';
import { checkFileContent, declaredContentType, unsupportedContent } from '../files/content-type.js';
import { AppError } from '../http/app-error.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';
import { findActionById, findOpenAction, insertAction } from './provider-action.repository.js';
import { lockApplication } from './snapshot.js';

export type { Actor } from '../audit/audit-log.js';

export type ActionContext = { db: Kysely<Database>; jobs: JobQueue; providers: ProviderRegistry };

export type UploadedFile = { originalName: string; contentType: string; bytes: Buffer };

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
    state: 'queued',
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
    if (!rules.contentTypes.includes(declaredContentType(file.contentType))) {
      throw new AppError(
        'unsupported_media_type',
        `${file.contentType} is not accepted; use ${rules.contentTypes.join(', ')}`,
        {
          file: [`must be one of ${rules.contentTypes.join(', ')}`],
        },
      );
    }
    if (file.bytes.length === 0)
      throw unsupportedContent(new FieldErrors().add('file', `is empty, not ${declaredContentType(file.contentType)}`));
    if (file.bytes.length > rules.maxBytes) {
      throw new AppError('payload_too_large', `The file is larger than ${rules.maxBytes} bytes`, {
        file: [`must be at most ${rules.maxBytes} bytes`],
      });
    }
    if (file.bytes.length < rules.minBytes) {
      throw new AppError('unprocessable', `${app.provider} needs files of at least ${rules.minBytes} bytes`, {
        file: [`must be at least ${rules.minBytes} bytes`],
      });
    }
    // The bytes, after the cheap checks of what was declared: magic bytes and ending (content-type.ts).
    const content = await checkFileContent(file.bytes, file.contentType, rules.contentTypes);
    if (!content.ok) throw unsupportedContent(new FieldErrors().add('file', content.problem));
    const missing = rules.requiredDetails.filter((key) => details[key] === undefined);
    if (missing.length > 0) {
      throw new AppError(
        'validation_failed',
        `${app.provider} needs ${missing.map((k) => documentDetailLabels[k].toLowerCase()).join(', ')} with a ${type} document`,
        Object.fromEntries(missing.map((k) => [k, [`is required with ${type} by this provider`]])),
      );
    }
    if (details.expiresOn !== undefined && details.expiresOn <= new Date().toISOString().slice(0, 10)) {
      throw new AppError('validation_failed', 'The document has expired', { expiresOn: ['must be in the future'] });
    }
    if (app.stage === 'approved' || app.stage === 'rejected') {
      throw new AppError('conflict', `The application is ${app.provider_status}; documents can no longer be added`);
    }
    const now = new Date();
    const metadata = {
      content_type: content.contentType,
      size_bytes: file.bytes.length,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      file_name: file.originalName.slice(0, 255) || null,
      uploaded_by: staffIdOf(actor),
      details: JSON.stringify(details),
      updated_at: now,
    };
    // Fill the provider's placeholder for this type when there is one, else add a document.
    const placeholder = await trx
      .selectFrom('application_documents')
      .select('id')
      .where('application_id', '=', app.id)
      .where('type', '=', type)
      .where('status', '=', 'PENDING_UPLOAD')
      .where('sha256', 'is', null)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    const document = placeholder
      ? await trx
          .updateTable('application_documents')
          .set((eb) => ({ ...metadata, version: eb('version', '+', 1) }))
          .where('id', '=', placeholder.id)
          .returning(['id'])
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('application_documents')
          .values({ ...metadata, application_id: app.id, type, status: 'PENDING_UPLOAD', created_at: now })
          .returning(['id'])
          .executeTakeFirstOrThrow();
    await trx
      .insertInto('document_contents')
      .values({ document_id: document.id, bytes: file.bytes })
      .onConflict((oc) => oc.column('document_id').doUpdateSet({ bytes: file.bytes }))
      .execute();
    const action = await queueAction(ctx, trx, app, 'upload_document', actor, { documentId: document.id });
    await recordAudit(trx, actor, {
      action: 'application.document_uploaded',
      entityId: app.id,
      applicationId: app.id,
      data: {
        documentId: document.id,
        type,
        sizeBytes: metadata.size_bytes,
        sha256: metadata.sha256,
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
    const documents = await trx
      .selectFrom('application_documents')
      .select(['type', 'status', 'provider_document_id as providerDocumentId'])
      .where('application_id', '=', app.id)
      .execute();
    const refusal = connectedAdapter(ctx.providers, app).resubmitRefusal(app.provider_status, documents);
    if (refusal) throw new AppError('conflict', `Cannot re-apply while ${app.provider_status}: ${refusal}`);
    if (await findOpenAction(trx, app.id, 'reapply')) {
      throw new AppError('conflict', 'A re-apply is already on its way to the provider');
    }
    if (await findOpenAction(trx, app.id, 'upload_document')) {
      throw new AppError(
        'conflict',
        'Documents are still on their way to the provider; re-apply once they have arrived',
      );
    }
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
    const action = await findActionById(trx, actionId);
    if (!action || action.application_id !== applicationId) throw AppError.notFound('Action');
    if (action.state !== 'failed' || !action.gave_up) {
      throw new AppError(
        'conflict',
        `The action is ${action.state}${action.state === 'failed' ? ' and still retrying' : ''}; only an action that gave up can be retried`,
      );
    }
    const updated = await trx
      .updateTable('provider_actions')
      .set((eb) => ({ state: 'queued', gave_up: false, version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', action.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await ctx.jobs.send(trx, 'provider-action', { actionId: action.id });
    await recordAudit(trx, actor, {
      action: 'provider_action.retried',
      entityId: action.id,
      applicationId,
      data: { kind: action.kind, attempts: action.attempts },
    });
    return updated;
  });
}
