/**
 * Row types of the sandbox's own tables (the `sandbox` schema, migration
 * 2026-12-07T00-01-00_kyc), as Kysely sees them. They stay inside the sandbox:
 * customer.mapper.ts turns rows into the provider's wire shapes. The desk database is widened
 * with `db.withTables<KycSandboxDatabase>()`.
 */

import type { Database } from '@desk/server';
import type { KycStatus } from '@desk/shared';
import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';
import type { KycData } from './kyc-data.js';
import type { RequiredDocument } from './review-rules.js';
import type { KycWebhookEventType } from './webhook-events.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: read as the parsed value, written as JSON text. */
type Json<T> = ColumnType<T, string | undefined, string>;

export interface KycCustomerTable {
  id: string;
  type: 'INDIVIDUAL';
  status: KycStatus;
  email: string;
  first_name: string;
  last_name: string;
  kyc_data: Json<KycData>;
  required_fields: Json<string[]>;
  required_documents: Json<RequiredDocument[]>;
  rejection_reason: string | null;
  rfi_count: Generated<number>;
  review_round: Generated<number>;
  review_due_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type WebhookEventStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface KycWebhookEventTable {
  id: string;
  type: KycWebhookEventType;
  customer_id: string;
  body: string;
  status: WebhookEventStatus;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  delivered_at: NullableTimestamp;
  sequence: Generated<string>;
  created_at: CreatedAt;
}

export interface KycWebhookAttemptTable {
  id: Generated<string>;
  event_id: string;
  attempt: number;
  url: string;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: CreatedAt;
}

export type KycSandboxDatabase = {
  'sandbox.kyc_customers': KycCustomerTable;
  'sandbox.kyc_webhook_events': KycWebhookEventTable;
  'sandbox.kyc_webhook_attempts': KycWebhookAttemptTable;
};

/** The desk database seen with the sandbox's tables; only the sandbox touches them. */
export type KycSandboxDb = Kysely<Database & KycSandboxDatabase>;

export type KycCustomerRow = Selectable<KycCustomerTable>;
export type KycWebhookEventRow = Selectable<KycWebhookEventTable>;
