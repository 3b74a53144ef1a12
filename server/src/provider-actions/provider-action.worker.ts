/**
 * Delivers provider actions. Every attempt sends the same idempotency key, so a retry after a
 * crash, a timeout or a 500 is the same request to the provider and never acts twice. The
 * provider's answer is applied in one transaction that also marks the action done.
 *
 *   queued ──▶ sending ──▶ done
 *                │  ▲
 *                ▼  │ (unavailable: retried with backoff)
 *              failed ── gave up when refused (4xx) or retries are exhausted
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, ProviderActionRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { ProviderCallError, type ProviderAdapter, type ProviderSnapshot } from '../providers/provider-adapter.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';
import { applySnapshot, lockApplication } from './snapshot.js';

export type WorkerContext = { db: Kysely<Database>; providers: ProviderRegistry; logger: Logger };

async function markAction(db: Kysely<Database>, id: string, changes: Partial<Pick<ProviderActionRow, 'state' | 'last_error' | 'gave_up'>> & { attempt?: true }) {
  const { attempt, ...rest } = changes;
  await db
    .updateTable('provider_actions')
    .set((eb) => ({
      ...rest,
      ...(attempt ? { attempts: eb('attempts', '+', 1) } : {}),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where('state', '<>', 'done')
    .execute();
}

/** Calls the provider for one action; returns the snapshot to apply and the uploaded document's provider id. */
async function callProvider(
  db: Kysely<Database>,
  adapter: ProviderAdapter,
  action: ProviderActionRow,
  providerApplicationId: string,
): Promise<{ snapshot: ProviderSnapshot; providerDocumentId: string | null }> {
  // Reads carry a fresh key: a replayed read would answer with yesterday's state.
  const readKey = () => randomUUID();
  switch (action.kind) {
    case 'upload_document': {
      if (!action.document_id) throw new ProviderCallError('refused', 'The action has no document');
      const doc = await db
        .selectFrom('application_documents as d')
        .innerJoin('document_contents as c', 'c.document_id', 'd.id')
        .select(['d.type', 'd.content_type', 'c.bytes'])
        .where('d.id', '=', action.document_id)
        .executeTakeFirst();
      if (!doc?.content_type) throw new ProviderCallError('refused', 'The document file is missing');
      const { providerDocumentId } = await adapter.uploadDocument(
        providerApplicationId,
        { type: doc.type, contentType: doc.content_type, bytes: doc.bytes },
        action.idempotency_key,
      );
      return { snapshot: await adapter.getApplication(providerApplicationId, readKey()), providerDocumentId };
    }
    case 'reapply':
      return { snapshot: await adapter.reapply(providerApplicationId, action.idempotency_key), providerDocumentId: null };
    case 'refresh':
      return { snapshot: await adapter.getApplication(providerApplicationId, readKey()), providerDocumentId: null };
  }
}

export async function deliverProviderAction(
  ctx: WorkerContext,
  actionId: string,
  attempt: { isLast: boolean },
): Promise<void> {
  const { db, logger } = ctx;
  const action = await db.selectFrom('provider_actions').selectAll().where('id', '=', actionId).executeTakeFirst();
  if (!action || action.state === 'done') return;
  const app = await db.selectFrom('applications').selectAll().where('id', '=', action.application_id).executeTakeFirstOrThrow();
  const adapter = adapterFor(ctx.providers, app.provider);
  if (!adapter) {
    await markAction(db, action.id, { state: 'failed', last_error: `Not connected to ${app.provider}`, gave_up: true });
    return;
  }
  await markAction(db, action.id, { state: 'sending', attempt: true });

  let result: Awaited<ReturnType<typeof callProvider>>;
  const observedAt = new Date();
  try {
    result = await callProvider(db, adapter, action, app.provider_application_id);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const final = !(err instanceof ProviderCallError) || err.kind === 'refused' || attempt.isLast;
    await markAction(db, action.id, { state: 'failed', last_error: message, gave_up: final });
    logger.warn({ actionId, kind: action.kind, err: message, final }, 'provider action failed');
    if (!final) throw err; // the queue retries with backoff
    return;
  }

  await db.transaction().execute(async (trx) => {
    const locked = await lockApplication(trx, app.id);
    if (!locked) return;
    if (action.document_id) {
      await trx
        .updateTable('application_documents')
        .set((eb) => ({
          provider_document_id: result.providerDocumentId,
          status: 'UPLOADED',
          version: eb('version', '+', 1),
          updated_at: new Date(),
        }))
        .where('id', '=', action.document_id)
        .execute();
    }
    await applySnapshot(trx, locked, result.snapshot, { source: 'provider_response', actorId: action.requested_by, observedAt });
    await trx
      .updateTable('provider_actions')
      .set((eb) => ({
        state: 'done',
        last_error: null,
        gave_up: false,
        completed_at: new Date(),
        version: eb('version', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', action.id)
      .execute();
  });
}
