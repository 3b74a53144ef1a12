/**
 * Delivers provider actions. Every attempt sends the same idempotency key, so a retry after a
 * crash, a timeout or a 500 is the same request to the provider and never acts twice. The
 * provider's answer is applied in one transaction that also marks the action done.
 *
 * The action moves through the shared lifecycle (`@desk/shared`, lifecycles/provider-actions.ts):
 * queued → sending → done; sending → retrying when the provider is unavailable (the queue
 * retries with backoff); gave_up when it refuses (4xx), retries are exhausted or the desk is
 * not connected to it. An action the lifecycle does not let the worker send (done, or given
 * up until a person retries it) is left alone. A refused RFI answer is recorded on the RFI
 * (`refused`, with the provider's reasons per item) for the analyst to correct.
 */
import { randomUUID } from 'node:crypto';
import { canTransitionProviderAction, providerActionPhaseOf } from '@desk/shared';
import type { Kysely } from 'kysely';
import { findApplicationRow, lockApplication } from '../applications/application.repository.js';
import { findDocumentBytes, markDocumentDelivered } from '../applications/document.repository.js';
import { recordAudit } from '../audit/audit-log.js';
import type { ApplicationRow, Database, ProviderActionRow } from '../db/schema.js';
import type { FileUrls } from '../files/file-urls.js';
import type { Logger } from '../logger.js';
import type { PiiVault } from '../pii/pii-vault.js';
import {
  type ProviderAdapter,
  ProviderCallError,
  type ProviderSnapshot,
  type RfiAnswerDelivery,
} from '../providers/provider-adapter.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';
import { recordAnswerRefusal } from '../rfis/rfi.service.js';
import { loadApplicationContext } from './application-context.js';
import { findActionById, lockAction, moveAction } from './provider-action.repository.js';
import { applySnapshot } from './snapshot.js';

export type WorkerContext = {
  db: Kysely<Database>;
  providers: ProviderRegistry;
  logger: Logger;
  files: FileUrls;
  /** Opens what intakes hold sealed (the identification number sent to the provider). */
  pii: PiiVault;
};

const phaseOf = (action: ProviderActionRow) => providerActionPhaseOf({ state: action.state, gaveUp: action.gave_up });

/** The answer an answer_rfi action delivers, in the adapter's terms. */
async function loadAnswerDelivery(db: Kysely<Database>, files: FileUrls, answerId: string): Promise<RfiAnswerDelivery> {
  const answer = await db
    .selectFrom('rfi_answers as a')
    .innerJoin('rfis as r', 'r.id', 'a.rfi_id')
    .select(['a.text', 'a.field_values', 'r.provider_rfi_id'])
    .where('a.id', '=', answerId)
    .executeTakeFirst();
  if (!answer?.provider_rfi_id) throw new ProviderCallError('refused', 'The answer is not to a provider RFI');
  const documents = await db
    .selectFrom('rfi_answer_documents')
    .select(['id', 'item_key', 'file_name', 'content_type', 'bytes'])
    .where('answer_id', '=', answerId)
    .orderBy('id')
    .execute();
  return {
    providerRfiId: answer.provider_rfi_id,
    text: answer.text,
    fields: answer.field_values,
    files: documents.map((d) => ({
      itemKey: d.item_key,
      fileName: d.file_name,
      contentType: d.content_type,
      bytes: d.bytes,
      url: files.urlFor('rfi-answer', d.id),
    })),
  };
}

