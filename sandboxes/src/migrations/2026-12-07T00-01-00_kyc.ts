/**
 * The built-in generic KYC provider sandbox keeps all of its state in the `sandbox` schema,
 * apart from the desk's own tables, so it survives a restart and several processes can share
 * it: customers with their KYC data and review state, and the webhook outbox with its
 * delivery attempts. Frozen in time: takes Kysely<any>, imports nothing from the app.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE sandbox.kyc_customers (
      -- 'customer_' and 24 hex digits, as the guide's 'customer_abc123def456'.
      id text PRIMARY KEY CHECK (id ~ '^customer_[0-9a-f]{24}$'),
      type text NOT NULL CHECK (type = 'INDIVIDUAL'),
      status text NOT NULL CHECK (status IN ('CREATED', 'UNDER_REVIEW', 'ACTIVE',
        'NEEDS_ADDITIONAL_INFORMATION', 'REJECTED')),
      -- Lower-cased; the sandbox test addresses pick the review outcome.
      email text NOT NULL,
      first_name text NOT NULL,
      last_name text NOT NULL,
      -- The KYC data as merged from every accepted PATCH, in the API's camelCase shape.
      kyc_data jsonb NOT NULL DEFAULT '{}',
      -- While NEEDS_ADDITIONAL_INFORMATION: what the review asked for ([] otherwise).
      -- required_fields: ["address.city", ...]; required_documents: [{ category,
      -- acceptedTypes, reason }].
      required_fields jsonb NOT NULL DEFAULT '[]',
      required_documents jsonb NOT NULL DEFAULT '[]',
      -- While REJECTED: why.
      rejection_reason text,
      -- How many requests for information the customer has had; the 'rfi' test address
      -- raises one on its first review only.
      rfi_count integer NOT NULL DEFAULT 0,
      -- Incremented on every submission; a review claimed for one submission never decides
      -- a later one.
      review_round integer NOT NULL DEFAULT 0,
      -- While UNDER_REVIEW: when the review is due (a claimed review is pushed out by a
      -- lease so that no other process reviews it at the same time).
      review_due_at timestamptz(3),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      CHECK ((status = 'UNDER_REVIEW') = (review_due_at IS NOT NULL)),
      CHECK ((status = 'REJECTED') = (rejection_reason IS NOT NULL))
    );
    -- The background loop's look-up of reviews that are due.
    CREATE INDEX kyc_customers_review_due_idx ON sandbox.kyc_customers (review_due_at)
      WHERE status = 'UNDER_REVIEW';

    CREATE TABLE sandbox.kyc_webhook_events (
      id uuid PRIMARY KEY,
      type text NOT NULL CHECK (type = 'customer.state_changed'),
      customer_id text NOT NULL REFERENCES sandbox.kyc_customers (id),
      -- The exact JSON text delivered (and signed) on every attempt.
      body text NOT NULL,
      -- pending: waiting for (re)delivery; delivered: a 2xx came back; failed: gave up;
      -- skipped: no webhook URL was configured when the event was raised.
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
      attempts integer NOT NULL DEFAULT 0,
      -- When pending: the next attempt. A claimed event is pushed out by a lease.
      next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
      delivered_at timestamptz(3),
      -- Orders a customer's events as they were raised (created_at may tie).
      sequence bigserial NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX kyc_webhook_events_due_idx ON sandbox.kyc_webhook_events (next_attempt_at)
      WHERE status = 'pending';
    CREATE INDEX kyc_webhook_events_customer_idx ON sandbox.kyc_webhook_events (customer_id, sequence);

    CREATE TABLE sandbox.kyc_webhook_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      event_id uuid NOT NULL REFERENCES sandbox.kyc_webhook_events (id),
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
    DROP TABLE sandbox.kyc_webhook_attempts;
    DROP TABLE sandbox.kyc_webhook_events;
    DROP TABLE sandbox.kyc_customers;
  `.execute(db);
}
