/**
 * The webhook inbox is the queue of events to apply. A stored event used to be queued a second
 * time as a job of the job queue (`webhook-apply`): one more insert per webhook, two updates as a
 * worker took and settled it, and a delete when the queue pruned it, all to say what the
 * inbox row already says (applied or not). Workers now take due events from the inbox itself:
 * `attempts` counts the tries, `next_attempt_at` is when the event may be taken next (a taken
 * event is leased until then, a failed one waits out its backoff), `last_error` says why the
 * last try failed. The index of unapplied events is ordered by when each is due.
 * Frozen in time: Kysely<any>, no app imports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE webhook_inbox
      ADD COLUMN attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      ADD COLUMN next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
      ADD COLUMN last_error text;
    UPDATE webhook_inbox SET next_attempt_at = received_at WHERE applied_at IS NULL;
    DROP INDEX webhook_inbox_unapplied_idx;
    CREATE INDEX webhook_inbox_due_idx ON webhook_inbox (next_attempt_at) WHERE applied_at IS NULL;
  `.execute(db);
  // The jobs of the old queue name events that are unapplied rows of the inbox: the workers take
  // them from there now. (The job queue's tables exist once a desk has started on this database.)
  await sql`
    DO $$
    BEGIN
      IF to_regclass('pgboss.job') IS NOT NULL THEN
        DELETE FROM pgboss.job WHERE name = 'webhook-apply';
      END IF;
    END $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Events still unapplied have no job in the old queue: the reconcile pass of that release
  // reads their applications from the provider.
  await sql`
    DROP INDEX webhook_inbox_due_idx;
    CREATE INDEX webhook_inbox_unapplied_idx ON webhook_inbox (received_at) WHERE applied_at IS NULL;
    ALTER TABLE webhook_inbox DROP COLUMN last_error, DROP COLUMN next_attempt_at, DROP COLUMN attempts;
  `.execute(db);
}
