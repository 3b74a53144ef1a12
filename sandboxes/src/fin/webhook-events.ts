/**
 * The webhook events the sandbox raises. `customer.created` and `customer.status` are the
 * guide's; it names no event for RFIs, so the sandbox adds `customer.rfi.created` (raised
 * with ON_HOLD, carrying the RFI) and `customer.rfi.answered`. Every event is
 * `{ id, type, created_at, data }`, signed as signing.ts says.
 *
 *   customer.created       data: { customer_id, status, verification_type }
 *   customer.status        data: { customer_id, status, previous_status, rejection_reason,
 *                                  required_actions, rfi_id }
 *   customer.rfi.*         data: { customer_id, rfi }
 */
import type { FinStatus } from '@desk/shared';
import type { FinRfi, RequiredAction } from './wire.js';

export const finWebhookEventTypes = [
  'customer.created',
  'customer.status',
  'customer.rfi.created',
  'customer.rfi.answered',
] as const;
export type FinWebhookEventType = (typeof finWebhookEventTypes)[number];

export type FinStatusEventData = {
  customer_id: string;
  status: FinStatus;
  previous_status: FinStatus | null;
  rejection_reason: string | null;
  required_actions: RequiredAction[] | null;
  rfi_id: string | null;
};

export type FinWebhookEventData =
  | { customer_id: string; status: FinStatus; verification_type: string }
  | FinStatusEventData
  | { customer_id: string; rfi: FinRfi };

export type FinWebhookEvent = {
  id: string;
  type: FinWebhookEventType;
  created_at: string;
  data: FinWebhookEventData;
};
