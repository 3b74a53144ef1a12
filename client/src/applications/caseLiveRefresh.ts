/**
 * When the case page keeps itself up to date. Changes made elsewhere (a provider's webhook, a
 * colleague) are pushed by the desk (see the end of this file). Provider actions are delivered
 * by a worker and the provider's answer (and, where the provider sends them, a webhook a little
 * later) changes the case, so while something is on its way the page re-reads that one case
 * every second, and stops once nothing is.
 */
import {
  type ApplicationDetail,
  awaitsAutomaticRetry as awaitsRetry,
  type CaseEvent,
  isInFlightProviderAction,
  type ProviderAction,
} from '@desk/shared';

/** Re-read every second while something is moving. */
export const liveIntervalMs = 1_000;
/** Keep watching this long after the last action finished: webhooks follow the provider's answer. */
export const settleMs = 5_000;
/** A failed action the worker will retry on its own: check now and then. */
export const awaitingRetryIntervalMs = 5_000;

/** Queued or being sent right now (the provider-action lifecycle's "in flight"). */
export function isInFlight(action: ProviderAction): boolean {
  return isInFlightProviderAction(action);
}

/** Failed, but the worker has not given up: it will try again by itself. */
export function awaitsAutomaticRetry(action: ProviderAction): boolean {
  return awaitsRetry(action);
}

/** Something is on its way to the provider, or the provider is reviewing the application (any provider). */
export function isCaseBusy(detail: ApplicationDetail): boolean {
  return detail.stage === 'provider_review' || detail.providerActions.some(isInFlight);
}

/** An action finished within the settle window (by the server's clock). */
export function finishedRecently(detail: ApplicationDetail, now: number): boolean {
  return detail.providerActions.some((action) => {
    if (action.completedAt === null && action.state !== 'failed') return false;
    const at = Date.parse(action.completedAt ?? action.updatedAt);
    return Number.isFinite(at) && now - at < settleMs;
  });
}

/**
 * How soon to re-read the case, or false to stop. `settleUntil` is the end of the settle
 * window the page itself opened when it last saw the case busy, so a clock difference with
 * the server cannot cut the window short.
 */
export function refetchDelay(detail: ApplicationDetail, now: number, settleUntil: number): number | false {
  if (isCaseBusy(detail) || now < settleUntil || finishedRecently(detail, now)) return liveIntervalMs;
  if (detail.providerActions.some(awaitsAutomaticRetry)) return awaitingRetryIntervalMs;
  return false;
}

/** True while the page re-reads the case on its own (for showing it, not for scheduling). */
export function isCaseLive(detail: ApplicationDetail, now: number): boolean {
  return refetchDelay(detail, now, 0) !== false;
}

/**
 * Besides its own actions, the page follows what others do to the case: the desk pushes every
 * change (see live/caseEventStream.ts), and the page re-reads the case when one is about it.
 */
export function isChangeTo(event: CaseEvent, applicationId: string): boolean {
  return event.applicationId === applicationId;
}

/**
 * Whether the page says who changed what: a colleague's or a provider's change, not the
 * viewer's own (whose result the page already shows).
 */
export function isSomeoneElsesChange(event: CaseEvent, viewerStaffId: string | null): boolean {
  return event.by.staffId === null || event.by.staffId !== viewerStaffId;
}
