/**
 * Correctable RFI answers. A provider may refuse an answer delivered to it: the RFI becomes
 * `refused` and the answer keeps when and why (the provider's reason per item); the analyst
 * sends a corrected answer, a new version, and every version stays. Each item of an RFI may
 * name the format the provider documents for its value, checked before anything is sent.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE rfis DROP CONSTRAINT rfis_status_check;
    ALTER TABLE rfis ADD CONSTRAINT rfis_status_check CHECK (status IN ('open', 'answered', 'refused', 'closed'));

    -- e164_phone, future_date, alpha3_country…: the provider's documented format of a field item's value.
    ALTER TABLE rfi_items ADD COLUMN format text;

    -- 1 for an RFI's first answer, then one more for each correction.
    ALTER TABLE rfi_answers ADD COLUMN version integer;
    UPDATE rfi_answers a
       SET version = numbered.n
      FROM (SELECT id, row_number() OVER (PARTITION BY rfi_id ORDER BY answered_at, id) AS n FROM rfi_answers) numbered
     WHERE numbered.id = a.id;
    ALTER TABLE rfi_answers ALTER COLUMN version SET NOT NULL;
    ALTER TABLE rfi_answers ADD CONSTRAINT rfi_answers_version_key UNIQUE (rfi_id, version);

    -- The provider's refusal of the answer: { "message": "...", "fields": { "<item key>": ["..."] } }.
    ALTER TABLE rfi_answers ADD COLUMN refused_at timestamptz(3);
    ALTER TABLE rfi_answers ADD COLUMN refusal jsonb;
    ALTER TABLE rfi_answers ADD CONSTRAINT rfi_answers_refusal_check CHECK ((refused_at IS NULL) = (refusal IS NULL));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE rfi_answers DROP COLUMN refusal;
    ALTER TABLE rfi_answers DROP COLUMN refused_at;
    ALTER TABLE rfi_answers DROP COLUMN version;
    ALTER TABLE rfi_items DROP COLUMN format;
    UPDATE rfis SET status = 'answered' WHERE status = 'refused';
    ALTER TABLE rfis DROP CONSTRAINT rfis_status_check;
    ALTER TABLE rfis ADD CONSTRAINT rfis_status_check CHECK (status IN ('open', 'answered', 'closed'));
  `.execute(db);
}
