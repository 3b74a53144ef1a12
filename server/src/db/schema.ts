/**
 * Row types of every table, as Kysely sees them. They stay on the server: each feature's
 * mapper turns rows into the API types of `@desk/shared`.
 */

import type {
  AccountStatus,
  AuditChainHead,
  DocumentDetails,
  DocumentStatus,
  DocumentType,
  ExportFormat,
  ExportKind,
  FieldFormat,
  Provider,
  ProviderActionKind,
  ProviderActionState,
  ProviderStatus,
  ReviewOutcome,
  RfiItemKind,
  RfiItemReason,
  RfiOrigin,
  RfiRefusal,
  RfiStatus,
  StaffGrantKind,
  StaffRole,
  Stage,
  StatusChangeSource,
} from '@desk/shared';
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface StaffTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: StaffRole;
  /** argon2id (PHC string); null: cannot sign in. */
  password_hash: string | null;
  active: Generated<boolean>;
  last_sign_in_at: Date | null;
  version: Generated<number>;
  /** The IANA zone the member reads times in; null: their browser's. */
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AgreementDocument {
  title: string;
  url: string;
}

export interface AgreementTable {
  provider: Provider;
  version: string;
  released_at: ColumnType<Date, Date | string, Date | string>;
  documents: ColumnType<AgreementDocument[], string, string>;
  created_at: CreatedAt;
}

