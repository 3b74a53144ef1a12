/**
 * The analyst's workflow and the support lookup: when a case entered its stage (service
 * levels run from there), when it was claimed, the provider account's status where known,
 * notes, saved filters per person, and the indexes customer lookup needs (trigram names,
 * phone digits, provider ids). Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    ALTER TABLE applications ADD COLUMN stage_entered_at timestamptz(3);
    UPDATE applications a SET stage_entered_at = coalesce(
      (SELECT max(h.at) FROM status_history h WHERE h.application_id = a.id AND h.to_stage = a.stage),
      a.created_at
    );
    ALTER TABLE applications ALTER COLUMN stage_entered_at SET DEFAULT now();
    ALTER TABLE applications ALTER COLUMN stage_entered_at SET NOT NULL;
    ALTER TABLE applications ADD COLUMN claimed_at timestamptz(3);
    ALTER TABLE applications ADD COLUMN account_status text
      CHECK (account_status IN ('OPEN', 'CLOSED', 'FROZEN', 'PENDING'));
    -- Service levels: open cases by stage and how long they have been in it.
    CREATE INDEX applications_stage_entered_idx ON applications (stage, stage_entered_at)
      WHERE stage NOT IN ('approved', 'rejected');

    CREATE TABLE application_notes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      author_id uuid NOT NULL REFERENCES staff (id),
      body text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX application_notes_application_idx ON application_notes (application_id, created_at);
    CREATE TRIGGER application_notes_append_only BEFORE UPDATE OR DELETE ON application_notes
      FOR EACH ROW EXECUTE FUNCTION refuse_change();

    CREATE TABLE saved_filters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      staff_id uuid NOT NULL REFERENCES staff (id),
      name text NOT NULL,
      query text NOT NULL,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      UNIQUE (staff_id, name)
    );

    -- Customer lookup.
    -- GiST (not GIN): it orders by trigram distance, so "the 50 most similar names" walks the
    -- index nearest-first instead of collecting and sorting every loose match.
    CREATE INDEX customers_full_name_trgm_idx ON customers
      USING gist ((lower(first_name || ' ' || last_name)) gist_trgm_ops);
    CREATE INDEX customers_full_name_prefix_idx ON customers ((lower(first_name || ' ' || last_name)) text_pattern_ops);
    CREATE INDEX customers_phone_digits_idx ON customers ((regexp_replace(phone, '[^0-9]', '', 'g')));
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX customers_phone_digits_idx;
    DROP INDEX customers_full_name_prefix_idx;
    DROP INDEX customers_full_name_trgm_idx;
    DROP TABLE saved_filters;
    DROP TABLE application_notes;
    DROP INDEX applications_stage_entered_idx;
    ALTER TABLE applications DROP COLUMN account_status;
    ALTER TABLE applications DROP COLUMN claimed_at;
    ALTER TABLE applications DROP COLUMN stage_entered_at;
  `.execute(db);
}
