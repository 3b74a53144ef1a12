/**
 * The RFI lifecycle, defined once: which status may follow which, what "open" and "answerable"
 * mean, and who may close an RFI when. The server's SQL filters and services and the web
 * client all read it from here.
 *
 *   open ──answer──▶ answered ──close──▶ closed
 *     └───────────────close─────────────────┘
 *
 * Staff close an internal RFI at any time, and a provider's RFI once it is answered (until
 * then the provider is waiting for the answer). A provider closes its own RFIs by no longer
 * reporting them, whatever their status.
 */
import { type RfiOrigin, type RfiStatus, rfiStatuses } from '../rfis.js';

/** Where each status may go next. */
const rfiMoves = {
  open: ['answered', 'closed'],
  answered: ['closed'],
  closed: [],
} as const satisfies Record<RfiStatus, readonly RfiStatus[]>;

export function canTransitionRfi(from: RfiStatus, to: RfiStatus): boolean {
  const next: readonly RfiStatus[] = rfiMoves[from];
  return next.includes(to);
}

/** The statuses an RFI can move to `to` from, in the contract's order. */
export function rfiStatusesBefore(to: RfiStatus): RfiStatus[] {
  return rfiStatuses.filter((from) => canTransitionRfi(from, to));
}

/** An RFI that is not over yet: it can still be closed. */
export const openRfiStatuses: readonly RfiStatus[] = rfiStatusesBefore('closed');
export function isOpenRfi(status: RfiStatus): boolean {
  return openRfiStatuses.includes(status);
}

/** An RFI that takes an answer: the one that is waiting for it, and can be overdue. */
export const answerableRfiStatuses: readonly RfiStatus[] = rfiStatusesBefore('answered');
export function isAnswerableRfi(status: RfiStatus): boolean {
  return answerableRfiStatuses.includes(status);
}

/** Open and past its due time: only an RFI still waiting for its answer is late. */
export function isOverdueRfi(rfi: { status: RfiStatus; dueAt: Date }, now: Date): boolean {
  return isAnswerableRfi(rfi.status) && rfi.dueAt.getTime() < now.getTime();
}

/** A provider's RFI that has been answered and waits for the provider to review the answer. */
export function awaitsProviderReview(rfi: { origin: RfiOrigin; status: RfiStatus }): boolean {
  return rfi.origin === 'provider' && isOpenRfi(rfi.status) && !isAnswerableRfi(rfi.status);
}

/** Who closes an RFI: a person on the desk, or the provider (by no longer reporting it). */
export const rfiClosers = ['staff', 'provider'] as const;
export type RfiCloser = (typeof rfiClosers)[number];

/** Why an RFI cannot be closed by someone. */
export const rfiCloseRefusals = ['already_closed', 'awaiting_answer', 'not_the_providers'] as const;
export type RfiCloseRefusal = (typeof rfiCloseRefusals)[number];

/** Why `closer` may not close this RFI now, or null when it may. */
export function rfiCloseRefusal(
  rfi: { origin: RfiOrigin; status: RfiStatus },
  closer: RfiCloser,
): RfiCloseRefusal | null {
  if (!canTransitionRfi(rfi.status, 'closed')) return 'already_closed';
  if (closer === 'provider') return rfi.origin === 'provider' ? null : 'not_the_providers';
  // The provider is waiting for the answer: it closes the RFI itself once it has moved on.
  if (rfi.origin === 'provider' && isAnswerableRfi(rfi.status)) return 'awaiting_answer';
  return null;
}

/** The statuses from which `closer` may close an RFI of this origin (for a SQL filter). */
export function rfiStatusesClosableBy(closer: RfiCloser, origin: RfiOrigin): RfiStatus[] {
  return rfiStatuses.filter((status) => rfiCloseRefusal({ origin, status }, closer) === null);
}
