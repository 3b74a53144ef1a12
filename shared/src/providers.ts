/**
 * Providers, their native statuses and the normalised review stage.
 *
 * Every application lives at exactly one provider and carries that provider's native
 * status. The stage is derived from it (never set on its own) so that one queue can serve
 * all providers. The table below is the one in PRODUCT.md; `stageOf` is total over every
 * (provider, status) pair, which the type system checks.
 */
import { z } from 'zod';

export const providers = ['jiko', 'fin', 'kyc'] as const;
export type Provider = (typeof providers)[number];
export const providerSchema = z.enum(providers);

export const providerLabels: Record<Provider, string> = {
  jiko: 'Jiko',
  fin: 'Fin.com',
  kyc: 'Generic KYC',
};

export const jikoStatuses = [
  'CREATED',
  'SUBMITTED',
  'DOCUMENTS_NEEDED',
  'PENDING',
  'MANUAL_REVIEW',
  'APPROVED',
  'REJECTED',
] as const;
export type JikoStatus = (typeof jikoStatuses)[number];

export const finStatuses = ['INCOMPLETE', 'REVIEWING', 'APPROVED', 'ACTION_REQUIRED', 'ON_HOLD', 'REJECTED'] as const;
export type FinStatus = (typeof finStatuses)[number];

export const kycStatuses = ['CREATED', 'UNDER_REVIEW', 'ACTIVE', 'NEEDS_ADDITIONAL_INFORMATION', 'REJECTED'] as const;
export type KycStatus = (typeof kycStatuses)[number];

export const providerStatusesByProvider = {
  jiko: jikoStatuses,
  fin: finStatuses,
  kyc: kycStatuses,
} as const satisfies Record<Provider, readonly string[]>;

/** Every native status of any provider (the union, de-duplicated). */
export const providerStatuses = [
  ...new Set<JikoStatus | FinStatus | KycStatus>([...jikoStatuses, ...finStatuses, ...kycStatuses]),
] as [JikoStatus | FinStatus | KycStatus, ...(JikoStatus | FinStatus | KycStatus)[]];
export type ProviderStatus = JikoStatus | FinStatus | KycStatus;
export const providerStatusSchema = z.enum(providerStatuses);

export const stages = [
  'intake',
  'provider_review',
  'needs_documents',
  'ready_to_reapply',
  'manual_review',
  'rfi',
  'approved',
  'rejected',
] as const;
export type Stage = (typeof stages)[number];
export const stageSchema = z.enum(stages);

export const stageLabels: Record<Stage, string> = {
  intake: 'Intake',
  provider_review: 'Provider review',
  needs_documents: 'Needs documents',
  ready_to_reapply: 'Ready to re-apply',
  manual_review: 'Manual review',
  rfi: 'RFI',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** Final stages: nothing more will happen to the application. */
export const finalStages: readonly Stage[] = ['approved', 'rejected'];

const jikoStages: Record<JikoStatus, Stage> = {
  CREATED: 'intake',
  SUBMITTED: 'provider_review',
  DOCUMENTS_NEEDED: 'needs_documents',
  PENDING: 'ready_to_reapply',
  MANUAL_REVIEW: 'manual_review',
  APPROVED: 'approved',
  REJECTED: 'rejected',
};

const finStages: Record<FinStatus, Stage> = {
  INCOMPLETE: 'intake',
  REVIEWING: 'provider_review',
  ACTION_REQUIRED: 'needs_documents',
  ON_HOLD: 'rfi',
  APPROVED: 'approved',
  REJECTED: 'rejected',
};

const kycStages: Record<KycStatus, Stage> = {
  CREATED: 'intake',
  UNDER_REVIEW: 'provider_review',
  NEEDS_ADDITIONAL_INFORMATION: 'rfi',
  ACTIVE: 'approved',
  REJECTED: 'rejected',
};

/** Narrows a status string to the native statuses of one provider. */
export function isStatusOf<P extends Provider>(
  provider: P,
  status: string,
): status is (typeof providerStatusesByProvider)[P][number] {
  return (providerStatusesByProvider[provider] as readonly string[]).includes(status);
}

/**
 * The review stage of a native status. Returns null when the status does not belong to the
 * provider (a provider answering with a status its guide does not list).
 */
export function stageOf(provider: Provider, status: string): Stage | null {
  switch (provider) {
    case 'jiko':
      return isStatusOf('jiko', status) ? jikoStages[status] : null;
    case 'fin':
      return isStatusOf('fin', status) ? finStages[status] : null;
    case 'kyc':
      return isStatusOf('kyc', status) ? kycStages[status] : null;
  }
}
