/**
 * The built-in provider sandboxes left the desk's migration chain: their tables now live in
 * the `sandbox` schema, created by the sandboxes package's own migrations and only where the
 * sandboxes are mounted. A database migrated before that still holds the old
 * `public.sandbox_*` tables (2026-11-22T01/04/06, now empty steps); this drops them. Their
 * rows are a sandbox's play data: nothing to keep, and nothing to restore on the way down.
 * Frozen in time: takes Kysely<any>, imports nothing from the app.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One statement: tables that reference each other are dropped together.
  await sql`
    DROP TABLE IF EXISTS
      public.sandbox_jiko_webhook_attempts,
      public.sandbox_jiko_webhook_events,
      public.sandbox_jiko_idempotency_keys,
      public.sandbox_jiko_documents,
      public.sandbox_jiko_applications,
      public.sandbox_jiko_tokens,
      public.sandbox_jiko_agreements,
      public.sandbox_kyc_webhook_attempts,
      public.sandbox_kyc_webhook_events,
      public.sandbox_kyc_customers,
      public.sandbox_fin_webhook_attempts,
      public.sandbox_fin_webhook_events,
      public.sandbox_fin_rfis,
      public.sandbox_fin_attachments,
      public.sandbox_fin_files,
      public.sandbox_fin_customers
  `.execute(db);
}

export async function down(): Promise<void> {
  // The tables belong to the sandboxes package now; a desk rolled back past this point runs
  // without them.
}
