/**
 * What the queue benchmark measures: the default view and realistic filter combinations, each
 * as the HTTP query the SPA sends and as the same filter written independently in SQL. The SQL
 * is only used by the harness to count the matching rows and to find the row a deep page
 * starts after (OFFSET is fine here, never in the app); the first row the server returns for a
 * deep page is checked against it.
 */
import { type RawBuilder, sql } from 'kysely';

export type Scenario = {
  /** Short label for the table. */
  name: string;
  /** The query string after `/api/applications?`, without limit and cursor. */
  query: string;
  /** The same filter in SQL over `applications a`; null = no filter. */
  where: RawBuilder<boolean> | null;
};

export const openStages = [
  'intake',
  'provider_review',
  'needs_documents',
  'ready_to_reapply',
  'manual_review',
  'rfi',
] as const;

export const scenarios: Scenario[] = [
  {
    name: 'Default view (oldest first)',
    query: '',
    where: null,
  },
  {
    name: 'Needs documents',
    query: 'stage=needs_documents',
    where: sql<boolean>`a.stage = 'needs_documents'`,
  },
  {
    name: 'Unassigned manual reviews',
    query: 'stage=manual_review&assignee=none',
    where: sql<boolean>`a.stage = 'manual_review' AND a.assignee_id IS NULL`,
  },
  {
    name: 'Jiko, documents needed, ID flag',
    query: 'provider=jiko&providerStatus=DOCUMENTS_NEEDED&flag=idVerification',
    where: sql<boolean>`a.provider = 'jiko' AND a.provider_status = 'DOCUMENTS_NEEDED' AND a.flag_id_verification`,
  },
  {
    name: 'All open stages',
    query: openStages.map((s) => `stage=${s}`).join('&'),
    where: sql<boolean>`a.stage IN (${sql.join(openStages.map((s) => sql.lit(s)))})`,
  },
  {
    name: 'Recently updated first',
    query: 'sort=updatedAt&order=desc',
    where: null,
  },
];

/**
 * The statistics the desk shows: the dashboard, and the counts above the queue
 * (`/api/applications/stats`, which the queue page asks for under its filters minus the stage).
 */
export type StatisticsScenario = { name: string; path: string };

export const statisticsScenarios: StatisticsScenario[] = [
  { name: 'Dashboard', path: '/api/dashboard' },
  { name: 'Queue counts, no filter (the queue page as it opens)', path: '/api/applications/stats' },
  { name: 'Queue counts, Jiko with the ID flag', path: '/api/applications/stats?provider=jiko&flag=idVerification' },
  { name: 'Queue counts, unassigned', path: '/api/applications/stats?assignee=none' },
];
