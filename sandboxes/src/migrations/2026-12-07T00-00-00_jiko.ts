/**
 * The built-in Jiko sandbox keeps all of its state in the `sandbox` schema, apart from the
 * desk's own tables, so it survives a restart and several processes can share it: agreement
 * versions, bearer tokens, applications and their documents, idempotency records and the
 * webhook outbox with its delivery attempts. Run only where the sandboxes are mounted, after
 * the desk's own migrations. Frozen in time: takes Kysely<any>, imports nothing from the app.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE SCHEMA IF NOT EXISTS sandbox;

    CREATE TABLE sandbox.jiko_agreements (
      version text PRIMARY KEY,
      release_date date NOT NULL,
      -- [{ "title": string, "url": string }]
      documents jsonb NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    INSERT INTO sandbox.jiko_agreements (version, release_date, documents) VALUES
      ('1', '2023-01-01', '[{"title": "Account Agreement", "url": "https://sandbox.jiko.example/agreements/v1/account.pdf"}, {"title": "Privacy Notice", "url": "https://sandbox.jiko.example/agreements/v1/privacy.pdf"}]'),
      ('2', '2024-03-01', '[{"title": "Account Agreement", "url": "https://sandbox.jiko.example/agreements/v2/account.pdf"}, {"title": "Privacy Notice", "url": "https://sandbox.jiko.example/agreements/v2/privacy.pdf"}]'),
      ('3', '2025-02-01', '[{"title": "Account Agreement", "url": "https://sandbox.jiko.example/agreements/v3/account.pdf"}, {"title": "Privacy Notice", "url": "https://sandbox.jiko.example/agreements/v3/privacy.pdf"}]'),
      ('4', '2025-09-15', '[{"title": "Account Agreement", "url": "https://sandbox.jiko.example/agreements/v4/account.pdf"}, {"title": "Privacy Notice", "url": "https://sandbox.jiko.example/agreements/v4/privacy.pdf"}]'),
      ('5', '2026-06-01', '[{"title": "Account Agreement", "url": "https://sandbox.jiko.example/agreements/v5/account.pdf"}, {"title": "Privacy Notice", "url": "https://sandbox.jiko.example/agreements/v5/privacy.pdf"}, {"title": "Electronic Communications Consent", "url": "https://sandbox.jiko.example/agreements/v5/e-sign.pdf"}]');

    -- Only a SHA-256 of each bearer token is kept: a leaked table holds no usable token.
    CREATE TABLE sandbox.jiko_tokens (
      token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
      username text NOT NULL,
      expires_at timestamptz(3) NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX jiko_tokens_expires_idx ON sandbox.jiko_tokens (expires_at);

    CREATE TABLE sandbox.jiko_applications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      status text NOT NULL CHECK (status IN ('CREATED', 'SUBMITTED', 'DOCUMENTS_NEEDED', 'PENDING',
        'MANUAL_REVIEW', 'APPROVED', 'REJECTED')),
      -- The sandbox table reads its leading digits; the API only ever shows the last four.
      identification_number text NOT NULL CHECK (identification_number ~ '^[0-9]{9}$'),
      first_name text NOT NULL,
      last_name text NOT NULL,
      email text NOT NULL,
      phone_number text NOT NULL,
      date_of_birth date NOT NULL,
      -- { street_address, city, postal_code, state, country }
      address jsonb NOT NULL,
      -- { income, net_worth, occupation, employment_status }
      investment_profile jsonb NOT NULL,
      agreement_version text NOT NULL REFERENCES sandbox.jiko_agreements (version),
      agreement_consented_at timestamptz(3) NOT NULL,
      -- Set once, when the application is approved.
      customer_id uuid UNIQUE,
      flag_id_verification boolean NOT NULL DEFAULT false,
      flag_identification_number_verification boolean NOT NULL DEFAULT false,
      flag_address_verification boolean NOT NULL DEFAULT false,
      -- Incremented each time documents are requested; only uploads of the current round
      -- clear the flags it raised.
      documents_round integer NOT NULL DEFAULT 0,
      -- While SUBMITTED: the status Apply was called from (it picks the sandbox rule) and
      -- when the decision is due. Both null otherwise.
      submitted_from text CHECK (submitted_from IN ('CREATED', 'PENDING')),
      decision_due_at timestamptz(3),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      CHECK ((status = 'SUBMITTED') = (submitted_from IS NOT NULL AND decision_due_at IS NOT NULL)),
      CHECK ((status = 'APPROVED') = (customer_id IS NOT NULL))
    );
    -- The background loop's look-up of decisions that are due.
    CREATE INDEX jiko_applications_due_idx ON sandbox.jiko_applications (decision_due_at)
      WHERE status = 'SUBMITTED';

    -- The file itself is not kept ("cannot be retrieved after upload"): size and digest only.
    CREATE TABLE sandbox.jiko_documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES sandbox.jiko_applications (id),
      document_type text NOT NULL CHECK (document_type IN ('ID_FRONT', 'ID_BACK', 'SELFIE', 'PASSPORT',
        'IDENTIFICATION_NUMBER_VERIFICATION', 'ADDRESS_VERIFICATION', 'OTHER')),
      status text NOT NULL CHECK (status IN ('PENDING_UPLOAD', 'UPLOADED', 'ACCEPTED', 'REJECTED')),
      -- The application's documents_round when requested or uploaded.
      round integer NOT NULL,
      content_type text,
      size_bytes integer CHECK (size_bytes >= 0),
      sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      CHECK ((status = 'PENDING_UPLOAD') = (uploaded_at IS NULL))
    );
    CREATE INDEX jiko_documents_application_idx ON sandbox.jiko_documents (application_id, created_at, id);

    -- One row per x-jiko-idempotency key, inserted before the work it guards, in the same
    -- transaction, so a concurrent duplicate waits on the key and then replays the answer.
    CREATE TABLE sandbox.jiko_idempotency_keys (
      key text PRIMARY KEY,
      method text NOT NULL,
      path text NOT NULL,
      -- SHA-256 of method, path and body: the same key with another request is a conflict.
      request_sha256 text NOT NULL,
      -- The answer, written by the transaction that claimed the key before it commits; other
      -- transactions never see these null.
      response_status integer,
      -- The exact JSON text first answered, replayed byte for byte.
      response_body text,
      CHECK ((response_status IS NULL) = (response_body IS NULL)),
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX jiko_idempotency_keys_created_idx ON sandbox.jiko_idempotency_keys (created_at);

    CREATE TABLE sandbox.jiko_webhook_events (
      id uuid PRIMARY KEY,
      type text NOT NULL,
      application_id uuid NOT NULL REFERENCES sandbox.jiko_applications (id),
      -- The exact JSON text delivered (and signed) on every attempt.
      body text NOT NULL,
      -- pending: waiting for (re)delivery; delivered: a 2xx came back; failed: gave up;
      -- skipped: no webhook URL was configured when the event was raised.
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
      attempts integer NOT NULL DEFAULT 0,
      -- When pending: the next attempt. A claimed event is pushed out by a lease so that no
      -- other process delivers it at the same time.
      next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
      delivered_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX jiko_webhook_events_due_idx ON sandbox.jiko_webhook_events (next_attempt_at)
      WHERE status = 'pending';
    CREATE INDEX jiko_webhook_events_application_idx
      ON sandbox.jiko_webhook_events (application_id, created_at);

    CREATE TABLE sandbox.jiko_webhook_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      event_id uuid NOT NULL REFERENCES sandbox.jiko_webhook_events (id),
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
    DROP TABLE sandbox.jiko_webhook_attempts;
    DROP TABLE sandbox.jiko_webhook_events;
    DROP TABLE sandbox.jiko_idempotency_keys;
    DROP TABLE sandbox.jiko_documents;
    DROP TABLE sandbox.jiko_applications;
    DROP TABLE sandbox.jiko_tokens;
    DROP TABLE sandbox.jiko_agreements;
  `.execute(db);
}
