/**
 * Webhooks whose signature holds but whose content the desk cannot take (not JSON, not an
 * event of that provider, text Postgres cannot store): kept byte for byte for inspection and
 * never applied. One row per provider and body, so a provider retrying the same body (as it
 * does after the 422) adds nothing.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE webhook_rejections (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      provider text NOT NULL CHECK (provider IN ('jiko', 'fin', 'kyc')),
      -- SHA-256 (hex) of the body: what makes a retry of the same body a no-op.
      body_sha256 text NOT NULL,
      -- A closed set, the label of desk_webhooks_rejected_total.
      reason text NOT NULL CHECK (reason IN ('not_json', 'too_deep', 'unsafe_text', 'not_an_event')),
      -- What is wrong, by field path of the body: { "data.application_id": ["…"] }.
      problems jsonb NOT NULL,
      -- The provider's event id and type where the body showed them as safe text.
      event_id text,
      event_type text,
      -- The exact bytes received (bytea: they need not be valid UTF-8 or JSON).
      body bytea NOT NULL,
      received_at timestamptz(3) NOT NULL DEFAULT now(),
      UNIQUE (provider, body_sha256)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE webhook_rejections`.execute(db);
}
