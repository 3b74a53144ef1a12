/**
 * The one event the guide names, `customer.state_changed`, raised on every status change
 * (submission included), never on creation. The guide's handler reads `event.type` and
 * `event.payload.{customerId, oldStatus, newStatus, requiredDocuments, reason}`; the sandbox
 * adds an `id` (a UUID, the same on every redelivery: deduplicate on it), `createdAt`, and
 * `requiredFields` beside `requiredDocuments`. `requiredFields`/`requiredDocuments` are sent
 * only with NEEDS_ADDITIONAL_INFORMATION, `reason` only with REJECTED.
 */
import type { KycStatus } from '@desk/shared';
import type { RequiredDocument } from './review-rules.js';

export const kycWebhookEventTypes = ['customer.state_changed'] as const;
export type KycWebhookEventType = (typeof kycWebhookEventTypes)[number];

export type KycStateChangedPayload = {
  customerId: string;
  oldStatus: KycStatus;
  newStatus: KycStatus;
  requiredFields?: string[];
  requiredDocuments?: RequiredDocument[];
  reason?: string;
};

export type KycWebhookEvent = {
  id: string;
  type: KycWebhookEventType;
  createdAt: string;
  payload: KycStateChangedPayload;
};

/** Headers of every delivery. */
export const kycWebhookHeaders = {
  id: 'x-webhook-id',
  timestamp: 'x-webhook-timestamp',
  signature: 'x-webhook-signature',
} as const;
