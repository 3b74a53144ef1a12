/**
 * `/metrics` in Prometheus text format: request latency per route (the route pattern from the
 * permission table, so ids do not explode the label set; event streams are not requests that
 * end, and are left out), queue depth per stage and provider,
 * the job queue's depth and failures per queue, provider actions that gave up, webhooks not yet
 * applied and the age of the oldest, signed webhooks rejected for their content, and the
 * webhook apply lag. Database figures are read at
 * scrape time with a few grouped counts.
 */

import { type RouteName, routes, storedProviderAction } from '@desk/shared';
import type { RequestHandler } from 'express';
import { type Kysely, sql } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { countsByStageProvider } from '../dashboard/counters.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { RouteHandlers } from '../http/route-handler.js';
import { sameSecret } from '../http/secrets.js';
import type { Logger } from '../logger.js';
import { processMetrics } from './process-metrics.js';

export type DeskMetrics = { observeRequests: RequestHandler; handlers: Pick<RouteHandlers, 'getMetrics'> };

/** How an action that gave up is stored, as the provider-action lifecycle says. */
const gaveUpAction = storedProviderAction('gave_up');

/** The route pattern from the route table, so ids do not explode the label set. */
function routeLabel(routeName: RouteName | undefined, path: string): string {
  if (routeName) return routes[routeName].path;
  if (path.startsWith('/sandbox/')) return '/sandbox/*';
  return path.startsWith('/api/') ? 'unknown' : 'spa';
}

/** Whether an answer is a Server-Sent Events stream (`GET /api/events`). */
function isEventStream(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'text/event-stream';
}

export function createMetrics(
  db: Kysely<Database>,
  logger: Logger,
  options: { token?: string | null } = {},
): DeskMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'desk_process_' });

  const latency = new Histogram({
    name: 'desk_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const queueDepth = new Gauge({
    name: 'desk_queue_depth',
    help: 'Applications per stage and provider',
    labelNames: ['stage', 'provider'] as const,
    registers: [registry],
  });
  const jobs = new Gauge({
    name: 'desk_jobs',
    help: 'Background jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  });
  const gaveUp = new Gauge({
    name: 'desk_provider_actions_gave_up',
    help: 'Provider actions that failed for good and wait for a person',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const unapplied = new Gauge({
    name: 'desk_webhooks_unapplied',
    help: 'Webhooks received and not yet applied',
    registers: [registry],
  });
  const givenUpWebhooks = new Gauge({
    name: 'desk_webhooks_given_up',
    help: 'Webhooks not applied after their last try (left for the reconcile pass; counted among the unapplied)',
    registers: [registry],
  });
  const oldestUnapplied = new Gauge({
    name: 'desk_webhook_oldest_unapplied_age_seconds',
    help: 'Age of the oldest webhook not yet applied (0 when none)',
    registers: [registry],
  });
  // Read from `webhook_rejections` at scrape time, so every desk and worker process reports the
  // same total; rows are only ever added, so it only ever grows.
  const rejectedWebhooks = new Counter({
    name: 'desk_webhooks_rejected_total',
    help: 'Webhooks with a valid signature whose content the desk could not take (kept, never applied), by provider and reason',
    labelNames: ['provider', 'reason'] as const,
    registers: [registry],
  });

  async function refresh(): Promise<void> {
    const [stages, jobRows, actions, inbox, rejections] = await Promise.all([
      // From the counters the writes keep (a scan of every application per scrape otherwise).
      countsByStageProvider(db),
      sql<{
        name: string;
        state: string;
        n: number;
      }>`SELECT name, state::text AS state, count(*)::int AS n FROM pgboss.job GROUP BY 1, 2`
        .execute(db)
        .then((r) => r.rows)
        .catch((err: unknown) => {
          logger.warn({ err }, 'job counts unavailable');
          return [];
        }),
      db
        .selectFrom('provider_actions')
        .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
        .where('state', '=', gaveUpAction.state)
        .where('gave_up', '=', gaveUpAction.gaveUp)
        .groupBy('kind')
        .execute(),
      db
        .selectFrom('webhook_inbox')
        .select([
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.min('received_at').as('oldest'),
          (eb) => eb.fn.countAll<number>().filterWhere('next_attempt_at', '=', sql<Date>`'infinity'`).as('given_up'),
        ])
        .where('applied_at', 'is', null)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('webhook_rejections')
        .select(['provider', 'reason', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['provider', 'reason'])
        .execute(),
    ]);
    queueDepth.reset();
    for (const r of stages) queueDepth.set({ stage: r.stage, provider: r.provider }, r.count);
    jobs.reset();
    for (const r of jobRows) jobs.set({ queue: r.name, state: r.state }, Number(r.n));
    gaveUp.reset();
    for (const r of actions) gaveUp.set({ kind: r.kind }, Number(r.n));
    unapplied.set(Number(inbox.n));
    givenUpWebhooks.set(Number(inbox.given_up));
    const oldest = inbox.oldest ? new Date(inbox.oldest) : null;
    oldestUnapplied.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
    rejectedWebhooks.reset();
    for (const r of rejections) rejectedWebhooks.inc({ provider: r.provider, reason: r.reason }, Number(r.n));
  }

  const observeRequests: RequestHandler = (req, res, next) => {
    const end = latency.startTimer();
    res.on('finish', () => {
      // An event stream lasts as long as its tab stays open: its length is no request's latency.
      // (A refusal to open one, answered at once, is a request like any other.)
      if (isEventStream(res.get('content-type'))) return;
      end({
        method: req.method,
        route: routeLabel(res.locals.routeName, req.originalUrl.split('?')[0] ?? '/'),
        status: String(res.statusCode),
      });
    });
    next();
  };

  const handlers: Pick<RouteHandlers, 'getMetrics'> = {
    getMetrics: async ({ req, res }) => {
      if (options.token && !sameSecret(`Bearer ${options.token}`, req.get('authorization') ?? '')) {
        throw new AppError('unauthenticated', 'Metrics need the bearer token');
      }
      await refresh();
      const merged = Registry.merge([registry, processMetrics]);
      res.type(merged.contentType).send(await merged.metrics());
      return { status: 200, sent: true };
    },
  };
  return { observeRequests, handlers };
}
