/**
 * Metrics observed where things happen (not read from the database at scrape time), shared by
 * every desk in the process: how long webhooks waited between arrival and being applied.
 */
import { Histogram, Registry } from 'prom-client';

export const processMetrics = new Registry();

export const webhookApplyLag = new Histogram({
  name: 'desk_webhook_apply_lag_seconds',
  help: 'Time from a provider webhook arriving to its change being applied',
  labelNames: ['provider'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
  registers: [processMetrics],
});
