/**
 * Lookup and "next case" at a million customers.
 *
 * - "Next case" takes the oldest workable case nobody holds: a partial index holding exactly
 *   those cases, oldest first, makes that pick the index's first live entry (the stage list is
 *   `workableStages` of shared/src/workflow.ts; a change there needs a new index).
 * - Misspelt names: trigram search runs over the distinct first and last names (a vocabulary far
 *   smaller than the customers, kept by statement triggers on customers), and the customers are
 *   then found by exact name through the btree indexes. It replaces the trigram index over every
 *   customer's full name, whose nearest-first walk visits thousands of entries at this size.
 *
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX applications_next_case_idx ON applications (created_at, id)
      WHERE assignee_id IS NULL AND stage IN ('intake', 'needs_documents', 'ready_to_reapply', 'manual_review', 'rfi');

    CREATE TABLE customer_name_parts (
      part text NOT NULL CHECK (part IN ('first', 'last')),
      name text NOT NULL,
      PRIMARY KEY (part, name)
    );
    INSERT INTO customer_name_parts (part, name)
      SELECT 'first', lower(first_name) FROM customers
      UNION
      SELECT 'last', lower(last_name) FROM customers;
    CREATE INDEX customer_first_names_trgm_idx ON customer_name_parts USING gist (name gist_trgm_ops) WHERE part = 'first';
    CREATE INDEX customer_last_names_trgm_idx ON customer_name_parts USING gist (name gist_trgm_ops) WHERE part = 'last';

    -- Names are only ever added: a name no customer bears any more finds nobody.
    CREATE FUNCTION customer_name_parts_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO customer_name_parts (part, name)
        SELECT part, name FROM (
          SELECT 'first' AS part, lower(first_name) AS name FROM changed_customers
          UNION
          SELECT 'last', lower(last_name) FROM changed_customers
        ) names
        ORDER BY part, name
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END
    $$;
    CREATE TRIGGER customers_name_parts_insert AFTER INSERT ON customers
      REFERENCING NEW TABLE AS changed_customers
      FOR EACH STATEMENT EXECUTE FUNCTION customer_name_parts_add();
    CREATE TRIGGER customers_name_parts_update AFTER UPDATE ON customers
      REFERENCING NEW TABLE AS changed_customers
      FOR EACH STATEMENT EXECUTE FUNCTION customer_name_parts_add();

    DROP INDEX customers_full_name_trgm_idx;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX customers_full_name_trgm_idx ON customers
      USING gist ((lower(first_name || ' ' || last_name)) gist_trgm_ops);
    DROP TRIGGER customers_name_parts_update ON customers;
    DROP TRIGGER customers_name_parts_insert ON customers;
    DROP FUNCTION customer_name_parts_add();
    DROP TABLE customer_name_parts;
    DROP INDEX applications_next_case_idx;
  `.execute(db);
}
