/**
 * The workers: deliver provider actions and apply stored webhooks. They run inside the API
 * process by default and on their own with `pnpm worker`; any number of them may share the
 * database, as pg-boss hands each job to one worker at a time.
 */
import type { JobWithMetadata } from 'pg-boss';
import { deliverProviderAction, type WorkerContext } from '../provider-actions/provider-action.worker.js';
import { reconcileStaleApplications } from '../provider-actions/reconcile.js';
import { applyWebhook } from '../webhooks/webhook.service.js';
import { type JobQueue, type ProviderActionJob, queues, type WebhookApplyJob } from './job-queue.js';

const workOptions = { includeMetadata: true, pollingIntervalSeconds: 0.5, batchSize: 1 } as const;

export type WorkerOptions = {
  /** How often stale open applications are read from their provider; 0 turns polling off. */
  reconcileEverySeconds: number;
  /** An application not heard about for this long is stale. */
  staleAfterSeconds: number;
};

/** Starts the workers; returns a function that stops the polling timer. */
export async function startWorkers(jobs: JobQueue, ctx: WorkerContext, options: WorkerOptions): Promise<() => void> {
  await jobs.boss.work<ProviderActionJob, void, typeof workOptions>(
    queues.providerAction,
    workOptions,
    async ([job]: JobWithMetadata<ProviderActionJob>[]) => {
      if (!job) return;
      await deliverProviderAction(ctx, job.data.actionId, { isLast: job.retryCount >= job.retryLimit });
    },
  );
  await jobs.boss.work<WebhookApplyJob, void, typeof workOptions>(
    queues.webhookApply,
    workOptions,
    async ([job]: JobWithMetadata<WebhookApplyJob>[]) => {
      if (!job) return;
      await applyWebhook(ctx, job.data.inboxId, { isLast: job.retryCount >= job.retryLimit });
    },
  );
  if (options.reconcileEverySeconds <= 0) return () => undefined;
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
  return () => clearInterval(timer);
}
