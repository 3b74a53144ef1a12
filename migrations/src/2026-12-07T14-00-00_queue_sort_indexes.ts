/**
 * Every column of the review queue that sorts has an index in its order, the id last (the
 * keyset's unique tiebreak), so a page is a range scan whatever the sort and its depth:
 *
 * - provider, then creation: `(provider, created_at, id)`;
 * - stage in lifecycle order, then creation: the stage's position in the list of stages
 *   (`stages` of shared/src/providers.ts, as literals: a change there needs a new index);
 * - applicant: last name, first name, customer — the queue walks customers in name order and
 *   reads each one's applications through `applications_customer_idx`.
 *
 * Creation and last update already have theirs (`applications_created_idx`, `applications_updated_idx`).
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX applications_provider_created_idx ON applications (provider, created_at, id);
    CREATE INDEX applications_stage_rank_created_idx ON applications (
      array_position(ARRAY['intake', 'provider_review', 'needs_documents', 'ready_to_reapply', 'manual_review', 'rfi', 'approved', 'rejected']::text[], stage),
      created_at,
      id
    );
    CREATE INDEX customers_sort_name_idx ON customers (lower(last_name), lower(first_name), id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX customers_sort_name_idx;
    DROP INDEX applications_stage_rank_created_idx;
    DROP INDEX applications_provider_created_idx;
  `.execute(db);
}
