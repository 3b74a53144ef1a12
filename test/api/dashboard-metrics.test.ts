/**
 * The dashboard's figures against the database, and `/metrics` in Prometheus text format.
 */

import { type Dashboard, type ErrorBody, stageSlaHours, stages } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

describe.each(databaseKinds)('dashboard and metrics on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 120 });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When a senior analyst opens the dashboard, then its counts match the database', async () => {
    const res = await desk.get<Dashboard>('/api/dashboard');
    expect(res.status).toBe(200);
    const d = res.body;
    const apps = await desk.db
      .selectFrom('applications')
      .select(['stage', 'provider', 'created_at', 'stage_entered_at', 'assignee_id'])
      .execute();
    expect(d.byStageProvider.reduce((n, r) => n + r.count, 0)).toBe(apps.length);
    for (const row of d.byStageProvider) {
      expect(row.count).toBe(apps.filter((a) => a.stage === row.stage && a.provider === row.provider).length);
    }
    const open = apps.filter((a) => a.stage !== 'approved' && a.stage !== 'rejected');
    expect(Object.values(d.aging).reduce((n, v) => n + v, 0)).toBe(open.length);
    const now = new Date(d.generatedAt).getTime();
    for (const s of d.sla) {
      const hours = stageSlaHours[s.stage] ?? 0;
      const inStage = apps.filter((a) => a.stage === s.stage);
      expect(s.breached + s.dueSoon + s.onTrack).toBe(inStage.length);
      // Allow for the moment between the dashboard's clock and this one.
      const breached = inStage.filter((a) => a.stage_entered_at.getTime() <= now - hours * 3_600_000).length;
      expect(Math.abs(s.breached - breached)).toBeLessThanOrEqual(1);
    }
    expect(d.sla.map((s) => s.stage).sort()).toEqual(stages.filter((s) => stageSlaHours[s] !== null).sort());
    expect(d.throughput).toHaveLength(14);
    const rfis = await desk.db.selectFrom('rfis').select(['status', 'due_at']).execute();
    expect(d.rfisByDue.overdue + d.rfisByDue.today + d.rfisByDue.next7Days + d.rfisByDue.later).toBe(
      rfis.filter((r) => r.status === 'open').length,
    );
    expect(d.rfisByDue.answered).toBe(rfis.filter((r) => r.status === 'answered').length);
    expect(d.unassignedWorkable).toBe(
      apps.filter(
        (a) =>
          a.assignee_id === null &&
          ['intake', 'needs_documents', 'ready_to_reapply', 'manual_review', 'rfi'].includes(a.stage),
      ).length,
    );
  });

  it('When analysts or support ask for the dashboard, then they are refused', async () => {
    expect((await desk.as('analyst').get<ErrorBody>('/api/dashboard')).status).toBe(403);
    expect((await desk.as('support').get<ErrorBody>('/api/dashboard')).status).toBe(403);
    expect((await desk.as('auditor').get<Dashboard>('/api/dashboard')).status).toBe(200);
  });

  it('When /metrics is scraped, then it has latency per route pattern, queue depth, jobs and webhook figures', async () => {
    const someCase = await desk.db.selectFrom('applications').select('id').limit(1).executeTakeFirstOrThrow();
    await desk.get(`/api/applications/${someCase.id}`);
    await desk.get('/api/applications?limit=5');
    const res = await fetch(`${desk.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/desk_http_request_duration_seconds_bucket\{[^}]*route="\/api\/applications\/:id"[^}]*\} \d+/);
    expect(text).not.toContain(someCase.id);
    const depth = [...text.matchAll(/^desk_queue_depth\{stage="([a-z_]+)",provider="([a-z]+)"\} (\d+)$/gm)];
    const total = depth.reduce((n, m) => n + Number(m[3]), 0);
    const count = await desk.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(total).toBe(Number(count.n));
    expect(text).toMatch(/^desk_webhooks_unapplied \d+$/m);
    expect(text).toMatch(/^desk_webhook_oldest_unapplied_age_seconds [\d.e+-]+$/m);
    expect(text).toContain('# TYPE desk_jobs gauge');
    expect(text).toContain('# TYPE desk_webhook_apply_lag_seconds histogram');
    expect(text).toContain('desk_process_');
  });
});
