/**
 * What a provider's answer changes on the desk, as data: a pure function of what the desk
 * holds and what the provider said (no database, no clock). The application repository
 * applies the result (`applySnapshotDiff`); snapshot.ts runs the two in one transaction.
 *
 * - An answer asked for before the last one applied is stale: nothing changes.
 * - The observation (when the provider was asked, what it asks for) is always recorded.
 * - Status, stage, flags and the provider's customer id change together, with the version;
 *   a status change also writes a status-history row naming its source.
 * - The provider's document list wins for documents it knows (matched by its id): unknown
 *   ones are added without a file, known ones take its status. Documents it does not list
 *   are left alone (the desk may still hold them for delivery).
 * - The provider's open RFI becomes the desk's once (by the provider's id); any other of its
 *   RFIs the desk still holds open is over, and closes.
 * - What changed besides the status (flags, documents, RFIs, what it asks for, its customer id)
 *   is summed up for the audit trail (`update`), so the change is on the trail and pushed live.
 *   The first answer about an application is its creation (`application.created`): no summary.
 */
import {
  type DocumentFlags,
  type DocumentStatus,
  type DocumentType,
  documentFlags,
  type Provider,
  type ProviderStatus,
  type ProviderUpdate,
  type RfiStatus,
  rfiStatusesClosableBy,
  type Stage,
  type StatusChangeSource,
  stageOf,
} from '@desk/shared';
import type { DocumentChanges } from '../applications/document.repository.js';
import type { ProviderRfi, ProviderSnapshot } from '../providers/provider-adapter.js';

/** What the desk holds of the case, as far as a provider's answer can change it. */
export type StoredCase = {
  application: {
    id: string;
    provider: Provider;
    providerStatus: ProviderStatus;
    stage: Stage;
    flags: DocumentFlags;
    providerCustomerId: string | null;
    providerObservedAt: Date | null;
    /** What the provider asked for in its last answer. */
    requirements: string[];
  };
  /** The case's documents that carry the provider's id. */
  documents: { id: string; type: DocumentType; status: DocumentStatus; providerDocumentId: string }[];
  /** The provider's RFIs the desk has recorded for the case, whatever their status. */
  providerRfis: { providerRfiId: string; status: RfiStatus }[];
};

export type ProviderAnswer = {
  snapshot: ProviderSnapshot;
  /** When the provider was asked; an answer asked for before the last applied one is stale. */
  observedAt: Date;
  source: StatusChangeSource;
  /** Who asked for the action the answer came back to (null: the desk or the provider). */
  actorId: string | null;
  reason?: string | null;
};

export type ApplicationChanges = {
  providerStatus: ProviderStatus;
  stage: Stage;
  flags: DocumentFlags;
  providerCustomerId: string | null;
  /** Set when the stage changed: its service level runs from here. */
  stageEnteredAt: Date | null;
};

export type StatusChange = {
  fromStatus: ProviderStatus;
  toStatus: ProviderStatus;
  fromStage: Stage;
  toStage: Stage;
  at: Date;
  source: StatusChangeSource;
  actorId: string | null;
  reason: string | null;
};

/** The provider's RFIs, as changes for the RFI module to make. */
export type RfiChanges = {
  /** The provider's open RFI as it reports it (null: none). */
  open: ProviderRfi | null;
  /** The open RFI, when the desk does not have it yet. */
  create: ProviderRfi | null;
  /** The provider's ids of RFIs the desk holds open and the provider no longer reports. */
  close: string[];
};

export type SnapshotWrites = {
  applicationId: string;
  /** When the answer is applied: the time of every write. */
  at: Date;
  observation: { observedAt: Date; requirements: string[] };
  /** null: none of the application's own fields changed. */
  application: ApplicationChanges | null;
  statusChange: StatusChange | null;
  documents: DocumentChanges;
  /** null: the desk's RFIs already match the provider's. */
  rfi: RfiChanges | null;
  /** What changed besides the status, for the audit trail (null: nothing, or the first answer). */
  update: ProviderUpdate | null;
};

export type SnapshotDiff = { stale: true } | ({ stale: false } & SnapshotWrites);

