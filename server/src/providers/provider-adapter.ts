/**
 * What the desk needs from any KYC provider. Each provider's adapter speaks its real HTTP API
 * (auth, signing, idempotency) and translates its answers into these shapes; nothing outside
 * `providers/` and `sandboxes/` knows a provider's wire format.
 *
 * Documents are the desk's own: a typed file (`DocumentType`) with optional details (number,
 * issuing country, expiry). How one reaches a provider differs and is the adapter's business:
 * Jiko takes each file on the application at once; Fin.com takes the file first and the
 * document only when documents are attached (the resubmission); the generic provider fetches
 * files from URLs the desk serves and learns of them when KYC data is patched.
 */
import {
  type DocumentDetailKey,
  type DocumentDetails,
  type DocumentFlags,
  type DocumentStatus,
  type DocumentType,
  type documentFileRulesSchema,
  documentTypeRulesOf,
  type FieldFormat,
  type Provider,
  type ProviderStatus,
  type RfiItemKind,
  type RfiItemReason,
} from '@desk/shared';
import type { z } from 'zod';

/** A request for information the provider has open on an application. */
export type ProviderRfi = {
  /** The provider's id for it, stable while it is open (a derived one where it has none). */
  providerRfiId: string;
  title: string;
  raisedAt: Date;
  /** When the provider wants the answer; null lets the desk apply its own due time. */
  dueAt: Date | null;
  items: {
    kind: RfiItemKind;
    key: string;
    label: string;
    section: string | null;
    reason: RfiItemReason | null;
    note: string | null;
    /** For a field: the format the provider documents for its value (the answer is checked with it). */
    format: FieldFormat | null;
  }[];
};

/** The provider's view of one application, as of the moment it answered. */
export type ProviderSnapshot = {
  providerApplicationId: string;
  status: ProviderStatus;
  flags: DocumentFlags;
  providerCustomerId: string | null;
  documents: { providerDocumentId: string; type: DocumentType; status: DocumentStatus }[];
  /** What the provider asks for before it can go on, in its own words ([] when nothing). */
  requirements: string[];
  /** The provider's open RFI, if any. */
  rfi: ProviderRfi | null;
};

/** What an onboarding flow submits to create an application at a provider. */
export type NewApplicant = {
  firstName: string;
  lastName: string;
  email: string;
  /** E.164, e.g. +15105551234. */
  phone: string;
  dateOfBirth: string;
  identificationNumber: string;
  /** `country` is ISO 3166-1 alpha-3 (USA); `state` a subdivision code without country (CA). */
  address: { street: string; city: string; postalCode: string; state: string | null; country: string };
  consent: { agreementVersion: string; consentedAt: Date };
  investmentProfile: { income: string; netWorth: string; occupation: string; employmentStatus: string };
};

/**
 * What the desk knows of earlier attempts of one creation, kept in its database (so it holds
 * across retries and processes): the provider's id for what an earlier attempt created, if it
 * got that far, and how to record that id as soon as the provider names it. An adapter whose
 * provider takes no idempotency key carries on with the recorded one instead of creating
 * another.
 */
export type CreationRecord = {
  providerApplicationId: string | null;
  record(providerApplicationId: string): Promise<void>;
};

/** Details some providers require with a document (`providerDocumentRules`): number, issuing country (alpha-3), issue and expiry dates (YYYY-MM-DD). */
export type { DocumentDetailKey, DocumentDetails } from '@desk/shared';

/** A document the desk holds for an application. */
export type HeldDocument = {
  id: string;
  type: DocumentType;
  status: DocumentStatus;
  /** Set once the provider has the file (its document id, file uri or the desk's URL). */
  providerDocumentId: string | null;
  contentType: string | null;
  fileName: string | null;
  details: DocumentDetails;
  /** A signed, expiring URL the provider can fetch the file from. */
  url: string;
};

/** The application as an adapter needs it to act on it. */
export type ApplicationContext = {
  providerApplicationId: string;
  applicant: { firstName: string; lastName: string; email: string; country: string };
  /** Every document the desk holds for the application, oldest first. */
  documents: HeldDocument[];
};

/** One file of an RFI answer, with the URL the provider may fetch it from. */
export type OutgoingFile = {
  itemKey: string;
  fileName: string | null;
  contentType: string;
  bytes: Buffer;
  url: string;
};

/** An answer to a provider-raised RFI, keyed by the item keys of its `ProviderRfi`. */
export type RfiAnswerDelivery = {
  providerRfiId: string;
  text: string | null;
  fields: Record<string, string>;
  files: OutgoingFile[];
};

