/**
 * The sandbox's background loop (shared/sandbox-worker.ts), in three independent lanes:
 *
 *   decisions    SUBMITTED applications whose decision is due (batches, SKIP LOCKED)
 *   deliveries   webhook events whose next attempt is due (claimed with a lease)
 *   housekeeping forgets expired tokens and idempotency keys, once a minute
 */
import type { Logger } from '@desk/server';
import {
  createSandboxWorker as createSharedWorker,
  type SandboxLanes,
  type SandboxWorker,
} from '../shared/sandbox-worker.js';

export function createSandboxWorker(work: Required<SandboxLanes>, logger: Logger): SandboxWorker {
  return createSharedWorker(work, { provider: 'jiko', decisionsLane: 'decisions', housekeepingMs: 60_000, logger });
}
