/**
 * The sandbox's background loop, in two independent lanes so that a slow webhook receiver
 * never holds up reviews (nor a slow image host deliveries):
 *
 *   reviews     UNDER_REVIEW customers whose review is due (claimed with a lease)
 *   deliveries  webhook events whose next attempt is due (claimed with a lease)
 *
 * Each lane polls every 250 ms and can be woken early: the router wakes reviews when one will
 * be due and deliveries when an event was raised. A lane never runs twice at once in a
 * process; across processes the database's row locks keep work from being done twice.
 * `stop()` stops polling and waits for the work in flight.
 */
import type { Logger } from '../../logger.js';

/** A unit of background work; resolves true when there is more to do right away. */
type LaneWork = () => Promise<boolean>;

const pollMs = 250;

class Lane {
  private running: Promise<void> | null = null;
  private rerun = false;
  private active = false;
  private poll: NodeJS.Timeout | null = null;
  private readonly wakeTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly name: string,
    private readonly work: LaneWork,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.active) return;
    this.active = true;
    this.poll = setInterval(() => this.kick(), pollMs);
    this.poll.unref();
    this.kick();
  }

  /** Runs the lane after `delayMs` (now when 0), unless stopped by then. */
  wakeIn(delayMs: number): void {
    if (!this.active) return;
    if (delayMs <= 0) {
      this.kick();
      return;
    }
    const timer = setTimeout(() => {
      this.wakeTimers.delete(timer);
      this.kick();
    }, delayMs);
    timer.unref();
    this.wakeTimers.add(timer);
  }

  async stop(): Promise<void> {
    this.active = false;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    for (const timer of this.wakeTimers) clearTimeout(timer);
    this.wakeTimers.clear();
    await this.running;
  }

  private kick(): void {
    if (!this.active) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.rerun) {
        this.rerun = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.active && (await this.work()));
    } catch (err) {
      this.logger.error({ err, lane: this.name }, 'kyc sandbox: background work failed; retrying on the next poll');
    }
  }
}

export type KycSandboxWorker = {
  start(): void;
  stop(): Promise<void>;
  /** A review will be due in `delayMs`. */
  reviewDueIn(delayMs: number): void;
  /** A webhook event was raised. */
  eventRaised(): void;
};

export function createKycSandboxWorker(work: { reviews: LaneWork; deliveries: LaneWork }, logger: Logger): KycSandboxWorker {
  const reviews = new Lane('reviews', work.reviews, logger);
  const deliveries = new Lane('deliveries', work.deliveries, logger);
  return {
    start() {
      reviews.start();
      deliveries.start();
    },
    async stop() {
      await Promise.all([reviews.stop(), deliveries.stop()]);
    },
    reviewDueIn(delayMs) {
      // A few milliseconds late, so the database's clock has certainly reached the due time.
      reviews.wakeIn(delayMs + 5);
    },
    eventRaised() {
      deliveries.wakeIn(0);
    },
  };
}
