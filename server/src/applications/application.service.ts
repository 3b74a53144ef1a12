/**
 * Queue and case reads: resolves filters that depend on who asks, pages by keyset, and
 * assembles the whole case.
 */

import {
  type ApplicationDetail,
  type ApplicationList,
  type ApplicationListQuery,
  type ApplicationSort,
  type ApplicationStats,
  type ApplicationStatsQuery,
  agingBuckets,
  type CaseActions,
  documentFlags,
  documentTypes,
  isPendingProviderAction,
  type ProviderAction,
  type ProviderStatus,
  stages,
} from '@desk/shared';
import type { Kysely } from 'kysely';
import { customerIdsMatching } from '../customers/customer-search.js';
import { countersAnswer, statsFromCounters } from '../dashboard/counters.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import { findOutcomes } from '../outcomes/outcome.service.js';
import type { PiiVault } from '../pii/pii-vault.js';
import { actionRowToProviderAction } from '../provider-actions/provider-action.mapper.js';
import { findActionsOf } from '../provider-actions/provider-action.repository.js';
import { reapplyRefusal, reapplyRefusalReason } from '../provider-actions/reapply-rules.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry.js';
import { findNotes } from '../workflow/notes.service.js';
import { applicationDetailOf, applicationRowToSummary } from './application.mapper.js';
import {
  findApplicantOf,
  findCaseRfis,
  findConsentContext,
  findDocuments,
  findProviderRequirements,
  findStatusHistory,
} from './application.repository.js';
import { decodeCursor, encodeCursor, type QueuePosition } from './keyset-cursor.js';
import {
  type ApplicationSummaryRow,
  countApplications,
  findApplicationPage,
  findApplicationSummary,
  type QueueFilter,
  type QueueSearch,
} from './queue.query.js';

/** Who is asking; null until staff sign in. */
export type Viewer = { staffId: string } | null;

function resolveAssignee(assignee: ApplicationListQuery['assignee'], viewer: Viewer): string | null | undefined {
  if (assignee === undefined) return undefined;
  if (assignee === 'none') return null;
  if (assignee === 'me') {
    if (!viewer) throw new AppError('unauthenticated', 'Sign in to see the cases assigned to you');
    return viewer.staffId;
  }
  return assignee;
}

/** `q` resolved: the customers the customer lookup finds for it (see `QueueSearch`). */
async function searchOf(db: Kysely<Database>, pii: PiiVault, q: string | undefined): Promise<QueueSearch | undefined> {
  if (q === undefined) return undefined;
  return { text: q, customerIds: await customerIdsMatching(db, pii, q) };
}

/** Where the page's last row stands in the order: the next page's cursor. */
function positionOf(sort: ApplicationSort, row: ApplicationSummaryRow): QueuePosition {
  switch (sort) {
    case 'createdAt':
      return { sort, at: row.created_at, id: row.id };
    case 'updatedAt':
      return { sort, at: row.updated_at, id: row.id };
    case 'provider':
      return { sort, provider: row.provider, at: row.created_at, id: row.id };
    case 'stage':
      return { sort, stage: row.stage, at: row.created_at, id: row.id };
    case 'applicant':
      return { sort, id: row.id };
  }
}

export async function listApplications(
  ctx: { db: Kysely<Database>; pii: PiiVault },
  query: ApplicationListQuery,
  viewer: Viewer,
): Promise<ApplicationList> {
  const { db, pii } = ctx;
  const { limit, cursor, assignee, sort, order, q, ...rest } = query;
  const after = cursor ? decodeCursor(cursor, sort, order) : null;
  const filter: QueueFilter = {
    ...rest,
    assigneeId: resolveAssignee(assignee, viewer),
    search: await searchOf(db, pii, q),
  };
  // One row more than asked tells whether another page exists without counting.
  const rows = await findApplicationPage(db, filter, { sort, order, limit: limit + 1, after });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(order, positionOf(sort, last)) : null;
  const now = new Date();
  return { data: page.map((row) => applicationRowToSummary(row, now)), nextCursor };
}

