/**
 * Requests for information: the request, what it asks for, and each answer with its files.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE rfis (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      origin text NOT NULL CHECK (origin IN ('provider', 'internal')),
      -- The provider's own id for a provider-raised RFI (one RFI per provider request).
      provider_rfi_id text,
      status text NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
      title text NOT NULL,
      due_at timestamptz(3) NOT NULL,
      assignee_id uuid REFERENCES staff (id),
      raised_by uuid REFERENCES staff (id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      closed_at timestamptz(3),
      CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
      CHECK ((origin = 'provider') = (provider_rfi_id IS NOT NULL))
    );
    CREATE UNIQUE INDEX rfis_provider_rfi_idx ON rfis (application_id, provider_rfi_id) WHERE provider_rfi_id IS NOT NULL;
    -- The RFI queue pages by (due_at, id), per status and optionally per assignee.
    CREATE INDEX rfis_status_due_idx ON rfis (status, due_at, id);
    CREATE INDEX rfis_assignee_due_idx ON rfis (assignee_id, due_at, id);
    CREATE INDEX rfis_application_idx ON rfis (application_id, created_at);

    CREATE TABLE rfi_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      rfi_id uuid NOT NULL REFERENCES rfis (id),
      position integer NOT NULL,
      kind text NOT NULL CHECK (kind IN ('field', 'document', 'text')),
      -- A field path, a document type, or a short key for a question; unique within the RFI.
      key text NOT NULL,
      label text NOT NULL,
      section text,
      reason text CHECK (reason IN ('MISSING', 'INVALID', 'EXPIRED')),
      note text,
      UNIQUE (rfi_id, key)
    );

    CREATE TABLE rfi_answers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      rfi_id uuid NOT NULL REFERENCES rfis (id),
      text text,
      -- { "<item key>": "<value>" } for the RFI's field items, exactly those asked for.
      field_values jsonb NOT NULL DEFAULT '{}'::jsonb,
      answered_by uuid REFERENCES staff (id),
      answered_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX rfi_answers_rfi_idx ON rfi_answers (rfi_id, answered_at);

    CREATE TABLE rfi_answer_documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      answer_id uuid NOT NULL REFERENCES rfi_answers (id),
      item_key text NOT NULL,
      file_name text,
      content_type text NOT NULL,
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      bytes bytea NOT NULL
    );
    CREATE INDEX rfi_answer_documents_answer_idx ON rfi_answer_documents (answer_id);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE rfi_answer_documents;
    DROP TABLE rfi_answers;
    DROP TABLE rfi_items;
    DROP TABLE rfis;
  `.execute(db);
}
