/**
 * Polling reconciles what webhooks miss: with every webhook lost on the way, the desk still
 * learns the provider's decisions by reading stale open applications.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationDetail } from '@desk/shared';
import { onboardApplication } from '@desk/server';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { freePort } from '../support/process.js';

describe.each(databaseKinds)('polling on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    // Webhooks go to a port where nobody listens.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    desk = await startTestDesk(kind, { publicUrl: nowhere, reconcileEverySeconds: 1, staleAfterSeconds: 0 });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When the decision webhook never arrives, then polling brings the decision and says so in the history', async () => {
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant('4'));
    expect((await desk.post(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
    const approved = await eventually(
      async () => (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body,
      (c) => c.providerStatus === 'APPROVED',
      30_000,
    );
    expect(approved.statusHistory.at(-1)).toMatchObject({ fromStatus: 'SUBMITTED', toStatus: 'APPROVED', source: 'provider_poll' });
    expect(approved.providerCustomerId).not.toBeNull();
    const inbox = await desk.db.selectFrom('webhook_inbox').select('id').execute();
    expect(inbox).toHaveLength(0);
  });
});
