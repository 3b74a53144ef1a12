/**
 * Intakes: an application to create at a provider, recorded with its delivery job before any
 * call is made (the outbox's entry for creation, beside `provider_actions`, which act on an
 * application that exists). The key is the intake request's `Idempotency-Key` (or the intake's
 * own id): the same on every attempt, in every process. The provider's id for what it created is
 * written as soon as the provider names it, so a later attempt carries on with it instead of
 * creating another. Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE intakes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      provider text NOT NULL CHECK (provider IN ('jiko', 'fin', 'kyc')),
      idempotency_key text NOT NULL,
      -- SHA-256 of the request: the same key with another request is refused.
      request_sha256 text NOT NULL,
      -- What is sent to the provider (the identification number sealed apart); emptied once delivered.
      applicant jsonb,
      identification_number_sealed text,
      identification_number_key_id text,
      state text NOT NULL CHECK (state IN ('queued', 'sending', 'failed', 'done')),
      gave_up boolean NOT NULL DEFAULT false,
      -- Given up because the provider refused the application (not because it stayed unreachable).
      refused boolean NOT NULL DEFAULT false,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      -- While a delivery holds the intake, nobody else sends it; after this, a retry may take it over.
      lease_until timestamptz(3),
      -- The provider's id for what it created (Fin.com's and the generic provider's customer,
      -- Jiko's application), written as soon as the provider names it.
      provider_application_id text,
      application_id uuid UNIQUE REFERENCES applications (id),
      requested_by uuid REFERENCES staff (id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now(),
      completed_at timestamptz(3),
      UNIQUE (provider, idempotency_key)
    );
    CREATE INDEX intakes_open_idx ON intakes (state, updated_at) WHERE state <> 'done';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE intakes;`.execute(db);
}
