/**
 * The workers: deliver intakes and provider actions and apply stored webhooks. They run inside the API
 * process by default and on their own with `pnpm worker`; any number of them may share the
 * database, as pg-boss hands each job to one worker at a time.
 */
import type { JobResult, JobWithMetadata } from 'pg-boss';
import { deliverIntake } from '../intake/intake.service.js';
import { deliverProviderAction, type WorkerContext } from '../provider-actions/provider-action.worker.js';
import { reconcileStaleApplications } from '../provider-actions/reconcile.js';
import { applyWebhook, webhookGroups } from '../webhooks/webhook.service.js';
import { type IntakeJob, type JobQueue, type ProviderActionJob, queues, type WebhookApplyJob } from './job-queue.js';

const workOptions = { includeMetadata: true, pollingIntervalSeconds: 0.5, batchSize: 1 } as const;
/**
 * Webhooks come in bursts, and one job per poll would hold a worker to two events a second
 * (pg-boss waits out the polling interval after each fetch). A worker takes up to a batch, applies
 * its events side by side, and fetches again at once while batches come back full; each job still
 * settles on its own, so one that fails is retried alone. Events about one application in a batch
 * are applied together, with one read of the provider (each application reads the provider's
 * current state, so applying them one after another would end in the same place).
 */
const webhookWorkOptions = { ...workOptions, batchSize: 20, burstWhenBatchFull: true, perJobResults: true } as const;

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
  if (jobs.embedded) {
    // One connection serves everything there: applying side by side would gain nothing.
    await jobs.boss.work<WebhookApplyJob, void, typeof workOptions>(
      queues.webhookApply,
      workOptions,
      async ([job]: JobWithMetadata<WebhookApplyJob>[]) => {
        if (!job) return;
        await applyWebhook(ctx, job.data.inboxId, { isLast: job.retryCount >= job.retryLimit });
      },
    );
  } else {
    await jobs.boss.work<WebhookApplyJob, void, typeof webhookWorkOptions>(
      queues.webhookApply,
      webhookWorkOptions,
      async (batch: JobWithMetadata<WebhookApplyJob>[]): Promise<JobResult[]> => {
        // Events about one application share one provider read (see `applyWebhook`).
        const jobOf = new Map(batch.map((job) => [job.data.inboxId, job]));
        const groups = await webhookGroups(
          ctx.db,
          batch.map((job) => job.data.inboxId),
        );
        const outcomes = await Promise.allSettled(
          groups.map((ids) =>
            applyWebhook(ctx, ids, {
              isLast: ids.some((id) => {
                const job = jobOf.get(id);
                return job !== undefined && job.retryCount >= job.retryLimit;
              }),
            }),
          ),
        );
        const outcomeOf = new Map(groups.flatMap((ids, k) => ids.map((id) => [id, outcomes[k]] as const)));
        return batch.map((job) => {
          const outcome = outcomeOf.get(job.data.inboxId);
          if (outcome?.status === 'fulfilled') return { id: job.id, status: 'completed' };
          const reason: unknown = outcome?.reason;
          return {
            id: job.id,
            status: 'failed',
            output: { message: reason instanceof Error ? reason.message : String(reason) },
          };
        });
      },
    );
  }
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
