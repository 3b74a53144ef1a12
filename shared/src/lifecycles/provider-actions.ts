/**
 * The provider-action lifecycle, defined once: the phases an action goes through on its way to
 * the provider, who moves it from one to the next, and what "pending" and "settled" mean. The
 * server's SQL filters, its services and its worker, and the web client, all read it from here.
 *
 *   queued ──▶ sending ──▶ done
 *     │          │  ▲
 *     │          ▼  │ (unavailable: retried with backoff)
 *     │       retrying
 *     │          │
 *     └────────▶ gave_up ──(a person retries)──▶ queued
 *
 * A phase is what the stored `state` and `gaveUp` say together: `failed` is `retrying` while the
 * worker will try again by itself, and `gave_up` once the provider refused, retries ran out or
 * the desk is not connected to the provider.
 */
import { type ProviderActionState, providerActionStates } from '../provider-actions.js';

export const providerActionPhases = ['queued', 'sending', 'retrying', 'gave_up', 'done'] as const;
export type ProviderActionPhase = (typeof providerActionPhases)[number];

/** Who moves an action: the delivery worker, or a person on the desk. */
export const providerActionMovers = ['worker', 'staff'] as const;
export type ProviderActionMover = (typeof providerActionMovers)[number];

/**
 * Where each phase may go next, and who takes it there. `sending → sending`: a worker died
 * mid-call, and the job's retry takes the action up again (with the same idempotency key).
 */
const providerActionMoves = {
  queued: { worker: ['sending', 'gave_up'], staff: [] },
  sending: { worker: ['sending', 'retrying', 'gave_up', 'done'], staff: [] },
  retrying: { worker: ['sending', 'gave_up'], staff: [] },
  gave_up: { worker: [], staff: ['queued'] },
  done: { worker: [], staff: [] },
} as const satisfies Record<ProviderActionPhase, Record<ProviderActionMover, readonly ProviderActionPhase[]>>;

/** Whether `to` may follow `from` (by `mover`, or by anyone when not given). */
export function canTransitionProviderAction(
  from: ProviderActionPhase,
  to: ProviderActionPhase,
  mover?: ProviderActionMover,
): boolean {
  const movers = mover ? [mover] : providerActionMovers;
  return movers.some((m) => (providerActionMoves[from][m] as readonly ProviderActionPhase[]).includes(to));
}

/** The phases an action can move to `to` from (by `mover`, or anyone), in lifecycle order. */
export function providerActionPhasesBefore(
  to: ProviderActionPhase,
  mover?: ProviderActionMover,
): ProviderActionPhase[] {
  return providerActionPhases.filter((from) => canTransitionProviderAction(from, to, mover));
}

type StoredAction = { state: ProviderActionState; gaveUp: boolean };

export function providerActionPhaseOf(action: StoredAction): ProviderActionPhase {
  if (action.state === 'failed') return action.gaveUp ? 'gave_up' : 'retrying';
  return action.state;
}

/** How a phase is stored (the inverse of `providerActionPhaseOf`). */
export function storedProviderAction(phase: ProviderActionPhase): StoredAction {
  switch (phase) {
    case 'retrying':
      return { state: 'failed', gaveUp: false };
    case 'gave_up':
      return { state: 'failed', gaveUp: true };
    default:
      return { state: phase, gaveUp: false };
  }
}

/** The stored states that stand for more than one phase (only there does `gaveUp` tell them apart). */
export const providerActionStatesSplitByGaveUp: readonly ProviderActionState[] = providerActionStates.filter(
  (state) => providerActionPhases.filter((phase) => storedProviderAction(phase).state === state).length > 1,
);

/** Pending: the worker still has something to do with the action by itself. */
export const pendingProviderActionPhases: readonly ProviderActionPhase[] = providerActionPhases.filter(
  (phase) => providerActionMoves[phase].worker.length > 0,
);
/** Settled: nothing happens to the action on its own any more (delivered, or given up until a person retries). */
export const settledProviderActionPhases: readonly ProviderActionPhase[] = providerActionPhases.filter(
  (phase) => !pendingProviderActionPhases.includes(phase),
);
/** In flight: pending and not waiting for a backoff (a worker has it, or takes it at once). */
export const inFlightProviderActionPhases: readonly ProviderActionPhase[] = ['queued', 'sending'];

export function isPendingProviderAction(action: StoredAction): boolean {
  return pendingProviderActionPhases.includes(providerActionPhaseOf(action));
}

export function isSettledProviderAction(action: StoredAction): boolean {
  return settledProviderActionPhases.includes(providerActionPhaseOf(action));
}

export function isInFlightProviderAction(action: StoredAction): boolean {
  return inFlightProviderActionPhases.includes(providerActionPhaseOf(action));
}

/** Failed, but the worker has not given up: it tries again by itself after its backoff. */
export function awaitsAutomaticRetry(action: StoredAction): boolean {
  return providerActionPhaseOf(action) === 'retrying';
}

/** A person may send the action again (queue it anew): only once the worker has given up on it. */
export function canRetryProviderAction(action: StoredAction): boolean {
  return canTransitionProviderAction(providerActionPhaseOf(action), 'queued', 'staff');
}

/**
 * Why a person may not send an action again (null: they may): it has not given up, or it carried
 * an RFI answer the provider refused, which would be refused again (the answer is corrected on
 * the RFI and sent as a new answer). The server refuses the retry (409) and the case page
 * disables its button for the same reasons.
 */
export type ProviderActionRetryRefusal = 'not_given_up' | 'answer_refused';

export function providerActionRetryRefusal(
  action: StoredAction & { answerRefused: boolean },
): ProviderActionRetryRefusal | null {
  if (!canRetryProviderAction(action)) return 'not_given_up';
  return action.answerRefused ? 'answer_refused' : null;
}

export const refusedAnswerRetryMessage =
  'The provider refused this RFI answer; sending it again would be refused again. Correct the answer on the RFI and send it as a new answer';
