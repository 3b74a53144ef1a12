/**
 * The workers: deliver intakes and provider actions and apply stored webhooks. They run inside the API
 * process by default and on their own with `pnpm worker`; any number of them may share the
 * database, as pg-boss hands each job to one worker at a time.
 */
import type { JobWithMetadata } from 'pg-boss';
import { deliverIntake } from '../intake/intake.service.js';
import { deliverProviderAction, type WorkerContext } from '../provider-actions/provider-action.worker.js';
import { reconcileStaleApplications } from '../provider-actions/reconcile.js';
import { startWebhookApplier } from '../webhooks/webhook-queue.js';
import { type IntakeJob, type JobQueue, type ProviderActionJob, queues } from './job-queue.js';

const workOptions = { includeMetadata: true, pollingIntervalSeconds: 0.5, batchSize: 1 } as const;
export type WorkerOptions = {
  /** How often stale open applications are read from their provider; 0 turns polling off. */
  reconcileEverySeconds: number;
  /** An application not heard about for this long is stale. */
  staleAfterSeconds: number;
};

/** Starts the workers; returns a function that stops what polls (the webhook inbox, the reconcile timer). */
export async function startWorkers(
  jobs: JobQueue,
  ctx: WorkerContext,
  options: WorkerOptions,
): Promise<() => Promise<void>> {
  await jobs.boss.work<ProviderActionJob, void, typeof workOptions>(
    queues.providerAction,
    workOptions,
    async ([job]: JobWithMetadata<ProviderActionJob>[]) => {
      if (!job) return;
      await deliverProviderAction(ctx, job.data.actionId, { isLast: job.retryCount >= job.retryLimit });
    },
  );
  await jobs.boss.work<IntakeJob, void, typeof workOptions>(
    queues.intake,
    workOptions,
    async ([job]: JobWithMetadata<IntakeJob>[]) => {
      if (!job) return;
      const result = await deliverIntake({ ...ctx, jobs }, job.data.intakeId, {
        isLast: job.retryCount >= job.retryLimit,
      });
      // Held by another attempt (the request's own, say): come back once its lease may have run out.
      if (result.kind === 'busy') throw new Error(`intake ${job.data.intakeId} is being delivered by another attempt`);
      if (result.kind === 'failed' && !result.final) throw result.error; // the queue retries with backoff
    },
  );
  let stopReconcile = (): void => undefined;
  if (options.reconcileEverySeconds > 0) {
    await jobs.boss.work(queues.reconcile, workOptions, async () => {
      const result = await reconcileStaleApplications(ctx, {
        staleAfterMs: options.staleAfterSeconds * 1000,
        batchSize: 25,
      });
      if (result.changed > 0) ctx.logger.info(result, 'reconcile: applications brought up to date');
    });
    // Every worker asks; the singleton key lets one run through per period.
    const timer = setInterval(() => {
      jobs
        .requestReconcile(options.reconcileEverySeconds)
        .catch((err: unknown) => ctx.logger.warn({ err }, 'reconcile: could not enqueue'));
    }, options.reconcileEverySeconds * 1000);
    timer.unref();
    stopReconcile = () => clearInterval(timer);
  }
  // Stored webhooks are taken from the inbox itself (webhooks/webhook-queue.ts), not from a job;
  // started last, so that nothing above failing leaves it running. On the embedded database one
  // connection serves everything: applying side by side gains nothing.
  const webhooks = startWebhookApplier(ctx, { leaseSeconds: jobs.expireInSeconds, oneAtATime: jobs.embedded });
  return () => {
    stopReconcile();
    return webhooks.stop();
  };
}
