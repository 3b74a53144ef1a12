/**
 * Applies what a provider says about an application: status (with a status-history row naming
 * the source), stage, flags, what it asks for, provider customer id, the provider's document
 * list and its open RFI. Runs in the caller's transaction, after the application row has been
 * locked.
 */

import { type StatusChangeSource, stageOf } from '@desk/shared';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit-log.js';
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
  const requirements = JSON.stringify(snapshot.requirements);
  await trx
    .updateTable('applications')
    .set({ provider_observed_at: change.observedAt, provider_requirements: requirements })
    .where('id', '=', app.id)
    .execute();
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
        ...(stage !== app.stage ? { stage_entered_at: now } : {}),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', app.id)
      .execute();
  }
  await syncDocuments(trx, app.id, snapshot.documents, now);
  await syncProviderRfi(trx, app.id, snapshot.rfi, now);
  // Last, as the audit trail wants (see audit-log.ts).
  if (statusChanged) {
    await recordAudit(
      trx,
      { kind: 'provider', provider: app.provider },
      {
        action: 'application.status_changed',
        entityId: app.id,
        applicationId: app.id,
        data: {
          from: app.provider_status,
          to: snapshot.status,
          fromStage: app.stage,
          toStage: stage,
          source: change.source,
          requestedBy: change.actorId,
          reason: change.reason ?? null,
        },
      },
    );
  }
  return { statusChanged, stale: false };
}

/** A provider RFI without a due time of the provider's own is due this long after it was raised. */
export const providerRfiDueMs = 5 * 24 * 3600 * 1000;

/**
 * The provider's open RFI becomes the desk's (once, by the provider's id); any other of the
 * provider's RFIs the desk still has open or answered is over: the provider moved on (after
 * our answer, or without it), so it is closed.
 */
async function syncProviderRfi(
  trx: Kysely<Database>,
  applicationId: string,
  rfi: ProviderSnapshot['rfi'],
  now: Date,
): Promise<void> {
  let closing = trx
    .updateTable('rfis')
    .set((eb) => ({ status: 'closed', closed_at: now, version: eb('version', '+', 1), updated_at: now }))
    .where('application_id', '=', applicationId)
    .where('origin', '=', 'provider')
    .where('status', 'in', ['open', 'answered']);
  if (rfi) closing = closing.where('provider_rfi_id', '<>', rfi.providerRfiId);
  await closing.execute();
  if (!rfi) return;
  const created = await trx
    .insertInto('rfis')
    .values({
      application_id: applicationId,
      origin: 'provider',
      provider_rfi_id: rfi.providerRfiId,
      status: 'open',
      title: rfi.title,
      due_at: rfi.dueAt ?? new Date(rfi.raisedAt.getTime() + providerRfiDueMs),
      assignee_id: null,
      raised_by: null,
      created_at: rfi.raisedAt,
    })
    .onConflict((oc) =>
      oc.columns(['application_id', 'provider_rfi_id']).where('provider_rfi_id', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (!created || rfi.items.length === 0) return;
  await trx
    .insertInto('rfi_items')
    .values(rfi.items.map((item, position) => ({ rfi_id: created.id, position, ...item })))
    .execute();
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
    .where(
      'provider_document_id',
      'in',
      documents.map((d) => d.providerDocumentId),
    )
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
