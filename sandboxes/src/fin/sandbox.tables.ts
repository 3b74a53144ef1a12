/**
 * Row types of the sandbox's own tables (the `sandbox` schema, migration
 * 2026-12-07T00-02-00_fin), as Kysely sees them. They stay inside the sandbox:
 * customer.mapper.ts turns rows into Fin.com's wire shapes. The desk database is widened
 * with `db.withTables<FinSandboxDatabase>()`.
 */

import type { Database } from '@desk/server';
import type { FinStatus } from '@desk/shared';
import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';
import type { FinAddress, FinBasicInfo, FinFinancialProfile, FinVerificationType } from './customer-validation.js';
import type { FinV1Address, FinV1AttachDocuments, FinV1BasicInfo, FinV1FinancialProfile } from './v1-validation.js';
import type { FinWebhookEventType } from './webhook-events.js';
import type { FinAttachDocuments, FinRfiAnswer, FinRfiSection, RequiredAction } from './wire.js';

/** The API version a customer was created through (migration 2026-12-07T00-03-00_fin_v1). */
export type FinApiVersion = 'v1' | 'v2';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: read as the parsed object, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface FinCustomerTable {
  id: Generated<string>;
  status: FinStatus;
  verification_type: FinVerificationType;
  email: string;
  country_of_residence: string;
  api_version: Generated<FinApiVersion>;
  /** V1 or V2 shapes, as `api_version` says. */
  basic_info: Json<FinBasicInfo | FinV1BasicInfo>;
  address: Json<FinAddress | FinV1Address>;
  financial_profile: Json<FinFinancialProfile | FinV1FinancialProfile>;
  meta_data: NullableJson<Record<string, string>>;
  tos_policies_value: Generated<string>;
  reviews_decided: Generated<number>;
  required_actions: NullableJson<RequiredAction[]>;
  rejection_reason: string | null;
  decision_due_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface FinFileTable {
  uri: string;
  customer_id: string;
  field_name: string;
  original_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  created_at: CreatedAt;
}

export interface FinAttachmentTable {
  id: Generated<string>;
  customer_id: string;
  status: 'queued' | 'processed';
  documents: Json<FinAttachDocuments | FinV1AttachDocuments>;
  process_due_at: ColumnType<Date, Date | string, Date | string>;
  processed_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface FinRfiTable {
  id: Generated<string>;
  customer_id: string;
  status: 'OPEN' | 'ANSWERED';
  sections: Json<FinRfiSection[]>;
  answer: NullableJson<FinRfiAnswer>;
  answered_at: NullableTimestamp;
  created_at: CreatedAt;
}

export type WebhookEventStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface FinWebhookEventTable {
  id: string;
  /** bigint identity, read as a string. */
  seq: Generated<string>;
  type: FinWebhookEventType;
  customer_id: string;
  body: string;
  status: WebhookEventStatus;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  delivered_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface FinWebhookAttemptTable {
  id: Generated<string>;
  event_id: string;
  attempt: number;
  url: string;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: CreatedAt;
}

export type FinSandboxDatabase = {
  'sandbox.fin_customers': FinCustomerTable;
  'sandbox.fin_files': FinFileTable;
  'sandbox.fin_attachments': FinAttachmentTable;
  'sandbox.fin_rfis': FinRfiTable;
  'sandbox.fin_webhook_events': FinWebhookEventTable;
  'sandbox.fin_webhook_attempts': FinWebhookAttemptTable;
};

/** The desk database seen with the sandbox's tables; only the sandbox touches them. */
export type FinDb = Kysely<Database & FinSandboxDatabase>;

export type FinCustomerRow = Selectable<FinCustomerTable>;
export type FinFileRow = Selectable<FinFileTable>;
export type FinAttachmentRow = Selectable<FinAttachmentTable>;
/** An attachment made through V2 (the demo data's only kind). */
export type FinV2AttachmentRow = Omit<FinAttachmentRow, 'documents'> & { documents: FinAttachDocuments };
export type FinRfiRow = Selectable<FinRfiTable>;
export type FinWebhookEventRow = Selectable<FinWebhookEventTable>;
