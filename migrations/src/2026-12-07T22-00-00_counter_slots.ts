/**
 * The statistics counters in slots. Each counter row was one row per key (e.g. "status changes
 * today that reached manual review"), so every change with the same key updated the same row and
 * held its lock until its commit was flushed: concurrent webhook applies and decisions went one
 * flush after another on that row. Each counter now has 16 slots per key; a transaction adds to
 * the slot of its backend (`pg_backend_pid() % 16`), so concurrent writers mostly touch different
 * rows, and a count is the sum of its slots (every reader sums, grouped by the key). The slot
 * ends each primary key, so the keys' ranges (an hour, a day) are read through it as before.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

const key =
  'provider, stage, provider_status, flag_id_verification, flag_identification_number_verification, flag_address_verification';

/**
 * The trigger functions, writing to the backend's slot (`slotted`) or, for `down`, to one row
 * per key as before.
 */
function counterFunctions(slotted: boolean): string {
  const slot = slotted ? 'slot, ' : '';
  const slotValue = slotted ? 'pg_backend_pid() % 16, ' : '';
  const applyDeltas = (source: string) => `
    INSERT INTO application_counts AS c (${slot}${key}, assigned, n)
      SELECT ${slotValue}${key}, assigned, sum(d) FROM (${source}) s
      GROUP BY ${key}, assigned HAVING sum(d) <> 0 ORDER BY ${key}, assigned
    ON CONFLICT (${slot}${key}, assigned) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO application_hourly_counts AS c (${slot}created_hour, ${key}, assigned, n)
      SELECT ${slotValue}created_hour, ${key}, assigned, sum(d) FROM (${source}) s
      GROUP BY created_hour, ${key}, assigned HAVING sum(d) <> 0 ORDER BY created_hour, ${key}, assigned
    ON CONFLICT (${slot}created_hour, ${key}, assigned) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO application_stage_entry_counts AS c (${slot}stage, entered_hour, n)
      SELECT ${slotValue}stage, entered_hour, sum(d) FROM (${source}) s
      GROUP BY stage, entered_hour HAVING sum(d) <> 0 ORDER BY stage, entered_hour
    ON CONFLICT (${slot}stage, entered_hour) DO UPDATE SET n = c.n + excluded.n;
  `;
  return `
    CREATE OR REPLACE FUNCTION application_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${applyDeltas(rowsOf('new_applications', 1))} RETURN NULL; END $$;
    CREATE OR REPLACE FUNCTION application_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${applyDeltas(rowsOf('old_applications', -1))} RETURN NULL; END $$;
    CREATE OR REPLACE FUNCTION application_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${applyDeltas(`${rowsOf('new_applications', 1)} UNION ALL ${rowsOf('old_applications', -1)}`)} RETURN NULL; END $$;
    CREATE OR REPLACE FUNCTION status_change_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO status_change_daily_counts AS c (${slot}day, to_stage, n)
        SELECT ${slotValue}(at AT TIME ZONE 'UTC')::date AS day, to_stage, count(*) FROM new_changes
        GROUP BY day, to_stage ORDER BY day, to_stage
      ON CONFLICT (${slot}day, to_stage) DO UPDATE SET n = c.n + excluded.n;
      RETURN NULL;
    END $$;
  `;
}

function rowsOf(table: string, d: 1 | -1): string {
  return `SELECT ${key}, assignee_id IS NOT NULL AS assigned,
      date_trunc('hour', created_at AT TIME ZONE 'UTC') AS created_hour,
      date_trunc('hour', stage_entered_at AT TIME ZONE 'UTC') AS entered_hour, ${d} AS d
    FROM ${table}`;
}

const tables = [
  ['application_counts', `${key}, assigned`],
  ['application_hourly_counts', `created_hour, ${key}, assigned`],
  ['application_stage_entry_counts', 'stage, entered_hour'],
  ['status_change_daily_counts', 'day, to_stage'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const slotted = tables
    .map(
      ([table, columns]) => `
    ALTER TABLE ${table} ADD COLUMN slot smallint NOT NULL DEFAULT 0;
    ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey;
    ALTER TABLE ${table} ADD PRIMARY KEY (${columns}, slot);`,
    )
    .join('\n');
  await sql
    .raw(`${slotted}
${counterFunctions(true)}`)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const unslotted = tables
    .map(
      ([table, columns]) => `
    CREATE TABLE ${table}_merged AS SELECT ${columns}, sum(n)::bigint AS n FROM ${table} GROUP BY ${columns};
    DELETE FROM ${table};
    ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey;
    ALTER TABLE ${table} DROP COLUMN slot;
    INSERT INTO ${table} (${columns}, n) SELECT ${columns}, n FROM ${table}_merged;
    DROP TABLE ${table}_merged;
    ALTER TABLE ${table} ADD PRIMARY KEY (${columns});`,
    )
    .join('\n');
  await sql
    .raw(`${unslotted}
${counterFunctions(false)}`)
    .execute(db);
}
