/**
 * The workers: deliver provider actions and apply stored webhooks. They run inside the API
 * process by default and on their own with `pnpm worker`; any number of them may share the
 * database, as pg-boss hands each job to one worker at a time.
 */
import type PgBoss from 'pg-boss';
import { deliverProviderAction, type WorkerContext } from '../provider-actions/provider-action.worker.js';
import { applyWebhook } from '../webhooks/webhook.service.js';
import { queues, type JobQueue, type ProviderActionJob, type WebhookApplyJob } from './job-queue.js';

const workOptions = { includeMetadata: true, pollingIntervalSeconds: 0.5, batchSize: 1 } as const;

export async function startWorkers(jobs: JobQueue, ctx: WorkerContext): Promise<void> {
  await jobs.boss.work<ProviderActionJob>(queues.providerAction, workOptions, async ([job]: PgBoss.JobWithMetadata<ProviderActionJob>[]) => {
    if (!job) return;
    await deliverProviderAction(ctx, job.data.actionId, { isLast: job.retryCount >= job.retryLimit });
  });
  await jobs.boss.work<WebhookApplyJob>(queues.webhookApply, workOptions, async ([job]: PgBoss.JobWithMetadata<WebhookApplyJob>[]) => {
    if (!job) return;
    await applyWebhook(ctx, job.data.inboxId, { isLast: job.retryCount >= job.retryLimit });
  });
}
