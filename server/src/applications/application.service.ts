/**
 * Queue and case reads: resolves filters that depend on who asks, pages by keyset, and
 * assembles the whole case.
 */
import type { Kysely } from 'kysely';
import {
  agingBuckets,
  documentFlags,
  stages,
  type ApplicationDetail,
  type ApplicationList,
  type ApplicationListQuery,
  type ApplicationStats,
} from '@desk/shared';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import {
  countApplications,
  findApplicantOf,
  findApplicationPage,
  findApplicationSummary,
  findConsentContext,
  findDocuments,
  findStatusHistory,
  type QueueFilter,
} from './application.repository.js';
import { applicationDetailOf, applicationRowToSummary } from './application.mapper.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

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

export async function listApplications(
  db: Kysely<Database>,
  query: ApplicationListQuery,
  viewer: Viewer,
): Promise<ApplicationList> {
  const { limit, cursor, assignee, ...rest } = query;
  const filter: QueueFilter = { ...rest, assigneeId: resolveAssignee(assignee, viewer) };
  const after = cursor ? decodeCursor(cursor, query.sort, query.order) : null;
  // One row more than asked tells whether another page exists without counting.
  const rows = await findApplicationPage(db, filter, { limit: limit + 1, after });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(query.sort, query.order, {
          at: query.sort === 'updatedAt' ? last.updated_at : last.created_at,
          id: last.id,
        })
      : null;
  return { data: page.map(applicationRowToSummary), nextCursor };
}

export async function getApplication(db: Kysely<Database>, id: string): Promise<ApplicationDetail> {
  const summary = await findApplicationSummary(db, id);
  if (!summary) throw AppError.notFound('Application');
  const [applicant, consent, documents, history] = await Promise.all([
    findApplicantOf(db, summary.customer_id),
    findConsentContext(db, summary.provider, summary.agreement_version, summary.consented_at),
    findDocuments(db, id),
    findStatusHistory(db, id),
  ]);
  return applicationDetailOf({ summary, applicant, consent, documents, history });
}

export async function getApplicationStats(db: Kysely<Database>, now = new Date()): Promise<ApplicationStats> {
  const rows = await countApplications(db, now);
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
