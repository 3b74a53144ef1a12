/**
 * Row types of the sandbox's own tables (the `sandbox` schema, migration
 * 2026-12-07T00-00-00_jiko), as Kysely sees them. They stay inside the sandbox: the mapper
 * turns rows into Jiko's wire shapes. The desk database is widened with `db.withTables<SandboxDatabase>()`.
 */

import type { Database } from '@desk/server';
import type { DocumentStatus, DocumentType, JikoStatus } from '@desk/shared';
import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';
import type { JikoWebhookEventType } from './webhook-events.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** jsonb: read as the parsed object, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

export type JikoAddress = {
  street_address: string;
  city: string;
  postal_code: string;
  state: string;
  country: string;
};

export type JikoInvestmentProfile = {
  income: string;
  net_worth: string;
  occupation: string;
  employment_status: string;
};

export type JikoAgreementDocument = { title: string; url: string };

export interface SandboxAgreementTable {
  version: string;
  /** `date`, read as 'YYYY-MM-DD' (pg type parser in db/database.ts). */
  release_date: string;
  documents: Json<JikoAgreementDocument[]>;
  created_at: CreatedAt;
}

export interface SandboxTokenTable {
  token_sha256: string;
  username: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

/** Apply is accepted from these two; the one it came from picks the sandbox rule. */
export type SubmittedFrom = Extract<JikoStatus, 'CREATED' | 'PENDING'>;

export interface SandboxApplicationTable {
  id: Generated<string>;
  status: JikoStatus;
  identification_number: string;
  first_name: string;
  last_name: string;
  email: string;
  phone_number: string;
  /** `date`, read as 'YYYY-MM-DD'. */
  date_of_birth: string;
  address: Json<JikoAddress>;
  investment_profile: Json<JikoInvestmentProfile>;
  agreement_version: string;
  agreement_consented_at: Timestamp;
  customer_id: string | null;
  flag_id_verification: Generated<boolean>;
  flag_identification_number_verification: Generated<boolean>;
  flag_address_verification: Generated<boolean>;
  documents_round: Generated<number>;
  submitted_from: SubmittedFrom | null;
  decision_due_at: NullableTimestamp;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SandboxDocumentTable {
  id: Generated<string>;
  application_id: string;
  document_type: DocumentType;
  status: DocumentStatus;
  round: number;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  uploaded_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SandboxIdempotencyKeyTable {
  key: string;
  method: string;
  path: string;
  request_sha256: string;
  /** Null only inside the transaction that claimed the key, until it records its answer. */
  response_status: number | null;
  response_body: string | null;
  created_at: CreatedAt;
}

export type WebhookEventStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface SandboxWebhookEventTable {
  id: string;
  type: JikoWebhookEventType;
  application_id: string;
  body: string;
  status: WebhookEventStatus;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  delivered_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface SandboxWebhookAttemptTable {
  id: Generated<string>;
  event_id: string;
  attempt: number;
  url: string;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: CreatedAt;
}

export type SandboxDatabase = {
  'sandbox.jiko_agreements': SandboxAgreementTable;
  'sandbox.jiko_tokens': SandboxTokenTable;
  'sandbox.jiko_applications': SandboxApplicationTable;
  'sandbox.jiko_documents': SandboxDocumentTable;
  'sandbox.jiko_idempotency_keys': SandboxIdempotencyKeyTable;
  'sandbox.jiko_webhook_events': SandboxWebhookEventTable;
  'sandbox.jiko_webhook_attempts': SandboxWebhookAttemptTable;
};

/** The desk database seen with the sandbox's tables; only the sandbox touches them. */
export type SandboxDb = Kysely<Database & SandboxDatabase>;

export type SandboxApplicationRow = Selectable<SandboxApplicationTable>;
export type SandboxDocumentRow = Selectable<SandboxDocumentTable>;
export type SandboxAgreementRow = Selectable<SandboxAgreementTable>;
export type SandboxWebhookEventRow = Selectable<SandboxWebhookEventTable>;