export interface CustomerTable {
  id: Generated<string>;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  /** `date` columns are read as 'YYYY-MM-DD' strings (see the pg type parser in database.ts). */
  date_of_birth: string;
  street: string;
  city: string;
  postal_code: string;
  state: string | null;
  country: string;
  /** Emptied at start-up once sealed; never written by the desk. */
  identification_number: ColumnType<string | null, never, null>;
  identification_number_last4: ColumnType<string | null, never, null>;
  /** AES-256-GCM: base64url(iv | ciphertext | tag), sealed with `identification_number_key_id`. */
  identification_number_sealed: string | null;
  identification_number_key_id: string | null;
  /** HMAC-SHA-256 of the last four digits under the lookup key (hex). */
  identification_number_last4_hash: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ApplicationTable {
  id: Generated<string>;
  customer_id: string;
  provider: Provider;
  provider_application_id: string;
  provider_status: ProviderStatus;
  stage: Stage;
  flag_id_verification: Generated<boolean>;
  flag_identification_number_verification: Generated<boolean>;
  flag_address_verification: Generated<boolean>;
  agreement_version: string;
  consented_at: ColumnType<Date, Date | string, Date | string>;
  provider_customer_id: string | null;
  provider_observed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  provider_requirements: ColumnType<string[], string | undefined, string>;
  assignee_id: string | null;
  claimed_at: Date | null;
  /** When the case entered its current stage (service levels run from here). */
  stage_entered_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The provider account's status, where the provider reports one. */
  account_status: AccountStatus | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ApplicationDocumentTable {
  id: Generated<string>;
  application_id: string;
  type: DocumentType;
  status: DocumentStatus;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  uploaded_by: string | null;
  provider_document_id: string | null;
  file_name: string | null;
  details: ColumnType<DocumentDetailsColumn, string | undefined, string>;
  /** When the file was stored at the desk (null: no file, e.g. requested by the provider). */
  uploaded_at: Date | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The details given with an upload (number, issuing country, issue and expiry dates), those its provider's rules name. */
export type DocumentDetailsColumn = DocumentDetails;

export interface StatusHistoryTable {
  id: Generated<string>;
  application_id: string;
  from_status: ProviderStatus | null;
  to_status: ProviderStatus;
  from_stage: Stage | null;
  to_stage: Stage;
  at: ColumnType<Date, Date | string | undefined, never>;
  source: StatusChangeSource;
  actor_id: string | null;
  reason: string | null;
}

export interface ProviderActionTable {
  id: Generated<string>;
  application_id: string;
  kind: ProviderActionKind;
  state: ProviderActionState;
  idempotency_key: string;
  document_id: string | null;
  rfi_answer_id: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  gave_up: Generated<boolean>;
  requested_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  completed_at: Date | null;
}

/** An application to create at a provider (intake), recorded before it is delivered. */
export interface IntakeTable {
  id: Generated<string>;
  provider: Provider;
  idempotency_key: string;
  request_sha256: string;
  /** The applicant as sent (identification number sealed apart); null once delivered. */
  applicant: ColumnType<IntakeApplicantColumn | null, string | null, string | null>;
  identification_number_sealed: string | null;
  identification_number_key_id: string | null;
  state: ProviderActionState;
  gave_up: Generated<boolean>;
  refused: Generated<boolean>;
  attempts: Generated<number>;
  last_error: string | null;
  lease_until: Date | null;
  provider_application_id: string | null;
  application_id: string | null;
  requested_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  completed_at: Date | null;
}

/** `intakes.applicant`: what intake sends, but the identification number. */
export type IntakeApplicantColumn = {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
  address: { street: string; city: string; postalCode: string; state: string | null; country: string };
  consent: { agreementVersion: string; consentedAt: string };
  investmentProfile: { income: string; netWorth: string; occupation: string; employmentStatus: string };
};

export interface WebhookInboxTable {
  id: Generated<string>;
  provider: Provider;
  event_id: string;
  event_type: string;
  provider_application_id: string | null;
  payload: ColumnType<unknown, string, string>;
  received_at: CreatedAt;
  applied_at: Date | null;
  /** Tries so far (see webhooks/webhook-queue.ts). */
  attempts: Generated<number>;
  /** When a worker may take the event next: leased while taken, backing off after a failure. */
  next_attempt_at: Generated<Date>;
  last_error: string | null;
}

/** A signed webhook whose content the desk could not take: kept for inspection, never applied. */
export interface WebhookRejectionTable {
  id: Generated<string>;
  provider: Provider;
  body_sha256: string;
  reason: 'not_json' | 'too_deep' | 'unsafe_text' | 'not_an_event';
  problems: ColumnType<Record<string, string[]>, string, string>;
  event_id: string | null;
  event_type: string | null;
  body: Buffer;
  received_at: CreatedAt;
}

export interface DocumentContentTable {
  document_id: string;
  bytes: Buffer;
}

export interface RfiTable {
  id: Generated<string>;
  application_id: string;
  origin: RfiOrigin;
  provider_rfi_id: string | null;
  status: RfiStatus;
  title: string;
  due_at: ColumnType<Date, Date | string, Date | string>;
  assignee_id: string | null;
  raised_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  closed_at: Date | null;
}

export interface RfiItemTable {
  id: Generated<string>;
  rfi_id: string;
  position: number;
  kind: RfiItemKind;
  key: string;
  label: string;
  section: string | null;
  reason: RfiItemReason | null;
  note: string | null;
  format: FieldFormat | null;
}

export interface RfiAnswerTable {
  id: Generated<string>;
  rfi_id: string;
  /** 1, 2, 3… per RFI: each correction is a new answer. */
  version: number;
  text: string | null;
  field_values: ColumnType<Record<string, string>, string, string>;
  answered_by: string | null;
  answered_at: CreatedAt;
  refused_at: Date | null;
  refusal: ColumnType<RfiRefusal | null, string | null, string | null>;
}

export interface RfiAnswerDocumentTable {
  id: Generated<string>;
  answer_id: string;
  item_key: string;
  file_name: string | null;
  content_type: string;
  size_bytes: number;
  sha256: string;
  bytes: Buffer;
}

export interface DeskSecretTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface StaffSessionTable {
  /** SHA-256 (hex) of the cookie's token. */
  id: string;
  staff_id: string;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  ended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  ip: string | null;
  user_agent: string | null;
  /** A random id naming the session in the API. */
  handle: Generated<string>;
}

/** One-time set-password links (only the token's SHA-256 is kept). */
export interface StaffInvitationTable {
  id: Generated<string>;
  staff_id: string;
  token_hash: string;
  /** Null: issued by the command line. */
  issued_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** A privileged role waiting for (or decided by) a second admin. */
export interface StaffRoleGrantTable {
  id: Generated<string>;
  staff_id: string;
  role: StaffRole;
  activates: boolean;
  from_role: StaffRole;
  from_active: boolean;
  requested_by: string;
  requested_at: CreatedAt;
  state: ColumnType<'pending' | 'approved' | 'refused', 'pending' | undefined, 'approved' | 'refused'>;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  kind: ColumnType<StaffGrantKind, StaffGrantKind | undefined, never>;
  link_shown_at: Date | null;
}

/** A member's TOTP secret, sealed with the PII vault; `confirmed_at` null while enrolling. */
export interface StaffSecondFactorTable {
  staff_id: string;
  secret_sealed: string;
  key_id: string;
  created_at: CreatedAt;
  confirmed_at: Date | null;
  /** The TOTP time step last accepted (a code never works twice). */
  last_used_step: number | null;
}

/** One-time recovery codes (SHA-256 only). */
export interface StaffRecoveryCodeTable {
  id: Generated<string>;
  staff_id: string;
  code_hash: string;
  created_at: CreatedAt;
  used_at: Date | null;
}

/** A sign-in whose password was accepted and whose second step is owed (id: SHA-256 of the cookie's token). */
export interface SignInChallengeTable {
  id: string;
  staff_id: string;
  purpose: 'verify' | 'enrol';
  created_at: CreatedAt;
  expires_at: Date;
  completed_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

/** Which member an identity provider's subject is (single sign-on). */
export interface StaffIdentityTable {
  issuer: string;
  subject: string;
  staff_id: string;
  created_at: CreatedAt;
}

/** A single sign-on sent to the identity provider, not back yet (id: SHA-256 of the cookie's token). */
export interface OidcSignInTable {
  id: string;
  state: string;
  nonce: string;
  code_verifier: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  ip: string;
  /** False from the moment the check is reserved; true once the password matched. */
  succeeded: boolean;
  /** The trusted-device id the attempt came with; null for an untrusted client. */
  device: string | null;
  /** Null while the password check is in flight. */
  settled_at: Date | null;
  at: CreatedAt;
}

/** Chained by the database (id, lane, at, prev_hash, hash are set by its trigger). */
export interface AuditEventTable {
  id: ColumnType<number, never, never>;
  lane: ColumnType<number, never, never>;
  at: ColumnType<Date, never, never>;
  actor_id: string | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  application_id: string | null;
  ip: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
  prev_hash: ColumnType<string, never, never>;
  hash: ColumnType<string, never, never>;
}

export interface ApplicationOutcomeTable {
  id: Generated<string>;
  application_id: string;
  outcome: ReviewOutcome;
  reason_code: string;
  note: string;
  /** Why a settling outcome was recorded with items still open (null: nothing overridden). */
  override_reason: string | null;
  actor_id: string;
  created_at: CreatedAt;
}

export interface ExportRunTable {
  id: Generated<string>;
  kind: ExportKind;
  format: ExportFormat;
  filters: ColumnType<Record<string, unknown>, string, string>;
  requested_by: string;
  state: ColumnType<'running' | 'complete' | 'failed', 'running' | undefined, 'complete' | 'failed'>;
  started_at: CreatedAt;
  finished_at: Date | null;
  row_count: number | null;
  byte_count: number | null;
  sha256: string | null;
  /** Each audit lane's newest row when the run began: `[{ lane, id, hash }]`. */
  chain_heads: ColumnType<AuditChainHead[], string, never>;
}

export interface ApplicationNoteTable {
  id: Generated<string>;
  application_id: string;
  author_id: string;
  body: string;
  created_at: CreatedAt;
}

export interface SavedFilterTable {
  id: Generated<string>;
  staff_id: string;
  name: string;
  query: string;
  created_at: CreatedAt;
}

/** The distinct first and last names of customers (lower case), for misspelt-name lookup. */
export interface CustomerNamePartTable {
  part: 'first' | 'last';
  name: string;
}

export interface Database {
  desk_secrets: DeskSecretTable;
  staff: StaffTable;
  agreements: AgreementTable;
  customers: CustomerTable;
  customer_name_parts: CustomerNamePartTable;
  applications: ApplicationTable;
  application_documents: ApplicationDocumentTable;
  status_history: StatusHistoryTable;
  provider_actions: ProviderActionTable;
  intakes: IntakeTable;
  webhook_inbox: WebhookInboxTable;
  webhook_rejections: WebhookRejectionTable;
  document_contents: DocumentContentTable;
  rfis: RfiTable;
  rfi_items: RfiItemTable;
  rfi_answers: RfiAnswerTable;
  rfi_answer_documents: RfiAnswerDocumentTable;
  staff_sessions: StaffSessionTable;
  staff_invitations: StaffInvitationTable;
  staff_role_grants: StaffRoleGrantTable;
  staff_second_factors: StaffSecondFactorTable;
  staff_recovery_codes: StaffRecoveryCodeTable;
  sign_in_challenges: SignInChallengeTable;
  staff_identities: StaffIdentityTable;
  oidc_sign_ins: OidcSignInTable;
  login_attempts: LoginAttemptTable;
  audit_events: AuditEventTable;
  application_outcomes: ApplicationOutcomeTable;
  export_runs: ExportRunTable;
  application_notes: ApplicationNoteTable;
  saved_filters: SavedFilterTable;
}

export type StaffRow = Selectable<StaffTable>;
export type CustomerRow = Selectable<CustomerTable>;
export type ApplicationRow = Selectable<ApplicationTable>;
export type NewApplication = Insertable<ApplicationTable>;
export type ApplicationDocumentRow = Selectable<ApplicationDocumentTable>;
export type StatusHistoryRow = Selectable<StatusHistoryTable>;
export type AgreementRow = Selectable<AgreementTable>;
export type ProviderActionRow = Selectable<ProviderActionTable>;
export type IntakeRow = Selectable<IntakeTable>;
