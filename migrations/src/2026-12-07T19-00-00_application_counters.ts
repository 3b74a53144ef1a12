/**
 * Counters for the statistics (the dashboard, the counts above the queue), so that they read a
 * few thousand counter rows instead of grouping every application:
 *
 * - `application_counts`: applications per provider, stage, provider status, raised flags and
 *   whether someone holds the case;
 * - `application_hourly_counts`: the same per hour of creation (UTC), for the aging buckets and
 *   the cases created per day;
 * - `application_stage_entry_counts`: applications per stage and hour they entered it (UTC),
 *   for the stages' service levels;
 * - `status_change_daily_counts`: status-history rows per day (UTC) and stage reached, for the
 *   cases decided per day.
 *
 * Statement-level triggers keep them in the same transaction as the write, from its transition
 * tables: one grouped upsert per counter table and statement, in key order, rows whose count
 * does not change untouched. A count may reach 0; its row stays. Frozen in time: Kysely<any>,
 * no app imports.
 */
import { type Kysely, sql } from 'kysely';

const key =
  'provider, stage, provider_status, flag_id_verification, flag_identification_number_verification, flag_address_verification';

/** The body of a trigger function applying `source` (rows of an application's columns and `d`, +1 or -1). */
function applyDeltas(source: string): string {
  return `
    INSERT INTO application_counts AS c (${key}, assigned, n)
      SELECT ${key}, assigned, sum(d) FROM (${source}) s
      GROUP BY ${key}, assigned HAVING sum(d) <> 0 ORDER BY ${key}, assigned
    ON CONFLICT (${key}, assigned) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO application_hourly_counts AS c (created_hour, ${key}, assigned, n)
      SELECT created_hour, ${key}, assigned, sum(d) FROM (${source}) s
      GROUP BY created_hour, ${key}, assigned HAVING sum(d) <> 0 ORDER BY created_hour, ${key}, assigned
    ON CONFLICT (created_hour, ${key}, assigned) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO application_stage_entry_counts AS c (stage, entered_hour, n)
      SELECT stage, entered_hour, sum(d) FROM (${source}) s
      GROUP BY stage, entered_hour HAVING sum(d) <> 0 ORDER BY stage, entered_hour
    ON CONFLICT (stage, entered_hour) DO UPDATE SET n = c.n + excluded.n;
  `;
}

function rowsOf(table: string, d: 1 | -1): string {
  return `SELECT ${key}, assignee_id IS NOT NULL AS assigned,
      date_trunc('hour', created_at AT TIME ZONE 'UTC') AS created_hour,
      date_trunc('hour', stage_entered_at AT TIME ZONE 'UTC') AS entered_hour, ${d} AS d
    FROM ${table}`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(`
    CREATE TABLE application_counts (
      provider text NOT NULL,
      stage text NOT NULL,
      provider_status text NOT NULL,
      flag_id_verification boolean NOT NULL,
      flag_identification_number_verification boolean NOT NULL,
      flag_address_verification boolean NOT NULL,
      assigned boolean NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (${key}, assigned)
    );
    CREATE TABLE application_hourly_counts (
      created_hour timestamp NOT NULL,
      provider text NOT NULL,
      stage text NOT NULL,
      provider_status text NOT NULL,
      flag_id_verification boolean NOT NULL,
      flag_identification_number_verification boolean NOT NULL,
      flag_address_verification boolean NOT NULL,
      assigned boolean NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (created_hour, ${key}, assigned)
    );
    CREATE TABLE application_stage_entry_counts (
      stage text NOT NULL,
      entered_hour timestamp NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (stage, entered_hour)
    );
    CREATE TABLE status_change_daily_counts (
      day date NOT NULL,
      to_stage text NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (day, to_stage)
    );

    CREATE FUNCTION application_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${applyDeltas(rowsOf('new_applications', 1))} RETURN NULL; END $$;
    CREATE FUNCTION application_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${applyDeltas(rowsOf('old_applications', -1))} RETURN NULL; END $$;
    CREATE FUNCTION application_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${applyDeltas(`${rowsOf('new_applications', 1)} UNION ALL ${rowsOf('old_applications', -1)}`)} RETURN NULL; END $$;
    CREATE TRIGGER application_counts_insert AFTER INSERT ON applications
      REFERENCING NEW TABLE AS new_applications
      FOR EACH STATEMENT EXECUTE FUNCTION application_counts_insert();
    CREATE TRIGGER application_counts_delete AFTER DELETE ON applications
      REFERENCING OLD TABLE AS old_applications
      FOR EACH STATEMENT EXECUTE FUNCTION application_counts_delete();
    CREATE TRIGGER application_counts_update AFTER UPDATE ON applications
      REFERENCING NEW TABLE AS new_applications OLD TABLE AS old_applications
      FOR EACH STATEMENT EXECUTE FUNCTION application_counts_update();

    CREATE FUNCTION status_change_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO status_change_daily_counts AS c (day, to_stage, n)
        SELECT (at AT TIME ZONE 'UTC')::date, to_stage, count(*) FROM new_changes
        GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (day, to_stage) DO UPDATE SET n = c.n + excluded.n;
      RETURN NULL;
    END $$;
    CREATE TRIGGER status_change_counts_insert AFTER INSERT ON status_history
      REFERENCING NEW TABLE AS new_changes
      FOR EACH STATEMENT EXECUTE FUNCTION status_change_counts_insert();

    INSERT INTO application_hourly_counts (created_hour, ${key}, assigned, n)
      SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC'), ${key}, assignee_id IS NOT NULL, count(*)
      FROM applications GROUP BY 1, ${key}, assignee_id IS NOT NULL;
    INSERT INTO application_counts (${key}, assigned, n)
      SELECT ${key}, assigned, sum(n) FROM application_hourly_counts GROUP BY ${key}, assigned;
    INSERT INTO application_stage_entry_counts (stage, entered_hour, n)
      SELECT stage, date_trunc('hour', stage_entered_at AT TIME ZONE 'UTC'), count(*) FROM applications GROUP BY 1, 2;
    INSERT INTO status_change_daily_counts (day, to_stage, n)
      SELECT (at AT TIME ZONE 'UTC')::date, to_stage, count(*) FROM status_history GROUP BY 1, 2;
  `)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER status_change_counts_insert ON status_history;
    DROP FUNCTION status_change_counts_insert();
    DROP TRIGGER application_counts_update ON applications;
    DROP TRIGGER application_counts_delete ON applications;
    DROP TRIGGER application_counts_insert ON applications;
    DROP FUNCTION application_counts_update();
    DROP FUNCTION application_counts_delete();
    DROP FUNCTION application_counts_insert();
    DROP TABLE status_change_daily_counts, application_stage_entry_counts, application_hourly_counts, application_counts;
  `.execute(db);
}
