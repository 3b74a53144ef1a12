/**
 * The columns every sandbox's webhook events and attempts tables have (each sandbox's
 * sandbox.tables.ts declares them in full), keyed by the tables' name pattern. The shared
 * outbox widens the desk database with `withTables<OutboxDatabase>()` to reach any sandbox's
 * outbox by table name.
 */

import type { Database } from '@desk/server';
import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';

export type WebhookEventStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

/** The columns every sandbox's webhook events table has. */
export interface OutboxEventTable {
  id: string;
  type: string;
  body: string;
  status: WebhookEventStatus;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** The columns every sandbox's webhook attempts table has. */
export interface OutboxAttemptTable {
  id: Generated<string>;
  event_id: string;
  attempt: number;
  url: string;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: ColumnType<Date, Date | string | undefined, never>;
}

export type OutboxEventsTable = `sandbox.${string}_webhook_events`;
export type OutboxAttemptsTable = `sandbox.${string}_webhook_attempts`;

export type OutboxDatabase = Record<OutboxEventsTable, OutboxEventTable> &
  Record<OutboxAttemptsTable, OutboxAttemptTable>;
export type OutboxDb = Kysely<Database & OutboxDatabase>;

export type OutboxEventRow = Selectable<OutboxEventTable>;
