/**
 * The background loop shared by the built-in sandboxes, in independent lanes so that a slow
 * webhook receiver never holds up the sandbox's own work:
 *
 *   decisions    the sandbox's due work (batches, SKIP LOCKED)
 *   deliveries   webhook events whose next attempt is due (claimed with a lease)
 *   housekeeping optional; forgets what the sandbox no longer needs, every `housekeepingMs`
 *
 * Decisions and deliveries poll every 250 ms and can be woken early: the router wakes
 * decisions when one will be due and deliveries when an event was raised. A lane never runs
 * twice at once in a process; across processes the database's row locks keep work from being
 * done twice. `stop()` stops polling and waits for the work in flight.
 */
import type { Logger } from '@desk/server';

/** A unit of background work; resolves true when there is more to do right away. */
export type LaneWork = () => Promise<boolean>;

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
    private readonly pollMs: number,
    private readonly provider: string,
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
      this.logger.error(
        { err, lane: this.name },
        `${this.provider} sandbox: background work failed; retrying on the next poll`,
      );
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

export type SandboxWorkerOptions = {
  /** Names the sandbox in log lines. */
  provider: string;
  /** The name the decisions lane carries in log lines. */
  decisionsLane: string;
  /** How often housekeeping runs, for a sandbox that has housekeeping. */
  housekeepingMs?: number;
  logger: Logger;
};

export type SandboxLanes = { decisions: LaneWork; deliveries: LaneWork; housekeeping?: LaneWork };

export function createSandboxWorker(work: SandboxLanes, options: SandboxWorkerOptions): SandboxWorker {
  const lane = (name: string, laneWork: LaneWork, everyMs: number) =>
    new Lane(name, laneWork, everyMs, options.provider, options.logger);
  const decisions = lane(options.decisionsLane, work.decisions, pollMs);
  const deliveries = lane('deliveries', work.deliveries, pollMs);
  const lanes = [decisions, deliveries];
  if (work.housekeeping) lanes.push(lane('housekeeping', work.housekeeping, options.housekeepingMs ?? 60_000));
  return {
    start() {
      for (const each of lanes) each.start();
    },
    async stop() {
      await Promise.all(lanes.map((each) => each.stop()));
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
