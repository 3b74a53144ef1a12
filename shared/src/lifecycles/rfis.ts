/**
 * The RFI lifecycle, defined once: which status may follow which, what "open" and "answerable"
 * mean, and who may close an RFI when. The server's SQL filters and services and the web
 * client all read it from here.
 *
 *   open ──answer──▶ answered ──close──▶ closed
 *     │               │    ▲
 *     │        refuse │    │ answer again (a new version)
 *     │               ▼    │
 *     │             refused ──close──▶ closed
 *     └────────────────close──────────▶ closed
 *
 * `refused`: the provider refused the answer delivered to it (a 4xx); its RFI is still open
 * and waits for a corrected answer. Staff close an internal RFI at any time, never a
 * provider's: the provider's RFI stays open until the provider is satisfied, and the provider
 * closes it by no longer reporting it, whatever its status.
 */
import { type RfiOrigin, type RfiStatus, rfiStatuses } from '../rfis.js';

/** Where each status may go next. */
const rfiMoves = {
  open: ['answered', 'closed'],
  answered: ['refused', 'closed'],
  refused: ['answered', 'closed'],
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

/** An RFI that takes an answer (a first one, or a correction of a refused one): it waits for it, and can be overdue. */
export const answerableRfiStatuses: readonly RfiStatus[] = rfiStatusesBefore('answered');
export function isAnswerableRfi(status: RfiStatus): boolean {
  return answerableRfiStatuses.includes(status);
}

/** Open and past its due time: only an RFI still waiting for its answer is late. */
export function isOverdueRfi(rfi: { status: RfiStatus; dueAt: Date }, now: Date): boolean {
  return isAnswerableRfi(rfi.status) && rfi.dueAt.getTime() < now.getTime();
}

/** A provider's RFI that has been answered and waits for the provider to take or refuse the answer. */
export function awaitsProviderReview(rfi: { origin: RfiOrigin; status: RfiStatus }): boolean {
  return rfi.origin === 'provider' && isOpenRfi(rfi.status) && !isAnswerableRfi(rfi.status);
}

/** Who closes an RFI: a person on the desk, or the provider (by no longer reporting it). */
export const rfiClosers = ['staff', 'provider'] as const;
export type RfiCloser = (typeof rfiClosers)[number];

/** A provider's RFI whose answer the provider refused: it waits for a corrected answer. */
export function isRefusedRfi(rfi: { status: RfiStatus }): boolean {
  return rfi.status === 'refused';
}

/**
 * Why an RFI cannot be closed by someone: closed already; the provider waits for an answer
 * (or a corrected one); the provider has the answer and has not moved on yet; an internal RFI
 * is not the provider's.
 */
export const rfiCloseRefusals = [
  'already_closed',
  'awaiting_answer',
  'awaiting_provider',
  'not_the_providers',
] as const;
export type RfiCloseRefusal = (typeof rfiCloseRefusals)[number];

/** Why `closer` may not close this RFI now, or null when it may. */
export function rfiCloseRefusal(
  rfi: { origin: RfiOrigin; status: RfiStatus },
  closer: RfiCloser,
): RfiCloseRefusal | null {
  if (!canTransitionRfi(rfi.status, 'closed')) return 'already_closed';
  if (closer === 'provider') return rfi.origin === 'provider' ? null : 'not_the_providers';
  // The provider's RFI is open at the provider until it is satisfied; it closes it by moving on.
  if (rfi.origin === 'provider') return isAnswerableRfi(rfi.status) ? 'awaiting_answer' : 'awaiting_provider';
  return null;
}

/** What staff are told when they may not close an RFI (`provider`: the provider's name). */
export function rfiCloseRefusalMessage(refusal: RfiCloseRefusal, provider: string): string {
  switch (refusal) {
    case 'already_closed':
      return 'The RFI is already closed';
    case 'awaiting_answer':
      return `${provider}'s RFI is still open: ${provider} is waiting for an answer it accepts. Answer it (or correct the refused answer); ${provider} closes the RFI when it moves on`;
    case 'awaiting_provider':
      return `${provider}'s RFI is still open: the answer is with ${provider}, which closes the RFI once it accepts the answer`;
    case 'not_the_providers':
      return "The RFI is not the provider's to close";
  }
}

/** The statuses from which `closer` may close an RFI of this origin (for a SQL filter). */
export function rfiStatusesClosableBy(closer: RfiCloser, origin: RfiOrigin): RfiStatus[] {
  return rfiStatuses.filter((status) => rfiCloseRefusal({ origin, status }, closer) === null);
}
