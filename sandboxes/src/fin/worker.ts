/**
 * The sandbox's background loop (shared/sandbox-worker.ts), in three independent lanes:
 *
 *   decisions    queued attaches and REVIEWING customers that are due (batches, SKIP LOCKED)
 *   deliveries   webhook events whose next attempt is due (claimed with a lease)
 *   housekeeping forgets delivered webhook events older than a week, hourly
 */
import type { Logger } from '@desk/server';
import {
  createSandboxWorker as createSharedWorker,
  type SandboxLanes,
  type SandboxWorker,
} from '../shared/sandbox-worker.js';

export function createSandboxWorker(work: Required<SandboxLanes>, logger: Logger): SandboxWorker {
  return createSharedWorker(work, { provider: 'fin', decisionsLane: 'decisions', housekeepingMs: 3_600_000, logger });
}
