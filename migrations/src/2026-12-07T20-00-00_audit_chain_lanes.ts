/**
 * The audit chain in lanes. One chain under one lock made every audited commit of every desk
 * process wait for the one before it to be flushed (the lock is held to commit), so no two
 * audited transactions ever shared a WAL flush and the whole desk wrote at most one audited
 * transaction per flush. Now a row joins one of 16 lanes, each a hash chain of its own with its
 * own lock and head:
 *
 * - a transaction takes the first free lane, starting from one picked by its backend (only if
 *   every lane is busy does it wait, for that one), and keeps it for all its audit rows, so it
 *   holds one lane lock at most and two transactions never wait for each other's lanes;
 * - within a lane, ids are handed out under the lane's lock, so a lane's ids follow its commit
 *   order and each row links to the one before it in its lane (the first to the genesis hash);
 * - the digest is unchanged (a row's lane is not hashed: moving a row to another lane breaks the
 *   links of both lanes). Rows chained before this migration are lane 0, already one chain.
 *
 * Ids still order the trail, but across lanes they no longer follow commit order: a row with a
 * lower id may commit after one with a higher id. `audit_events_settled_id()` says up to which id
 * every row is settled (committed or never to be), for a reader that must not skip a row that
 * commits later (the live updates). Export runs record every lane's head instead of one.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE audit_events ADD COLUMN lane smallint NOT NULL DEFAULT 0 CHECK (lane BETWEEN 0 AND 15);
    CREATE INDEX audit_events_lane_idx ON audit_events (lane, id);

    CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      lanes constant int := 16;
      chosen int;
      start int;
      previous text;
    BEGIN
      -- The lane's head is read after taking its lock; only READ COMMITTED reads it as of now (a
      -- snapshot taken earlier could link to an old head and fork the lane).
      IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit events are written in READ COMMITTED transactions (this one is %)', current_setting('transaction_isolation');
      END IF;
      chosen := nullif(current_setting('desk.audit_lane', true), '')::int;
      IF chosen IS NULL THEN
        start := pg_backend_pid() % lanes;
        FOR step IN 0 .. lanes - 1 LOOP
          IF pg_try_advisory_xact_lock(7423001, (start + step) % lanes) THEN
            chosen := (start + step) % lanes;
            EXIT;
          END IF;
        END LOOP;
        IF chosen IS NULL THEN
          chosen := start;
          PERFORM pg_advisory_xact_lock(7423001, chosen);
        END IF;
        -- Kept for the rest of the transaction: its later rows join the same lane.
        PERFORM set_config('desk.audit_lane', chosen::text, true);
      END IF;
      SELECT hash INTO previous FROM audit_events WHERE lane = chosen ORDER BY id DESC LIMIT 1;
      NEW.lane := chosen;
      NEW.id := nextval('audit_events_id_seq');
      NEW.at := clock_timestamp();
      NEW.prev_hash := coalesce(previous, repeat('0', 64));
      NEW.hash := audit_event_digest(NEW.prev_hash, NEW.id, NEW.at, NEW.actor_id, NEW.actor, NEW.action,
        NEW.entity_type, NEW.entity_id, NEW.application_id, NEW.ip, NEW.data);
      RETURN NEW;
    END
    $$;

    -- Every id up to the one returned is settled: its row is visible now, or was rolled back.
    -- First, before reading any row: the lanes writers hold now, and the last id handed out (a
    -- writer that takes a lane later gets a higher id). Then, in a later snapshot, each held
    -- lane's newest visible row: its writer's id is above it. The lowest of these bounds them all.
    CREATE FUNCTION audit_events_settled_id() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      held int[];
      issued bigint;
      bound bigint;
    BEGIN
      SELECT coalesce(array_agg(objid::int), '{}') INTO held
      FROM pg_locks
      WHERE locktype = 'advisory' AND classid = 7423001 AND objsubid = 2 AND granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database());
      SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO issued FROM audit_events_id_seq;
      SELECT min(coalesce((SELECT max(e.id) FROM audit_events e WHERE e.lane = held_lane), 0)) INTO bound
      FROM unnest(held) AS held_lane;
      RETURN least(issued, coalesce(bound, issued));
    END
    $$;

    ALTER TABLE export_runs ADD COLUMN chain_heads jsonb;
    UPDATE export_runs
      SET chain_heads = CASE
        WHEN chain_head_id IS NULL THEN '[]'::jsonb
        ELSE jsonb_build_array(jsonb_build_object('lane', 0, 'id', chain_head_id::text, 'hash', chain_head_hash))
      END;
    ALTER TABLE export_runs ALTER COLUMN chain_heads SET NOT NULL;
    ALTER TABLE export_runs DROP COLUMN chain_head_id;
    ALTER TABLE export_runs DROP COLUMN chain_head_hash;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE export_runs ADD COLUMN chain_head_id bigint;
    ALTER TABLE export_runs ADD COLUMN chain_head_hash text;
    ALTER TABLE export_runs DROP COLUMN chain_heads;
    DROP FUNCTION audit_events_settled_id();
    CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      previous text;
    BEGIN
      IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit events are written in READ COMMITTED transactions (this one is %)', current_setting('transaction_isolation');
      END IF;
      PERFORM pg_advisory_xact_lock(7423001);
      SELECT hash INTO previous FROM audit_events ORDER BY id DESC LIMIT 1;
      NEW.id := nextval('audit_events_id_seq');
      NEW.at := clock_timestamp();
      NEW.prev_hash := coalesce(previous, repeat('0', 64));
      NEW.hash := audit_event_digest(NEW.prev_hash, NEW.id, NEW.at, NEW.actor_id, NEW.actor, NEW.action,
        NEW.entity_type, NEW.entity_id, NEW.application_id, NEW.ip, NEW.data);
      RETURN NEW;
    END
    $$;
    DROP INDEX audit_events_lane_idx;
    ALTER TABLE audit_events DROP COLUMN lane;
  `.execute(db);
}
