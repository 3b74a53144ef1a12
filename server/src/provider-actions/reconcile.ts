/**
 * Polling reconciles what webhooks missed: open applications the desk has not heard about for
 * a while are read from their provider and the answer applied (source `provider_poll`). A
 * bounded batch per run, oldest news first; an application with an action on the wire is left
 * for the next run so its answer lands first.
 */
import { randomUUID } from 'node:crypto';
import type { Provider } from '@desk/shared';
import type { Kysely } from 'kysely';
import { findStaleOpenApplications, lockApplication } from '../applications/application.repository.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';
import { applySnapshot } from './snapshot.js';

export type ReconcileContext = { db: Kysely<Database>; providers: ProviderRegistry; logger: Logger };

export async function reconcileStaleApplications(
  ctx: ReconcileContext,
  options: { staleAfterMs: number; batchSize: number },
): Promise<{ checked: number; changed: number }> {
  const { db, logger } = ctx;
  const connected = Object.keys(ctx.providers) as Provider[];
  if (connected.length === 0) return { checked: 0, changed: 0 };
  const staleBefore = new Date(Date.now() - options.staleAfterMs);
  const due = await findStaleOpenApplications(db, { providers: connected, staleBefore, limit: options.batchSize });
  let changed = 0;
  for (const app of due) {
    const adapter = adapterFor(ctx.providers, app.provider);
    if (!adapter) continue;
    const observedAt = new Date();
    try {
      const snapshot = await adapter.getApplication(app.provider_application_id, randomUUID());
      const result = await db.transaction().execute(async (trx) => {
        const locked = await lockApplication(trx, app.id);
        if (!locked) return { statusChanged: false };
        return applySnapshot(trx, locked, snapshot, { source: 'provider_poll', actorId: null, observedAt });
      });
      if (result.statusChanged) changed += 1;
    } catch (err) {
      // One unreachable application must not stop the others; the next run tries again.
      logger.warn(
        { applicationId: app.id, err: err instanceof Error ? err.message : String(err) },
        'reconcile: provider read failed',
      );
    }
  }
  return { checked: due.length, changed };
}
