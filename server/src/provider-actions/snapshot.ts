/**
 * Applies what a provider says about an application: status (with a status-history row naming
 * the source), stage, flags, what it asks for, provider customer id, the provider's document
 * list and its open RFI. Runs in the caller's transaction, after the application row has been
 * locked: read what the desk holds, work out the changes (snapshot-diff.ts, pure), write them
 * through the application repository, and record on the audit trail the status change and
 * what else changed (`application.provider_update_applied`); an answer that changes nothing
 * records nothing.
 */

import type { Kysely } from 'kysely';
import { applySnapshotDiff, findStoredCase } from '../applications/application.repository.js';
import { recordAudit } from '../audit/audit-log.js';
import type { ApplicationRow, Database } from '../db/schema.js';
import type { ProviderSnapshot } from '../providers/provider-adapter.js';
import { diffSnapshot, type ProviderAnswer } from './snapshot-diff.js';

export async function applySnapshot(
  trx: Kysely<Database>,
  app: ApplicationRow,
  snapshot: ProviderSnapshot,
  change: Omit<ProviderAnswer, 'snapshot'>,
): Promise<{ statusChanged: boolean; stale: boolean }> {
  const diff = diffSnapshot(await findStoredCase(trx, app), { snapshot, ...change }, new Date());
  if (diff.stale) return { statusChanged: false, stale: true };
  await applySnapshotDiff(trx, diff);
  const { statusChange, update } = diff;
  // Last, as the audit trail wants (see audit-log.ts).
  if (statusChange) {
    await recordAudit(
      trx,
      { kind: 'provider', provider: app.provider },
      {
        action: 'application.status_changed',
        entityId: app.id,
        applicationId: app.id,
        data: {
          from: statusChange.fromStatus,
          to: statusChange.toStatus,
          fromStage: statusChange.fromStage,
          toStage: statusChange.toStage,
          source: statusChange.source,
          requestedBy: statusChange.actorId,
          reason: statusChange.reason,
        },
      },
    );
  }
  if (update) {
    await recordAudit(
      trx,
      { kind: 'provider', provider: app.provider },
      {
        action: 'application.provider_update_applied',
        entityId: app.id,
        applicationId: app.id,
        data: { ...update, source: change.source },
      },
    );
  }
  return { statusChanged: statusChange !== null, stale: false };
}