/** A verified provider event, reduced to what the desk acts on. */
export type ProviderEvent = {
  eventId: string;
  type: string;
  providerApplicationId: string | null;
  payload: unknown;
};

/**
 * Why a call failed. `refused`: the provider understood and said no (a 4xx) — retrying the
 * same request will not help. `unavailable`: down, slow or a 5xx — retry with the same
 * idempotency key.
 */
export class ProviderCallError extends Error {
  constructor(
    readonly kind: 'refused' | 'unavailable',
    message: string,
    readonly status: number | null = null,
    /** For a refused RFI answer: the provider's reasons by the RFI's item keys. */
    readonly fieldReasons: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

/**
 * Why a correctly signed webhook is not an event the desk can take. `reason` is a closed set
 * (a metrics label); `problems` names what is wrong by field path of the body (`(body)` for
 * the whole); the event id and type are given where they could be read as safe text.
 */
export type WebhookRejection = {
  reason: 'not_json' | 'too_deep' | 'unsafe_text' | 'not_an_event';
  message: string;
  problems: Record<string, string[]>;
  eventId: string | null;
  eventType: string | null;
};

export type WebhookVerification =
  | { ok: true; event: ProviderEvent }
  /** Not shown to come from the provider (signature, timestamp, headers): refused, nothing kept. */
  | { ok: false; reason: string; rejected?: undefined }
  /** Signed by the provider, but its content is not an event the desk can take: kept, never applied. */
  | { ok: false; reason: string; rejected: WebhookRejection };

/** An agreement version the provider shows applicants. */
export type ProviderAgreement = { version: string; releasedAt: Date; documents: { title: string; url: string }[] };

/** The file rules of one document type, as the case serves them (read-only: adapters pass their constant lists). */
type DocumentFileRuleShape = z.infer<typeof documentFileRulesSchema>;

/** What a provider accepts for one document type: its file rules, and what must come with the file. */
export type DocumentRules = { readonly [K in keyof DocumentFileRuleShape]: Readonly<DocumentFileRuleShape[K]> } & {
  accepted: boolean;
  /** Details that must come with the file. */
  requiredDetails: readonly DocumentDetailKey[];
};

/** A type's rules as the provider's document rules table (`providerDocumentRules`) has them. */
export function documentRulesFromTable(provider: Provider, type: DocumentType): DocumentRules {
  const rules = documentTypeRulesOf(provider, type);
  if (!rules) return { accepted: false, contentTypes: [], minBytes: 0, maxBytes: 0, requiredDetails: [] };
  return {
    accepted: true,
    contentTypes: rules.contentTypes,
    minBytes: rules.minBytes,
    maxBytes: rules.maxBytes,
    requiredDetails: rules.details,
  };
}

export interface ProviderAdapter {
  readonly provider: Provider;
  /** What the provider calls its resubmission (Jiko "Apply", Fin.com "Attach documents"). */
  readonly resubmitLabel: string;
  listAgreements(idempotencyKey: string): Promise<ProviderAgreement[]>;
  /**
   * Creates the application; `creation` is the desk's record of earlier attempts (none: a
   * one-off call, with only the provider's own idempotency to rely on).
   */
  createApplication(
    applicant: NewApplicant,
    idempotencyKey: string,
    creation?: CreationRecord,
  ): Promise<ProviderSnapshot>;
  getApplication(providerApplicationId: string, idempotencyKey: string): Promise<ProviderSnapshot>;
  /** Hands one document's file to the provider; returns the provider's id (or uri) for it. */
  sendDocument(
    app: ApplicationContext,
    document: HeldDocument,
    bytes: Buffer,
    idempotencyKey: string,
  ): Promise<{ providerDocumentId: string }>;
  /** The provider's own resubmission (Jiko apply, Fin.com attach, generic PATCH). */
  resubmit(app: ApplicationContext, idempotencyKey: string): Promise<ProviderSnapshot>;
  /** Delivers an answer to the provider's RFI in the provider's shape. */
  answerRfi(app: ApplicationContext, answer: RfiAnswerDelivery, idempotencyKey: string): Promise<ProviderSnapshot>;
  /** Verifies signature and freshness of a raw webhook and parses it. */
  verifyWebhook(
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
    now: Date,
  ): WebhookVerification;
  /**
   * Whether resubmission is possible now; the reason when it is not. `documents` are the
   * desk's documents with the provider's copy of them (providerDocumentId set) or not.
   */
  resubmitRefusal(
    status: ProviderStatus,
    documents: readonly Pick<HeldDocument, 'type' | 'status' | 'providerDocumentId'>[],
  ): string | null;
  documentRules(type: DocumentType): DocumentRules;
}
