/**
 * The webhook events the sandbox raises, one per status an application is moved to without
 * the partner asking. The first four are Jiko's documented event types; the guides name no
 * event for PENDING (reached on its own when the last document flag clears), so the sandbox
 * adds `application.pending`, which a receiver may ignore. Entering SUBMITTED is the answer
 * to the partner's own Apply call and raises no event.
 */
import type { JikoStatus } from '@desk/shared';

export const jikoWebhookEventTypes = [
  'application.approved',
  'application.documents_needed',
  'application.manual_review',
  'application.rejected',
  'application.pending',
] as const;
export type JikoWebhookEventType = (typeof jikoWebhookEventTypes)[number];

const eventTypeByStatus: Record<JikoStatus, JikoWebhookEventType | null> = {
  CREATED: null,
  SUBMITTED: null,
  DOCUMENTS_NEEDED: 'application.documents_needed',
  PENDING: 'application.pending',
  MANUAL_REVIEW: 'application.manual_review',
  APPROVED: 'application.approved',
  REJECTED: 'application.rejected',
};

/** The event raised on entering a status, or null when none is. */
export function webhookEventTypeFor(status: JikoStatus): JikoWebhookEventType | null {
  return eventTypeByStatus[status];
}

/** `data` of every event: the application's state at the moment the event was raised. */
export type JikoWebhookEventData = {
  application_id: string;
  status: JikoStatus;
  customer_id: string | null;
  id_verification_documents_needed: boolean;
  identification_number_verification_document_needed: boolean;
  address_verification_document_needed: boolean;
};

export type JikoWebhookEvent = {
  id: string;
  type: JikoWebhookEventType;
  created_at: string;
  data: JikoWebhookEventData;
};
