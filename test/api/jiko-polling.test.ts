/**
 * Polling reconciles what webhooks miss: with every webhook lost on the way, the desk still
 * learns the provider's decisions by reading stale open applications; a read that finds nothing
 * new leaves the audit trail as it was.
 */

import { onboardApplication } from '@desk/server';
import type { ApplicationDetail } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookSink, type WebhookSink } from '../support/webhook-sink.js';

describe.each(databaseKinds)('polling on %s database', (kind) => {
  let desk: TestDesk;
  let sink: WebhookSink;
  beforeAll(async () => {
    // Every webhook is lost on the way: the provider sends them to a server that drops them.
    sink = await startWebhookSink();
    desk = await startTestDesk(kind, { publicUrl: sink.url, reconcileEverySeconds: 1, staleAfterSeconds: 0 });
  });
  afterAll(async () => {
    await desk?.stop();
    await sink?.close();
  });

  it('When the decision webhook never arrives, then polling brings the decision and says so in the history', async () => {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('4'));
    expect((await desk.post(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
    const approved = await waitFor(
      async () => {
        const detail = (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body;
        return detail.providerStatus === 'APPROVED' ? detail : null;
      },
      { timeoutMs: 30_000, what: 'the decision to reach the desk' },
    );
    expect(approved.statusHistory.at(-1)).toMatchObject({
      fromStatus: 'SUBMITTED',
      toStatus: 'APPROVED',
      source: 'provider_poll',
    });
    expect(approved.providerCustomerId).not.toBeNull();
    // The provider did send its webhook; it was lost, and the desk stored none.
    await waitFor(async () => sink.dropped.includes('/api/webhooks/jiko'), { what: 'the lost webhook' });
    const inbox = await desk.db.selectFrom('webhook_inbox').select('id').execute();
    expect(inbox).toHaveLength(0);
  });

  it('When polls find nothing new at the provider, then they add nothing to the audit trail', async () => {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('5'));
    const observedAt = async () =>
      (
        await desk.db
          .selectFrom('applications')
          .select('provider_observed_at')
          .where('id', '=', applicationId)
          .executeTakeFirstOrThrow()
      ).provider_observed_at?.getTime() ?? 0;
    const trailOf = () =>
      desk.db.selectFrom('audit_events').select(['id', 'action']).where('application_id', '=', applicationId).execute();
    // A first poll, then the trail as it stands, then two more polls.
    const first = await observedAt();
    await waitFor(async () => (await observedAt()) > first, { timeoutMs: 15_000, what: 'a first poll' });
    const trail = await trailOf();
    expect(trail.map((row) => row.action)).toEqual(['application.created']);
    let polls = 0;
    let last = await observedAt();
    await waitFor(
      async () => {
        const now = await observedAt();
        if (now > last) {
          polls += 1;
          last = now;
        }
        return polls >= 2;
      },
      { timeoutMs: 15_000, what: 'two more polls' },
    );
    expect(await trailOf()).toEqual(trail);
  });
});