/** Calls the provider for one action; returns the snapshot to apply and the sent document's provider id. */
async function callProvider(
  ctx: WorkerContext,
  adapter: ProviderAdapter,
  action: ProviderActionRow,
  app: ApplicationRow,
): Promise<{ snapshot: ProviderSnapshot; providerDocumentId: string | null }> {
  const { db, files } = ctx;
  // Reads carry a fresh key: a replayed read would answer with yesterday's state.
  const readKey = () => randomUUID();
  if (action.kind === 'refresh') {
    return { snapshot: await adapter.getApplication(app.provider_application_id, readKey()), providerDocumentId: null };
  }
  // Every other action acts on the application as the desk holds it: applicant and documents.
  const context = await loadApplicationContext(db, app, files);
  switch (action.kind) {
    case 'upload_document': {
      const document = context.documents.find((d) => d.id === action.document_id);
      const bytes = document ? await findDocumentBytes(db, document.id) : undefined;
      if (!document?.contentType || !bytes) throw new ProviderCallError('refused', 'The document file is missing');
      const { providerDocumentId } = await adapter.sendDocument(context, document, bytes, action.idempotency_key);
      return { snapshot: await adapter.getApplication(app.provider_application_id, readKey()), providerDocumentId };
    }
    case 'reapply':
      return { snapshot: await adapter.resubmit(context, action.idempotency_key), providerDocumentId: null };
    case 'answer_rfi': {
      if (!action.rfi_answer_id) throw new ProviderCallError('refused', 'The action has no answer');
      const delivery = await loadAnswerDelivery(db, files, action.rfi_answer_id);
      return { snapshot: await adapter.answerRfi(context, delivery, action.idempotency_key), providerDocumentId: null };
    }
  }
}

export async function deliverProviderAction(
  ctx: WorkerContext,
  actionId: string,
  attempt: { isLast: boolean },
): Promise<void> {
  const { db, logger } = ctx;
  const action = await findActionById(db, actionId);
  if (!action || !canTransitionProviderAction(phaseOf(action), 'sending', 'worker')) return;
  const app = await findApplicationRow(db, action.application_id);
  if (!app) throw new Error(`application ${action.application_id} of action ${action.id} not found`);
  const adapter = adapterFor(ctx.providers, app.provider);
  if (!adapter) {
    await moveAction(db, action.id, 'gave_up', { now: new Date(), error: `Not connected to ${app.provider}` });
    return;
  }
  if (!(await moveAction(db, action.id, 'sending', { now: new Date(), attempt: true }))) return;

  let result: Awaited<ReturnType<typeof callProvider>>;
  const observedAt = new Date();
  try {
    result = await callProvider(ctx, adapter, action, app);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const final = !(err instanceof ProviderCallError) || err.kind === 'refused' || attempt.isLast;
    await db.transaction().execute(async (trx) => {
      const moved = await moveAction(trx, action.id, final ? 'gave_up' : 'retrying', {
        now: new Date(),
        error: message,
      });
      if (final && moved && action.rfi_answer_id && err instanceof ProviderCallError && err.kind === 'refused') {
        await recordAnswerRefusal(
          trx,
          { actionId: action.id, answerId: action.rfi_answer_id },
          { message: message.slice(0, 2000), fields: err.fieldReasons },
        );
      }
      if (final && moved) {
        await recordAudit(
          trx,
          { kind: 'system' },
          {
            action: 'provider_action.gave_up',
            entityId: action.id,
            applicationId: app.id,
            data: { kind: action.kind, attempts: action.attempts + 1, error: message.slice(0, 500) },
          },
        );
      }
    });
    logger.warn({ actionId, kind: action.kind, err: message, final }, 'provider action failed');
    if (!final) throw err; // the queue retries with backoff
    return;
  }

  await db.transaction().execute(async (trx) => {
    const locked = await lockApplication(trx, app.id);
    if (!locked) return;
    // Another attempt of this job (after this one's lease ran out) may have finished it first.
    const current = await lockAction(trx, action.id);
    if (!current || !canTransitionProviderAction(phaseOf(current), 'done', 'worker')) return;
    if (action.document_id) {
      await markDocumentDelivered(trx, action.document_id, result.providerDocumentId, new Date());
    }
    await applySnapshot(trx, locked, result.snapshot, {
      source: 'provider_response',
      actorId: action.requested_by,
      observedAt,
    });
    await moveAction(trx, action.id, 'done', { now: new Date() });
    await recordAudit(
      trx,
      { kind: 'system' },
      {
        action: 'provider_action.delivered',
        entityId: action.id,
        applicationId: app.id,
        data: {
          kind: action.kind,
          attempts: action.attempts + 1,
          providerStatus: result.snapshot.status,
          requestedBy: action.requested_by,
        },
      },
    );
  });
}
