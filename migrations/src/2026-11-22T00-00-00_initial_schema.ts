/**
 * Schema v1: staff, agreements, customers, applications, application documents and the
 * append-only status history. Frozen in time: takes Kysely<any>, imports nothing from the app.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE staff (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL UNIQUE CHECK (email = lower(email)),
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('analyst', 'senior_analyst', 'support', 'auditor', 'admin')),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    );

    -- Agreement versions a provider shows to applicants; an application records the version
    -- consented to, so "was it the latest at the time" is a query over released_at.
    CREATE TABLE agreements (
      provider text NOT NULL CHECK (provider IN ('jiko', 'fin', 'kyc')),
      version text NOT NULL,
      released_at timestamptz(3) NOT NULL,
      -- [{ "title": string, "url": string }]: the documents that make up this version.
      documents jsonb NOT NULL DEFAULT '[]'::jsonb,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      PRIMARY KEY (provider, version)
    );
    CREATE INDEX agreements_released_idx ON agreements (provider, released_at);

    CREATE TABLE customers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      first_name text NOT NULL,
      last_name text NOT NULL,
      email text NOT NULL,
      phone text NOT NULL,
      date_of_birth date NOT NULL,
      street text NOT NULL,
      city text NOT NULL,
      postal_code text NOT NULL,
      state text,
      country text NOT NULL,
      -- The clear identification number (e.g. SSN) is needed to talk to the provider; it is
      -- never returned by the API, which only ever shows the last four digits.
      identification_number text NOT NULL,
      identification_number_last4 text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX customers_last_name_idx ON customers (lower(last_name) text_pattern_ops);
    CREATE INDEX customers_first_name_idx ON customers (lower(first_name) text_pattern_ops);
    CREATE INDEX customers_email_idx ON customers (lower(email) text_pattern_ops);

    CREATE TABLE applications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL REFERENCES customers (id),
      provider text NOT NULL CHECK (provider IN ('jiko', 'fin', 'kyc')),
      provider_application_id text NOT NULL,
      provider_status text NOT NULL,
      -- Derived from (provider, provider_status) by the shared stage table; stored so that
      -- the queue can filter and index on it.
      stage text NOT NULL CHECK (stage IN ('intake', 'provider_review', 'needs_documents',
        'ready_to_reapply', 'manual_review', 'rfi', 'approved', 'rejected')),
      flag_id_verification boolean NOT NULL DEFAULT false,
      flag_identification_number_verification boolean NOT NULL DEFAULT false,
      flag_address_verification boolean NOT NULL DEFAULT false,
      agreement_version text NOT NULL,
      consented_at timestamptz(3) NOT NULL,
      -- Set by the provider once the application is approved (Jiko customer_id).
      provider_customer_id text,
      assignee_id uuid REFERENCES staff (id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      UNIQUE (provider, provider_application_id)
    );
    CREATE INDEX applications_customer_idx ON applications (customer_id, created_at, id);
    -- Look-ups by the provider's ids come without the provider.
    CREATE INDEX applications_provider_application_id_idx ON applications (provider_application_id);
    CREATE INDEX applications_provider_customer_id_idx ON applications (provider_customer_id)
      WHERE provider_customer_id IS NOT NULL;

    -- Queue indexes: every filter the queue offers leads an index that ends in the sort key,
    -- so a page is a range scan whatever its depth. Flags are sparse, hence partial indexes.
    CREATE INDEX applications_created_idx ON applications (created_at, id);
    CREATE INDEX applications_updated_idx ON applications (updated_at, id);
    CREATE INDEX applications_stage_created_idx ON applications (stage, created_at, id);
    CREATE INDEX applications_stage_updated_idx ON applications (stage, updated_at, id);
    CREATE INDEX applications_provider_status_created_idx
      ON applications (provider, provider_status, created_at, id);
    CREATE INDEX applications_provider_stage_created_idx ON applications (provider, stage, created_at, id);
    CREATE INDEX applications_assignee_created_idx ON applications (assignee_id, created_at, id);
    CREATE INDEX applications_unassigned_stage_created_idx
      ON applications (stage, created_at, id) WHERE assignee_id IS NULL;
    CREATE INDEX applications_flag_id_created_idx
      ON applications (created_at, id) WHERE flag_id_verification;
    CREATE INDEX applications_flag_number_created_idx
      ON applications (created_at, id) WHERE flag_identification_number_verification;
    CREATE INDEX applications_flag_address_created_idx
      ON applications (created_at, id) WHERE flag_address_verification;

    CREATE TABLE application_documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      type text NOT NULL CHECK (type IN ('ID_FRONT', 'ID_BACK', 'SELFIE', 'PASSPORT',
        'IDENTIFICATION_NUMBER_VERIFICATION', 'ADDRESS_VERIFICATION', 'OTHER')),
      status text NOT NULL CHECK (status IN ('PENDING_UPLOAD', 'UPLOADED', 'ACCEPTED', 'REJECTED')),
      content_type text,
      size_bytes integer CHECK (size_bytes >= 0),
      sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_by uuid REFERENCES staff (id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX application_documents_application_idx ON application_documents (application_id, created_at);

    -- Append-only: who or what moved an application from one native status to another.
    CREATE TABLE status_history (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      from_status text,
      to_status text NOT NULL,
      from_stage text,
      to_stage text NOT NULL,
      at timestamptz(3) NOT NULL DEFAULT now(),
      source text NOT NULL CHECK (source IN ('provider_response', 'provider_webhook', 'provider_poll', 'staff', 'import')),
      actor_id uuid REFERENCES staff (id),
      reason text
    );
    CREATE INDEX status_history_application_idx ON status_history (application_id, at, id);
    CREATE INDEX status_history_at_idx ON status_history (at, id);

    CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END;
    $$;
    CREATE TRIGGER status_history_append_only
      BEFORE UPDATE OR DELETE ON status_history
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
    CREATE TRIGGER status_history_no_truncate
      BEFORE TRUNCATE ON status_history
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE status_history;
    DROP FUNCTION refuse_change();
    DROP TABLE application_documents;
    DROP TABLE applications;
    DROP TABLE customers;
    DROP TABLE agreements;
    DROP TABLE staff;
  `.execute(db);
}
