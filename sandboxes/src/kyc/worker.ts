/**
 * The sandbox's background loop (shared/sandbox-worker.ts), in two independent lanes so that
 * a slow webhook receiver never holds up reviews (nor a slow image host deliveries):
 *
 *   reviews     UNDER_REVIEW customers whose review is due (claimed with a lease)
 *   deliveries  webhook events whose next attempt is due (claimed with a lease)
 *
 * The router wakes reviews when one will be due and deliveries when an event was raised.
 */
import type { Logger } from '@desk/server';
import { createSandboxWorker, type LaneWork } from '../shared/sandbox-worker.js';

export type KycSandboxWorker = {
  start(): void;
  stop(): Promise<void>;
  /** A review will be due in `delayMs`. */
  reviewDueIn(delayMs: number): void;
  /** A webhook event was raised. */
  eventRaised(): void;
};

export function createKycSandboxWorker(
  work: { reviews: LaneWork; deliveries: LaneWork },
  logger: Logger,
): KycSandboxWorker {
  const worker = createSandboxWorker(
    { decisions: work.reviews, deliveries: work.deliveries },
    { provider: 'kyc', decisionsLane: 'reviews', logger },
  );
  return {
    start: () => worker.start(),
    stop: () => worker.stop(),
    reviewDueIn: (delayMs) => worker.decisionDueIn(delayMs),
    eventRaised: () => worker.eventRaised(),
  };
}
