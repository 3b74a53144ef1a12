/**
 * What the desk needs to work with more than one provider: document details some providers
 * require (number, issuing country, expiry), what a provider asks for in its own words, RFI
 * answers delivered as provider actions, and the key that signs the file URLs a provider may
 * fetch documents from. Frozen in time: Kysely<any>, no app imports.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    -- { number?, issuingCountry?, expiresOn? } as given with the upload.
    ALTER TABLE application_documents ADD COLUMN details jsonb NOT NULL DEFAULT '{}'::jsonb;

    -- What the provider asks for before it can go on (required actions, missing data), in its
    -- words, as of its last answer.
    ALTER TABLE applications ADD COLUMN provider_requirements jsonb NOT NULL DEFAULT '[]'::jsonb;

    ALTER TABLE provider_actions DROP CONSTRAINT provider_actions_kind_check;
    ALTER TABLE provider_actions ADD CONSTRAINT provider_actions_kind_check
      CHECK (kind IN ('upload_document', 'reapply', 'refresh', 'answer_rfi'));
    -- For answer_rfi: the answer being delivered.
    ALTER TABLE provider_actions ADD COLUMN rfi_answer_id uuid REFERENCES rfi_answers (id);
    ALTER TABLE provider_actions ADD CONSTRAINT provider_actions_answer_check
      CHECK ((kind = 'answer_rfi') = (rfi_answer_id IS NOT NULL));

    -- Secrets the desk generates for itself (shared by every process on the database).
    CREATE TABLE desk_secrets (
      name text PRIMARY KEY,
      value text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
  `.execute(db);
  await db
    .insertInto('desk_secrets')
    .values({ name: 'file_url_signing_key', value: randomBytes(32).toString('base64url') })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE desk_secrets;
    ALTER TABLE provider_actions DROP CONSTRAINT provider_actions_answer_check;
    ALTER TABLE provider_actions DROP COLUMN rfi_answer_id;
    ALTER TABLE provider_actions DROP CONSTRAINT provider_actions_kind_check;
    ALTER TABLE provider_actions ADD CONSTRAINT provider_actions_kind_check
      CHECK (kind IN ('upload_document', 'reapply', 'refresh'));
    ALTER TABLE applications DROP COLUMN provider_requirements;
    ALTER TABLE application_documents DROP COLUMN details;
  `.execute(db);
}
