/**
 * The counters' update trigger returns at once when the update changed nothing it counts by.
 * Most updates of a case change no counter (the provider asked and nothing moved, a note's
 * version bump), yet the trigger ran its three grouped upserts over the old and new rows after
 * each of them, about as much work as the update itself. It now first compares each updated row
 * with what it was, by id, on the columns the counters read (the key, the holder, the creation
 * and stage-entry times), and writes only when one differs or a row has no partner.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

const key =
  'provider, stage, provider_status, flag_id_verification, flag_identification_number_verification, flag_address_verification';

/** The columns the counters are computed from (see `rowsOf`). */
const countedColumns = [...key.split(', '), 'assignee_id IS NULL', 'created_at', 'stage_entered_at'];

function rowsOf(table: string, d: 1 | -1): string {
  return `SELECT ${key}, assignee_id IS NOT NULL AS assigned,
      date_trunc('hour', created_at AT TIME ZONE 'UTC') AS created_hour,
      date_trunc('hour', stage_entered_at AT TIME ZONE 'UTC') AS entered_hour, ${d} AS d
    FROM ${table}`;
}

/** The update trigger's function as the counter slots made it, with `guard` first. */
function updateFunction(guard: string): string {
  const source = `${rowsOf('new_applications', 1)} UNION ALL ${rowsOf('old_applications', -1)}`;
  return `
    CREATE OR REPLACE FUNCTION application_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN ${guard}
    INSERT INTO application_counts AS c (slot, ${key}, assigned, n)
      SELECT pg_backend_pid() % 16, ${key}, assigned, sum(d) FROM (${source}) s
      GROUP BY ${key}, assigned HAVING sum(d) <> 0 ORDER BY ${key}, assigned
    ON CONFLICT (slot, ${key}, assigned) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO application_hourly_counts AS c (slot, created_hour, ${key}, assigned, n)
      SELECT pg_backend_pid() % 16, created_hour, ${key}, assigned, sum(d) FROM (${source}) s
      GROUP BY created_hour, ${key}, assigned HAVING sum(d) <> 0 ORDER BY created_hour, ${key}, assigned
    ON CONFLICT (slot, created_hour, ${key}, assigned) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO application_stage_entry_counts AS c (slot, stage, entered_hour, n)
      SELECT pg_backend_pid() % 16, stage, entered_hour, sum(d) FROM (${source}) s
      GROUP BY stage, entered_hour HAVING sum(d) <> 0 ORDER BY stage, entered_hour
    ON CONFLICT (slot, stage, entered_hour) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL; END $$;`;
}

const of = (alias: string) => countedColumns.map((c) => `${alias}.${c}`).join(', ');

const guard = `
    IF NOT EXISTS (
      SELECT 1 FROM new_applications n FULL JOIN old_applications o ON o.id = n.id
      WHERE n.id IS NULL OR o.id IS NULL OR (${of('n')}) IS DISTINCT FROM (${of('o')})
    ) THEN RETURN NULL; END IF;`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(updateFunction(guard)).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(updateFunction('')).execute(db);
}
