/**
 * The sandbox's background loop, in three independent lanes so that a slow webhook receiver
 * never holds up decisions:
 *
 *   decisions    queued attaches and REVIEWING customers that are due (batches, SKIP LOCKED)
 *   deliveries   webhook events whose next attempt is due (claimed with a lease)
 *   housekeeping forgets delivered webhook events older than a week, hourly
 *
 * Each lane polls (every 250 ms; an hour for housekeeping) and can be woken early: the
 * router wakes decisions when one will be due and deliveries when an event was raised. A
 * lane never runs twice at once in a process; across processes the database's row locks
 * keep work from being done twice. `stop()` stops polling and waits for the work in flight.
 */
import type { Logger } from '../../logger.js';

/** A unit of background work; resolves true when there is more to do right away. */
type LaneWork = () => Promise<boolean>;

class Lane {
  private running: Promise<void> | null = null;
  private rerun = false;
  private active = false;
  private poll: NodeJS.Timeout | null = null;
  private readonly wakeTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly name: string,
    private readonly work: LaneWork,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.active) return;
    this.active = true;
    this.poll = setInterval(() => this.kick(), this.pollMs);
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
      this.logger.error({ err, lane: this.name }, 'fin sandbox: background work failed; retrying on the next poll');
    }
  }
}

export type SandboxWorker = {
  start(): void;
  stop(): Promise<void>;
  /** A decision will be due in `delayMs`. */
  decisionDueIn(delayMs: number): void;
  /** A webhook event was raised. */
  eventRaised(): void;
};

export function createSandboxWorker(
  work: { decisions: LaneWork; deliveries: LaneWork; housekeeping: LaneWork },
  logger: Logger,
): SandboxWorker {
  const decisions = new Lane('decisions', work.decisions, 250, logger);
  const deliveries = new Lane('deliveries', work.deliveries, 250, logger);
  const housekeeping = new Lane('housekeeping', work.housekeeping, 3_600_000, logger);
  const lanes = [decisions, deliveries, housekeeping];
  return {
    start() {
      for (const lane of lanes) lane.start();
    },
    async stop() {
      await Promise.all(lanes.map((lane) => lane.stop()));
    },
    decisionDueIn(delayMs) {
      // A few milliseconds late, so the database's clock has certainly reached the due time.
      decisions.wakeIn(delayMs + 5);
    },
    eventRaised() {
      deliveries.wakeIn(0);
    },
  };
}
