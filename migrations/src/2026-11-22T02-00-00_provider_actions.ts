/**
 * Provider actions (the desk's outbox toward providers), the webhook inbox, and the bytes of
 * documents waiting to be delivered. Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- One row per thing the desk asked a provider to do. Written with its intent in the same
    -- transaction as the job that delivers it; the idempotency key never changes between
    -- attempts, so a retried delivery is the same request to the provider.
    CREATE TABLE provider_actions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      kind text NOT NULL CHECK (kind IN ('upload_document', 'reapply', 'refresh')),
      state text NOT NULL CHECK (state IN ('queued', 'sending', 'failed', 'done')),
      idempotency_key text NOT NULL UNIQUE,
      -- For uploads: the document being sent.
      document_id uuid REFERENCES application_documents (id),
      attempts integer NOT NULL DEFAULT 0,
      -- The provider's (or the network's) last answer when an attempt failed.
      last_error text,
      -- True once retries are exhausted or the provider refused for good; a person may retry.
      gave_up boolean NOT NULL DEFAULT false,
      requested_by uuid REFERENCES staff (id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      completed_at timestamptz(3)
    );
    CREATE INDEX provider_actions_application_idx ON provider_actions (application_id, created_at, id);
    CREATE INDEX provider_actions_open_idx ON provider_actions (state, updated_at) WHERE state <> 'done';

    -- Provider events, stored once per provider event id: a replay is a no-op.
    CREATE TABLE webhook_inbox (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      provider text NOT NULL CHECK (provider IN ('jiko', 'fin', 'kyc')),
      event_id text NOT NULL,
      event_type text NOT NULL,
      provider_application_id text,
      payload jsonb NOT NULL,
      received_at timestamptz(3) NOT NULL DEFAULT now(),
      applied_at timestamptz(3),
      UNIQUE (provider, event_id)
    );
    CREATE INDEX webhook_inbox_unapplied_idx ON webhook_inbox (received_at) WHERE applied_at IS NULL;

    -- Bytes of documents uploaded on a customer's behalf, kept until (and after) delivery.
    CREATE TABLE document_contents (
      document_id uuid PRIMARY KEY REFERENCES application_documents (id),
      bytes bytea NOT NULL
    );

    -- When the provider's view last applied to the application was asked for: an answer asked
    -- for earlier (a slow webhook job, say) is older news and must not overwrite a newer one.
    ALTER TABLE applications ADD COLUMN provider_observed_at timestamptz(3);

    ALTER TABLE application_documents ADD COLUMN provider_document_id text;
    ALTER TABLE application_documents ADD COLUMN file_name text;
    CREATE UNIQUE INDEX application_documents_provider_id_idx
      ON application_documents (application_id, provider_document_id) WHERE provider_document_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE application_documents DROP COLUMN file_name;
    ALTER TABLE application_documents DROP COLUMN provider_document_id;
    ALTER TABLE applications DROP COLUMN provider_observed_at;
    DROP TABLE document_contents;
    DROP TABLE webhook_inbox;
    DROP TABLE provider_actions;
  `.execute(db);
}
