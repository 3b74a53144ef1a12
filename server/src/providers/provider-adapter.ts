/**
 * What the desk needs from any KYC provider. Each provider's adapter speaks its real HTTP API
 * (auth, signing, idempotency) and translates its answers into these shapes; nothing outside
 * `providers/` and `sandboxes/` knows a provider's wire format.
 */
import type { DocumentFlags, DocumentStatus, DocumentType, Provider, ProviderStatus } from '@desk/shared';

/** The provider's view of one application, as of the moment it answered. */
export type ProviderSnapshot = {
  providerApplicationId: string;
  status: ProviderStatus;
  flags: DocumentFlags;
  providerCustomerId: string | null;
  documents: { providerDocumentId: string; type: DocumentType; status: DocumentStatus }[];
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
  address: { street: string; city: string; postalCode: string; state: string | null; country: string };
  consent: { agreementVersion: string; consentedAt: Date };
  investmentProfile: { income: string; netWorth: string; occupation: string; employmentStatus: string };
};

export type DocumentUpload = {
  type: DocumentType;
  contentType: string;
  bytes: Buffer;
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
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

export type WebhookVerification =
  | { ok: true; event: ProviderEvent }
  | { ok: false; reason: string };

/** An agreement version the provider shows applicants. */
export type ProviderAgreement = { version: string; releasedAt: Date; documents: { title: string; url: string }[] };

export interface ProviderAdapter {
  readonly provider: Provider;
  listAgreements(idempotencyKey: string): Promise<ProviderAgreement[]>;
  createApplication(applicant: NewApplicant, idempotencyKey: string): Promise<ProviderSnapshot>;
  getApplication(providerApplicationId: string, idempotencyKey: string): Promise<ProviderSnapshot>;
  uploadDocument(providerApplicationId: string, upload: DocumentUpload, idempotencyKey: string): Promise<{ providerDocumentId: string }>;
  /** The provider's own resubmission (Jiko: apply). */
  reapply(providerApplicationId: string, idempotencyKey: string): Promise<ProviderSnapshot>;
  /** Verifies signature and freshness of a raw webhook and parses it. */
  verifyWebhook(headers: Record<string, string | string[] | undefined>, rawBody: Buffer, now: Date): WebhookVerification;
  /** Whether re-apply is possible from a native status; the reason when it is not. */
  reapplyRefusal(status: ProviderStatus): string | null;
  /** Document types this provider accepts, with their content types and size limit. */
  documentRules(type: DocumentType): { accepted: boolean; contentTypes: readonly string[]; maxBytes: number };
}
