/**
 * Fin.com V1 customers live in `sandbox.fin_customers` next to V2 ones; the API version a
 * customer was created with decides the shape of its basic_info / address /
 * financial_profile (V1: single `tin`, `street`, `state`, `source_of_fund_id`) and which
 * routes serve it. Existing rows were all created through V2. Frozen in time: takes
 * Kysely<any>, imports nothing from the app.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sandbox.fin_customers
      ADD COLUMN api_version text NOT NULL DEFAULT 'v2' CHECK (api_version IN ('v1', 'v2'));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE sandbox.fin_customers DROP COLUMN api_version;`.execute(db);
}
