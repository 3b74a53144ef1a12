/**
 * Applies what a provider says about an application: status (with a status-history row naming
 * the source), stage, flags, provider customer id and the provider's document list. Runs in
 * the caller's transaction, after the application row has been locked.
 */
import type { Kysely } from 'kysely';
import { stageOf, type StatusChangeSource } from '@desk/shared';
import type { ApplicationRow, Database } from '../db/schema.js';
import type { ProviderSnapshot } from '../providers/provider-adapter.js';

export async function lockApplication(trx: Kysely<Database>, id: string): Promise<ApplicationRow | undefined> {
  return trx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function applySnapshot(
  trx: Kysely<Database>,
  app: ApplicationRow,
  snapshot: ProviderSnapshot,
  change: {
    source: StatusChangeSource;
    actorId: string | null;
    reason?: string | null;
    /** When the provider was asked; an answer asked for before the last applied one is stale. */
    observedAt: Date;
  },
): Promise<{ statusChanged: boolean; stale: boolean }> {
  if (app.provider_observed_at && change.observedAt.getTime() < app.provider_observed_at.getTime()) {
    return { statusChanged: false, stale: true };
  }
  const stage = stageOf(app.provider, snapshot.status);
  if (!stage) throw new Error(`${app.provider} status ${snapshot.status} has no stage`);
  const statusChanged = snapshot.status !== app.provider_status;
  const now = new Date();
  if (statusChanged) {
    await trx
      .insertInto('status_history')
      .values({
        application_id: app.id,
        from_status: app.provider_status,
        to_status: snapshot.status,
        from_stage: app.stage,
        to_stage: stage,
        at: now,
        source: change.source,
        actor_id: change.actorId,
        reason: change.reason ?? null,
      })
      .execute();
  }
  await trx.updateTable('applications').set({ provider_observed_at: change.observedAt }).where('id', '=', app.id).execute();
  const fieldsChanged =
    statusChanged ||
    app.flag_id_verification !== snapshot.flags.idVerification ||
    app.flag_identification_number_verification !== snapshot.flags.identificationNumberVerification ||
    app.flag_address_verification !== snapshot.flags.addressVerification ||
    app.provider_customer_id !== snapshot.providerCustomerId;
  if (fieldsChanged) {
    await trx
      .updateTable('applications')
      .set((eb) => ({
        provider_status: snapshot.status,
        stage,
        flag_id_verification: snapshot.flags.idVerification,
        flag_identification_number_verification: snapshot.flags.identificationNumberVerification,
        flag_address_verification: snapshot.flags.addressVerification,
        provider_customer_id: snapshot.providerCustomerId,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', app.id)
      .execute();
  }
  await syncDocuments(trx, app.id, snapshot.documents, now);
  return { statusChanged, stale: false };
}

/**
 * The provider's document list wins for documents it knows (matched by its id); documents the
 * desk still holds for delivery are left alone.
 */
async function syncDocuments(
  trx: Kysely<Database>,
  applicationId: string,
  documents: ProviderSnapshot['documents'],
  now: Date,
): Promise<void> {
  if (documents.length === 0) return;
  const known = await trx
    .selectFrom('application_documents')
    .select(['id', 'status', 'provider_document_id'])
    .where('application_id', '=', applicationId)
    .where('provider_document_id', 'in', documents.map((d) => d.providerDocumentId))
    .execute();
  const byProviderId = new Map(known.map((k) => [k.provider_document_id, k]));
  for (const doc of documents) {
    const existing = byProviderId.get(doc.providerDocumentId);
    if (existing) {
      if (existing.status !== doc.status) {
        await trx
          .updateTable('application_documents')
          .set((eb) => ({ status: doc.status, version: eb('version', '+', 1), updated_at: now }))
          .where('id', '=', existing.id)
          .execute();
      }
    } else {
      await trx
        .insertInto('application_documents')
        .values({
          application_id: applicationId,
          type: doc.type,
          status: doc.status,
          provider_document_id: doc.providerDocumentId,
          content_type: null,
          size_bytes: null,
          sha256: null,
          uploaded_by: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  }
}
