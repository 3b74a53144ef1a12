/**
 * Reliable delivery and webhook hygiene: a provider that answers 500 or stalls loses nothing
 * and receives each action once; forged, unsigned, stale and replayed webhooks change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationDetail, ProviderAction } from '@desk/shared';
import { jikoWebhookSignature, onboardApplication, sandboxJikoSettings } from '@desk/server';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { startFlakyProxy, type FlakyProxy } from '../support/flaky-proxy.js';
import { realFile, uploadDocument } from '../support/uploads.js';

describe.each(databaseKinds)('Jiko delivery on %s database', (kind) => {
  let desk: TestDesk;
  let proxy: FlakyProxy;
  beforeAll(async () => {
    let deskUrl = '';
    proxy = await startFlakyProxy(() => `${deskUrl}/sandbox/jiko`);
    // The adapter talks to the sandbox through the proxy; short timeouts keep stalls short.
    desk = await startTestDesk(kind, { jiko: { ...sandboxJikoSettings, baseUrl: proxy.url, timeoutMs: 1500 } });
    deskUrl = desk.url;
  });
  afterAll(async () => {
    await desk?.stop();
    await proxy?.close();
  });

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;

  async function documentsNeeded(prefix: string) {
    proxy.setMode({ kind: 'pass' });
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant(prefix));
    await desk.post(`/api/applications/${applicationId}/reapply`);
    return eventually(() => caseOf(applicationId), (c) => c.providerStatus === 'DOCUMENTS_NEEDED');
  }

  it('When the provider answers 500 twice, then the upload is retried with backoff, lands once, and the case moves on', async () => {
    const needed = await documentsNeeded('23');
    proxy.setMode({ kind: 'fail', status: 500, times: 2 });
    const seenBefore = proxy.seen.length;
    const res = await uploadDocument(desk, needed.id, 'ADDRESS_VERIFICATION', realFile('application/pdf', 512, 1), 'bill.pdf');
    expect(res.status).toBe(202);
    const failed = await eventually(() => caseOf(needed.id), (c) => c.providerActions.some((a) => a.state === 'failed' && !a.gaveUp));
    expect(failed.providerActions[0]?.lastError).toMatch(/500/);
    const done = await eventually(() => caseOf(needed.id), (c) => c.providerStatus === 'PENDING', 30_000);
    const action = done.providerActions.find((a) => a.kind === 'upload_document');
    expect(action).toMatchObject({ state: 'done', gaveUp: false, lastError: null });
    expect(action?.attempts).toBe(3);
    const uploads = proxy.seen.slice(seenBefore).filter((s) => s.path.includes('/documents/ADDRESS_VERIFICATION/file/'));
    expect(uploads.map((u) => u.status)).toEqual([500, 500, 200]);
  });

  it('When the provider refuses an action outright, then it fails at once with the provider\'s message and may be retried', async () => {
    const needed = await documentsNeeded('21');
    proxy.setMode({ kind: 'fail', status: 409, times: 1 });
    await uploadDocument(desk, needed.id, 'ID_FRONT', realFile('image/jpeg', 300, 2), 'front.jpg');
    const failed = await eventually(() => caseOf(needed.id), (c) => c.providerActions.some((a) => a.gaveUp));
    const action = failed.providerActions.find((a) => a.gaveUp) as ProviderAction;
    expect(action).toMatchObject({ state: 'failed', attempts: 1 });
    expect(action.lastError).toMatch(/409.*upstream trouble/);
    proxy.setMode({ kind: 'pass' });
    const retried = await desk.post<ProviderAction>(`/api/applications/${needed.id}/actions/${action.id}/retry`);
    expect(retried.status).toBe(202);
    const done = await eventually(() => caseOf(needed.id), (c) => c.providerActions.find((a) => a.id === action.id)?.state === 'done');
    expect(done.documents.find((d) => d.type === 'ID_FRONT' && d.sha256)).toMatchObject({ status: 'UPLOADED', atProvider: true });
    const again = await desk.post(`/api/applications/${needed.id}/actions/${action.id}/retry`);
    expect(again.status).toBe(409);
  });

  it('When the provider stalls past the timeout, then the same request is sent again with the same idempotency key and acts once', async () => {
    const needed = await documentsNeeded('22');
    proxy.setMode({ kind: 'stall', ms: 4_000, times: 1 });
    const seenBefore = proxy.seen.length;
    await uploadDocument(desk, needed.id, 'IDENTIFICATION_NUMBER_VERIFICATION', realFile('image/png', 700, 3));
    const done = await eventually(() => caseOf(needed.id), (c) => c.providerStatus === 'PENDING', 45_000);
    // The stalled request reaches the sandbox too, late; one of the two is answered from the
    // idempotency record, so the sandbox acts once.
    const uploadsSeen = () => Promise.resolve(proxy.seen.slice(seenBefore).filter((s) => s.path.includes('/file/')));
    const uploads = await eventually(uploadsSeen, (u) => u.length >= 2, 20_000);
    expect(uploads.map((u) => u.status)).toEqual([200, 200]);
    const sandboxDocs = done.documents.filter((d) => d.type === 'IDENTIFICATION_NUMBER_VERIFICATION' && d.status === 'UPLOADED');
    expect(sandboxDocs).toHaveLength(1);
  }, 60_000);

  describe('webhooks', () => {
    const event = (id: string) =>
      JSON.stringify({ id, type: 'application.approved', created_at: new Date().toISOString(), data: { application_id: 'nowhere' } });
    const send = (body: string, headers: Record<string, string>) =>
      fetch(`${desk.url}/api/webhooks/jiko`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const signed = (body: string, at = Math.floor(Date.now() / 1000)) => ({
      'x-jiko-timestamp': String(at),
      'x-jiko-signature': jikoWebhookSignature(sandboxJikoSettings.webhookSecret, String(at), body),
    });
    const inboxCount = async (eventId: string) =>
      (await desk.db.selectFrom('webhook_inbox').select('id').where('event_id', '=', eventId).execute()).length;

    it('When a webhook is forged, unsigned or stale, then it gets 401 and is not stored', async () => {
      const body = event('evt-forged');
      expect((await send(body, { 'x-jiko-timestamp': String(Math.floor(Date.now() / 1000)), 'x-jiko-signature': 'AAAA' })).status).toBe(401);
      expect((await send(body, {})).status).toBe(401);
      expect((await send(body, signed(body, Math.floor(Date.now() / 1000) - 3600))).status).toBe(401);
      const tampered = signed(body);
      expect((await send(body.replace('approved', 'rejected'), tampered)).status).toBe(401);
      expect(await inboxCount('evt-forged')).toBe(0);
    });

    it('When the same event arrives twice, even at once, then it is stored and applied once', async () => {
      const body = event('evt-replayed');
      const answers = await Promise.all([send(body, signed(body)), send(body, signed(body)), send(body, signed(body))]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const flags = await Promise.all(answers.map(async (a) => ((await a.json()) as { duplicate: boolean }).duplicate));
      expect(flags.filter((d) => !d)).toHaveLength(1);
      expect(await inboxCount('evt-replayed')).toBe(1);
    });

    it('When a signed webhook body is not JSON, then it is refused with 422 (kept for inspection), not a 500', async () => {
      const body = 'not json';
      const res = await send(body, signed(body));
      expect(res.status).toBe(422);
    });
  });
});