export function diffSnapshot(stored: StoredCase, answer: ProviderAnswer, now: Date): SnapshotDiff {
  const app = stored.application;
  const { snapshot } = answer;
  if (app.providerObservedAt && answer.observedAt.getTime() < app.providerObservedAt.getTime()) {
    return { stale: true };
  }
  const stage = stageOf(app.provider, snapshot.status);
  if (!stage) throw new Error(`${app.provider} status ${snapshot.status} has no stage`);
  const statusChanged = snapshot.status !== app.providerStatus;
  const fieldsChanged =
    statusChanged ||
    documentFlags.some((flag) => app.flags[flag] !== snapshot.flags[flag]) ||
    app.providerCustomerId !== snapshot.providerCustomerId;
  const documents = diffDocuments(stored.documents, snapshot.documents);
  const rfi = diffRfis(stored.providerRfis, snapshot.rfi);
  return {
    stale: false,
    applicationId: app.id,
    at: now,
    observation: { observedAt: answer.observedAt, requirements: snapshot.requirements },
    application: fieldsChanged
      ? {
          providerStatus: snapshot.status,
          stage,
          flags: { ...snapshot.flags },
          providerCustomerId: snapshot.providerCustomerId,
          stageEnteredAt: stage !== app.stage ? now : null,
        }
      : null,
    statusChange: statusChanged
      ? {
          fromStatus: app.providerStatus,
          toStatus: snapshot.status,
          fromStage: app.stage,
          toStage: stage,
          at: now,
          source: answer.source,
          actorId: answer.actorId,
          reason: answer.reason ?? null,
        }
      : null,
    documents,
    rfi,
    update: app.providerObservedAt === null ? null : summarise(stored, snapshot, documents, rfi),
  };
}

function summarise(
  stored: StoredCase,
  snapshot: ProviderSnapshot,
  documents: DocumentChanges,
  rfi: RfiChanges | null,
): ProviderUpdate | null {
  const { flags, providerCustomerId, requirements } = stored.application;
  const byId = new Map(stored.documents.map((doc) => [doc.id, doc]));
  const update: ProviderUpdate = {
    flagsRaised: documentFlags.filter((flag) => snapshot.flags[flag] && !flags[flag]),
    flagsCleared: documentFlags.filter((flag) => !snapshot.flags[flag] && flags[flag]),
    documentsListed: documents.add.map(({ type, status }) => ({ type, status })),
    documentsChanged: documents.setStatus.flatMap(({ id, status }) => {
      const held = byId.get(id);
      return held ? [{ documentId: id, type: held.type, from: held.status, to: status }] : [];
    }),
    rfiOpened: (rfi?.create ?? null) !== null,
    rfisClosed: rfi?.close.length ?? 0,
    requirementsChanged:
      requirements.length !== snapshot.requirements.length ||
      requirements.some((requirement, i) => requirement !== snapshot.requirements[i]),
    providerCustomerIdChanged: providerCustomerId !== snapshot.providerCustomerId,
  };
  const changed =
    update.flagsRaised.length > 0 ||
    update.flagsCleared.length > 0 ||
    update.documentsListed.length > 0 ||
    update.documentsChanged.length > 0 ||
    update.rfiOpened ||
    update.rfisClosed > 0 ||
    update.requirementsChanged ||
    update.providerCustomerIdChanged;
  return changed ? update : null;
}

function diffDocuments(held: StoredCase['documents'], listed: ProviderSnapshot['documents']): DocumentChanges {
  const byProviderId = new Map(held.map((doc) => [doc.providerDocumentId, doc]));
  const changes: DocumentChanges = { add: [], setStatus: [] };
  for (const doc of listed) {
    const existing = byProviderId.get(doc.providerDocumentId);
    if (!existing) changes.add.push({ type: doc.type, status: doc.status, providerDocumentId: doc.providerDocumentId });
    else if (existing.status !== doc.status) changes.setStatus.push({ id: existing.id, status: doc.status });
  }
  return changes;
}

/** The statuses from which the provider closes its RFIs (the shared RFI lifecycle). */
const closableByProvider: readonly RfiStatus[] = rfiStatusesClosableBy('provider', 'provider');

function diffRfis(held: StoredCase['providerRfis'], open: ProviderRfi | null): RfiChanges | null {
  const close = held
    .filter((rfi) => rfi.providerRfiId !== open?.providerRfiId && closableByProvider.includes(rfi.status))
    .map((rfi) => rfi.providerRfiId);
  const create = open && !held.some((rfi) => rfi.providerRfiId === open.providerRfiId) ? open : null;
  return close.length > 0 || create ? { open, create, close } : null;
}
