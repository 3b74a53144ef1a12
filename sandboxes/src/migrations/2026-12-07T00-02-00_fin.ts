/**
 * The built-in Fin.com sandbox keeps all of its state in the `sandbox` schema, apart from the
 * desk's own tables, so it survives a restart and several processes can share it: individual
 * customers, the files uploaded for them, attach requests (queued, then processed), RFIs, and
 * the webhook outbox with its delivery attempts. Frozen in time: takes Kysely<any>, imports
 * nothing from the app.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE sandbox.fin_customers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      status text NOT NULL CHECK (status IN ('INCOMPLETE', 'REVIEWING', 'APPROVED', 'ACTION_REQUIRED',
        'ON_HOLD', 'REJECTED')),
      verification_type text NOT NULL CHECK (verification_type IN ('STANDARD', 'RELIANCE')),
      -- Copied out of basic_info: the outcome marker is read from the email's local part.
      email text NOT NULL,
      country_of_residence text NOT NULL CHECK (country_of_residence ~ '^[A-Z]{3}$'),
      -- The request's objects as validated: { first_name, ..., tax_info: [...] }, { street_line_1, ... },
      -- { employment_status, occupation_id, ... } and the free key-value meta_data (or null).
      basic_info jsonb NOT NULL,
      address jsonb NOT NULL,
      financial_profile jsonb NOT NULL,
      meta_data jsonb,
      -- The value carried by tos_policies_url; an attach that sends one must send this one.
      tos_policies_value uuid NOT NULL DEFAULT gen_random_uuid(),
      -- How many reviews were decided: the outcome markers act on the first review only.
      reviews_decided integer NOT NULL DEFAULT 0,
      -- While ACTION_REQUIRED: [{ category, document_types, reason }], else null.
      required_actions jsonb,
      rejection_reason text,
      -- While REVIEWING: when the outcome is due (by the database's clock).
      decision_due_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      CHECK ((status = 'REVIEWING') = (decision_due_at IS NOT NULL)),
      CHECK ((status = 'ACTION_REQUIRED') = (required_actions IS NOT NULL)),
      CHECK ((status = 'REJECTED') = (rejection_reason IS NOT NULL))
    );
    CREATE INDEX fin_customers_due_idx ON sandbox.fin_customers (decision_due_at)
      WHERE status = 'REVIEWING';

    -- The bytes are not kept: the URI handed out, who it belongs to, and what was received.
    CREATE TABLE sandbox.fin_files (
      uri text PRIMARY KEY,
      customer_id uuid NOT NULL REFERENCES sandbox.fin_customers (id),
      -- The multipart field name the file came in (file1, file2, ...).
      field_name text NOT NULL,
      original_name text NOT NULL,
      content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX fin_files_customer_idx ON sandbox.fin_files (customer_id, created_at);

    -- An accepted attach request: queued until the background loop processes it into REVIEWING.
    CREATE TABLE sandbox.fin_attachments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL REFERENCES sandbox.fin_customers (id),
      status text NOT NULL CHECK (status IN ('queued', 'processed')),
      -- { identifying_documents, address_documents } as validated.
      documents jsonb NOT NULL,
      process_due_at timestamptz(3) NOT NULL,
      processed_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      CHECK ((status = 'processed') = (processed_at IS NOT NULL))
    );
    -- "Only one attach request can be in flight per customer", whichever process took it.
    CREATE UNIQUE INDEX fin_attachments_in_flight_idx ON sandbox.fin_attachments (customer_id)
      WHERE status = 'queued';
    CREATE INDEX fin_attachments_due_idx ON sandbox.fin_attachments (process_due_at)
      WHERE status = 'queued';

    CREATE TABLE sandbox.fin_rfis (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      customer_id uuid NOT NULL REFERENCES sandbox.fin_customers (id),
      status text NOT NULL CHECK (status IN ('OPEN', 'ANSWERED')),
      -- [{ section, fields: [{ field, status, description }], documents: [{ document_type, status, description }] }]
      sections jsonb NOT NULL,
      -- The accepted answer, as sent: { fields: {...}, documents: [...] }.
      answer jsonb,
      answered_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      CHECK ((status = 'ANSWERED') = (answered_at IS NOT NULL AND answer IS NOT NULL))
    );
    CREATE UNIQUE INDEX fin_rfis_open_idx ON sandbox.fin_rfis (customer_id) WHERE status = 'OPEN';

    CREATE TABLE sandbox.fin_webhook_events (
      id uuid PRIMARY KEY,
      -- The order events were raised in; one customer's events are delivered in this order.
      seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      type text NOT NULL,
      customer_id uuid NOT NULL REFERENCES sandbox.fin_customers (id),
      -- The exact JSON text delivered (and signed) on every attempt.
      body text NOT NULL,
      -- pending: waiting for (re)delivery; delivered: a 2xx came back; failed: gave up;
      -- skipped: no webhook URL was configured when the event was raised.
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
      attempts integer NOT NULL DEFAULT 0,
      -- When pending: the next attempt; a claimed event is pushed out by a lease.
      next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
      delivered_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX fin_webhook_events_due_idx ON sandbox.fin_webhook_events (next_attempt_at)
      WHERE status = 'pending';
    CREATE INDEX fin_webhook_events_customer_idx ON sandbox.fin_webhook_events (customer_id, created_at);

    CREATE TABLE sandbox.fin_webhook_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      event_id uuid NOT NULL REFERENCES sandbox.fin_webhook_events (id),
      attempt integer NOT NULL,
      url text NOT NULL,
      -- Null when no HTTP answer came (refused, timed out).
      response_status integer,
      error text,
      duration_ms integer NOT NULL,
      attempted_at timestamptz(3) NOT NULL DEFAULT now(),
      UNIQUE (event_id, attempt)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE sandbox.fin_webhook_attempts;
    DROP TABLE sandbox.fin_webhook_events;
    DROP TABLE sandbox.fin_rfis;
    DROP TABLE sandbox.fin_attachments;
    DROP TABLE sandbox.fin_files;
    DROP TABLE sandbox.fin_customers;
  `.execute(db);
}