export async function getApplication(
  db: Kysely<Database>,
  providers: ProviderRegistry,
  id: string,
): Promise<ApplicationDetail> {
  const summary = await findApplicationSummary(db, id);
  if (!summary) throw AppError.notFound('Application');
  const [applicant, consent, documents, history, actionRows, providerRequirements, rfis] = await Promise.all([
    findApplicantOf(db, summary.customer_id),
    findConsentContext(db, summary.provider, summary.agreement_version, summary.consented_at),
    findDocuments(db, id),
    findStatusHistory(db, id),
    findActionsOf(db, id),
    findProviderRequirements(db, id),
    findCaseRfis(db, id),
  ]);
  const [outcomes, notes] = await Promise.all([findOutcomes(db, id), findNotes(db, id)]);
  const providerActions = actionRows.map(actionRowToProviderAction);
  const held = documents.map((d) => ({ type: d.type, status: d.status, providerDocumentId: d.provider_document_id }));
  return applicationDetailOf({
    outcomes,
    notes,
    summary,
    applicant,
    consent,
    documents,
    history,
    providerActions,
    providerRequirements,
    rfis,
    now: new Date(),
    actions: caseActionsOf(adapterFor(providers, summary.provider), summary.provider_status, held, providerActions),
  });
}

/** What the case page may offer, from the provider's rules and the actions under way. */
function caseActionsOf(
  adapter: ProviderAdapter | null,
  status: ProviderStatus,
  documents: Parameters<ProviderAdapter['resubmitRefusal']>[1],
  actions: readonly ProviderAction[],
): CaseActions {
  if (!adapter) {
    const reason = 'The desk is not connected to this provider.';
    return {
      reapply: { allowed: false, reason, label: 'Re-apply' },
      upload: { contentTypes: [], minBytes: 0, maxBytes: 0, types: [], requiredDetails: {}, byType: {} },
    };
  }
  const refusal = reapplyRefusal({
    adapter,
    status,
    documents,
    pendingKinds: actions.filter(isPendingProviderAction).map((a) => a.kind),
  });
  const types = documentTypes.filter((t) => adapter.documentRules(t).accepted);
  const rules = types.map((t) => ({ type: t, ...adapter.documentRules(t) }));
  return {
    reapply: {
      allowed: refusal === null,
      reason: refusal && reapplyRefusalReason(refusal),
      label: adapter.resubmitLabel,
    },
    upload: {
      contentTypes: [...new Set(rules.flatMap((r) => r.contentTypes))],
      minBytes: rules.length > 0 ? Math.min(...rules.map((r) => r.minBytes)) : 0,
      maxBytes: Math.max(0, ...rules.map((r) => r.maxBytes)),
      types,
      requiredDetails: Object.fromEntries(
        rules.filter((r) => r.requiredDetails.length > 0).map((r) => [r.type, [...r.requiredDetails]]),
      ),
      byType: Object.fromEntries(
        rules.map((r) => [
          r.type,
          {
            contentTypes: [...r.contentTypes],
            minBytes: r.minBytes,
            maxBytes: r.maxBytes,
            requiredDetails: [...r.requiredDetails],
          },
        ]),
      ),
    },
  };
}

export async function getApplicationStats(
  ctx: { db: Kysely<Database>; pii: PiiVault },
  query: ApplicationStatsQuery,
  viewer: Viewer,
  now = new Date(),
): Promise<ApplicationStats> {
  const { db, pii } = ctx;
  const { assignee, q, ...rest } = query;
  const filter: QueueFilter = {
    ...rest,
    assigneeId: resolveAssignee(assignee, viewer),
    search: await searchOf(db, pii, q),
  };
  // Kept by the database for the filters its counters have keys for; otherwise counted here.
  if (countersAnswer(filter)) return statsFromCounters(db, filter, now);
  const rows = await countApplications(db, filter, now);
  const stats: ApplicationStats = {
    total: 0,
    byStage: Object.fromEntries(stages.map((s) => [s, 0])) as ApplicationStats['byStage'],
    byFlag: Object.fromEntries(documentFlags.map((f) => [f, 0])) as ApplicationStats['byFlag'],
    aging: Object.fromEntries(agingBuckets.map((b) => [b, 0])) as ApplicationStats['aging'],
  };
  for (const row of rows) {
    stats.total += row.total;
    stats.byStage[row.stage] += row.total;
    stats.byFlag.idVerification += row.flag_id;
    stats.byFlag.identificationNumberVerification += row.flag_number;
    stats.byFlag.addressVerification += row.flag_address;
    for (const bucket of agingBuckets) stats.aging[bucket] += row[bucket];
  }
  return stats;
}
