/**
 * Sign-in, a tamper-evident audit trail and protected identification numbers:
 * staff passwords and sessions, login attempts for throttling, the hash-chained
 * `audit_events` (append-only, enforced here), internal review outcomes, export runs with
 * their manifests, and encrypted identification numbers with a keyed hash of the last four.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE staff ADD COLUMN password_hash text;
    ALTER TABLE staff ADD COLUMN active boolean NOT NULL DEFAULT true;
    ALTER TABLE staff ADD COLUMN last_sign_in_at timestamptz(3);
    CREATE UNIQUE INDEX staff_email_lower_key ON staff (lower(email));

    -- The cookie carries a random token; only its SHA-256 is stored.
    CREATE TABLE staff_sessions (
      id text PRIMARY KEY,
      staff_id uuid NOT NULL REFERENCES staff (id),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
      expires_at timestamptz(3) NOT NULL,
      ended_at timestamptz(3),
      ip text,
      user_agent text
    );
    CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);

    CREATE TABLE login_attempts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      email text NOT NULL,
      ip text NOT NULL,
      succeeded boolean NOT NULL,
      at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX login_attempts_email_idx ON login_attempts (email, at);
    CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);

    -- The audit trail. Each row's hash covers the previous row's hash and its own content,
    -- so changing, removing or reordering any row breaks the chain from there on.
    CREATE TABLE audit_events (
      id bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_id uuid REFERENCES staff (id),
      actor text NOT NULL,
      action text NOT NULL,
      entity_type text NOT NULL,
      entity_id text,
      application_id uuid,
      ip text,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL
    );
    CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id;
    CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id);
    CREATE INDEX audit_events_application_idx ON audit_events (application_id, id) WHERE application_id IS NOT NULL;
    CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id);
    CREATE INDEX audit_events_actor_label_idx ON audit_events (actor, id);
    CREATE INDEX audit_events_entity_id_idx ON audit_events (entity_id, id);
    CREATE INDEX audit_events_action_idx ON audit_events (action, id);
    CREATE INDEX audit_events_at_idx ON audit_events (at);

    -- The exact bytes each hash covers. The verifier recomputes it with this same function.
    CREATE FUNCTION audit_event_digest(
      prev_hash text, id bigint, at timestamptz, actor_id uuid, actor text, action text,
      entity_type text, entity_id text, application_id uuid, ip text, data jsonb
    ) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT encode(sha256(convert_to(concat_ws(E'\\x1f',
        prev_hash,
        id::text,
        (extract(epoch FROM at) * 1000000)::bigint::text,
        coalesce(actor_id::text, ''),
        actor,
        action,
        entity_type,
        coalesce(entity_id, ''),
        coalesce(application_id::text, ''),
        coalesce(ip, ''),
        data::text
      ), 'UTF8')), 'hex')
    $$;

    -- Chaining happens in the database, under a lock held to commit, so the order of ids is
    -- the order of the chain whatever the writer.
    CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      previous text;
    BEGIN
      -- The head is read after taking the lock; only READ COMMITTED reads it as of now (a
      -- snapshot taken earlier could link to an old head and fork the chain).
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
    CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;

    CREATE TABLE application_outcomes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      application_id uuid NOT NULL REFERENCES applications (id),
      outcome text NOT NULL CHECK (outcome IN ('cleared', 'escalated', 'recommend_reject')),
      reason_code text NOT NULL,
      note text NOT NULL,
      actor_id uuid NOT NULL REFERENCES staff (id),
      created_at timestamptz(3) NOT NULL DEFAULT now()
    );
    CREATE INDEX application_outcomes_application_idx ON application_outcomes (application_id, created_at);
    CREATE TRIGGER application_outcomes_append_only BEFORE UPDATE OR DELETE ON application_outcomes
      FOR EACH ROW EXECUTE FUNCTION refuse_change();

    CREATE TABLE export_runs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('status_history', 'consents')),
      format text NOT NULL CHECK (format IN ('csv', 'ndjson')),
      filters jsonb NOT NULL,
      requested_by uuid NOT NULL REFERENCES staff (id),
      state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'complete', 'failed')),
      started_at timestamptz(3) NOT NULL DEFAULT now(),
      finished_at timestamptz(3),
      row_count bigint,
      byte_count bigint,
      sha256 text,
      chain_head_id bigint,
      chain_head_hash text
    );
    CREATE INDEX export_runs_started_idx ON export_runs (started_at DESC, id);

    -- Identification numbers: AES-256-GCM ciphertext with the id of the key that sealed it,
    -- and a keyed hash of the last four for lookup. The clear columns are emptied by the
    -- desk at start-up (it holds the keys) and never written again.
    ALTER TABLE customers ALTER COLUMN identification_number DROP NOT NULL;
    ALTER TABLE customers ALTER COLUMN identification_number_last4 DROP NOT NULL;
    ALTER TABLE customers ADD COLUMN identification_number_sealed text;
    ALTER TABLE customers ADD COLUMN identification_number_key_id text;
    ALTER TABLE customers ADD COLUMN identification_number_last4_hash text;
    CREATE INDEX customers_last4_hash_idx ON customers (identification_number_last4_hash);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP INDEX customers_last4_hash_idx;
    ALTER TABLE customers DROP COLUMN identification_number_last4_hash;
    ALTER TABLE customers DROP COLUMN identification_number_key_id;
    ALTER TABLE customers DROP COLUMN identification_number_sealed;
    DROP TABLE export_runs;
    DROP TABLE application_outcomes;
    DROP TABLE audit_events;
    DROP FUNCTION audit_events_chain();
    DROP FUNCTION audit_event_digest(text, bigint, timestamptz, uuid, text, text, text, text, uuid, text, jsonb);
    DROP TABLE login_attempts;
    DROP TABLE staff_sessions;
    DROP INDEX staff_email_lower_key;
    ALTER TABLE staff DROP COLUMN last_sign_in_at;
    ALTER TABLE staff DROP COLUMN active;
    ALTER TABLE staff DROP COLUMN password_hash;
  `.execute(db);
}
