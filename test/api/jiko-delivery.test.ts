/**
 * Reliable delivery and webhook hygiene: a provider that answers 500 or stalls loses nothing
 * and receives each action once; forged, unsigned, stale and replayed webhooks change nothing.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jikoWebhookSignature, onboardApplication, sandboxJikoSettings } from '@desk/server';
import type { ApplicationDetail, ProviderAction } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { type FlakyProxy, startFlakyProxy } from '../support/flaky-proxy.js';
import { realFile, uploadDocument } from '../support/uploads.js';
import { waitFor } from '../support/wait-for.js';

/** A webhook exactly as the provider sent it: its bytes and its signature headers. */
type Delivery = {
  body: string;
  headers: Record<string, string>;
  event: { id: string; type: string; data: { application_id: string } };
};

/**
 * Stands between the provider's webhooks and the desk: passes each one on and answers with the
 * desk's answer, except events about the applications it is told to hold, which it keeps
 * (answering 200, so the provider counts them delivered) for the test to deliver itself.
 */
async function startWebhookRelay(deskUrl: () => string) {
  const holding = new Set<string>();
  const held: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && (key.startsWith('x-jiko-') || key === 'content-type')) headers[key] = value;
      }
      const event = JSON.parse(body) as Delivery['event'];
      if (holding.has(event.data.application_id)) {
        held.push({ body, headers, event });
        res.writeHead(200).end();
        return;
      }
      fetch(`${deskUrl()}${req.url ?? '/'}`, { method: 'POST', headers, body }).then(
        async (answer) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: (providerApplicationId: string) => holding.add(providerApplicationId),
    heldFor: (providerApplicationId: string) =>
      held.filter((d) => d.event.data.application_id === providerApplicationId),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe.each(databaseKinds)('Jiko delivery on %s database', (kind) => {
  let desk: TestDesk;
  let proxy: FlakyProxy;
  let relay: Awaited<ReturnType<typeof startWebhookRelay>>;
  beforeAll(async () => {
    let deskUrl = '';
    proxy = await startFlakyProxy(() => `${deskUrl}/sandbox/jiko`);
    // The provider's webhooks reach the desk through the relay.
    relay = await startWebhookRelay(() => deskUrl);
    // The adapter talks to the sandbox through the proxy; short timeouts keep stalls short.
    desk = await startTestDesk(kind, {
      jiko: { ...sandboxJikoSettings, baseUrl: proxy.url, timeoutMs: 1500 },
      publicUrl: relay.url,
    });
    deskUrl = desk.url;
  });
  afterAll(async () => {
    await desk?.stop();
    await proxy?.close();
    await relay?.close();
  });

  const caseOf = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;

  async function documentsNeeded(prefix: string) {
    proxy.setMode({ kind: 'pass' });
    const { applicationId } = await onboardApplication(desk, 'jiko', applicant(prefix));
    await desk.post(`/api/applications/${applicationId}/reapply`);
    return eventually(
      () => caseOf(applicationId),
      (c) => c.providerStatus === 'DOCUMENTS_NEEDED',
    );
  }

  it('When the provider answers 500 twice, then the upload is retried with backoff, lands once, and the case moves on', async () => {
    const needed = await documentsNeeded('23');
    proxy.setMode({ kind: 'fail', status: 500, times: 2 });
    const seenBefore = proxy.seen.length;
    const res = await uploadDocument(
      desk,
      needed.id,
      'ADDRESS_VERIFICATION',
      realFile('application/pdf', 512, 1),
      'bill.pdf',
    );
    expect(res.status).toBe(202);
    const failed = await eventually(
      () => caseOf(needed.id),
      (c) => c.providerActions.some((a) => a.state === 'failed' && !a.gaveUp),
    );
    expect(failed.providerActions[0]?.lastError).toMatch(/500/);
    const done = await eventually(
      () => caseOf(needed.id),
      (c) => c.providerStatus === 'PENDING',
      30_000,
    );
    const action = done.providerActions.find((a) => a.kind === 'upload_document');
    expect(action).toMatchObject({ state: 'done', gaveUp: false, lastError: null });
    expect(action?.attempts).toBe(3);
    const uploads = proxy.seen
      .slice(seenBefore)
      .filter((s) => s.path.includes('/documents/ADDRESS_VERIFICATION/file/'));
    expect(uploads.map((u) => u.status)).toEqual([500, 500, 200]);
  });

  it("When the provider refuses an action outright, then it fails at once with the provider's message and may be retried", async () => {
    const needed = await documentsNeeded('21');
    proxy.setMode({ kind: 'fail', status: 409, times: 1 });
    await uploadDocument(desk, needed.id, 'ID_FRONT', realFile('image/jpeg', 300, 2), 'front.jpg');
    const failed = await eventually(
      () => caseOf(needed.id),
      (c) => c.providerActions.some((a) => a.gaveUp),
    );
    const action = failed.providerActions.find((a) => a.gaveUp) as ProviderAction;
    expect(action).toMatchObject({ state: 'failed', attempts: 1 });
    expect(action.lastError).toMatch(/409.*upstream trouble/);
    proxy.setMode({ kind: 'pass' });
    const retried = await desk.post<ProviderAction>(`/api/applications/${needed.id}/actions/${action.id}/retry`);
    expect(retried.status).toBe(202);
    const done = await eventually(
      () => caseOf(needed.id),
      (c) => c.providerActions.find((a) => a.id === action.id)?.state === 'done',
    );
    expect(done.documents.find((d) => d.type === 'ID_FRONT' && d.sha256)).toMatchObject({
      status: 'UPLOADED',
      atProvider: true,
    });
    const again = await desk.post(`/api/applications/${needed.id}/actions/${action.id}/retry`);
    expect(again.status).toBe(409);
  });

  it('When the provider stalls past the timeout, then the same request is sent again with the same idempotency key and acts once', async () => {
    const needed = await documentsNeeded('22');
    proxy.setMode({ kind: 'stall', ms: 4_000, times: 1 });
    const seenBefore = proxy.seen.length;
    await uploadDocument(desk, needed.id, 'IDENTIFICATION_NUMBER_VERIFICATION', realFile('image/png', 700, 3));
    const done = await eventually(
      () => caseOf(needed.id),
      (c) => c.providerStatus === 'PENDING',
      45_000,
    );
    // The stalled request reaches the sandbox too, late; one of the two is answered from the
    // idempotency record, so the sandbox acts once.
    const uploadsSeen = () => Promise.resolve(proxy.seen.slice(seenBefore).filter((s) => s.path.includes('/file/')));
    const uploads = await eventually(uploadsSeen, (u) => u.length >= 2, 20_000);
    expect(uploads.map((u) => u.status)).toEqual([200, 200]);
    const sandboxDocs = done.documents.filter(
      (d) => d.type === 'IDENTIFICATION_NUMBER_VERIFICATION' && d.status === 'UPLOADED',
    );
    expect(sandboxDocs).toHaveLength(1);
  }, 60_000);

  describe('webhooks', () => {
    const event = (id: string) =>
      JSON.stringify({
        id,
        type: 'application.approved',
        created_at: new Date().toISOString(),
        data: { application_id: 'nowhere' },
      });
    const send = (body: string, headers: Record<string, string>) =>
      fetch(`${desk.url}/api/webhooks/jiko`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const signed = (body: string, at = Math.floor(Date.now() / 1000)) => ({
      'x-jiko-timestamp': String(at),
      'x-jiko-signature': jikoWebhookSignature(sandboxJikoSettings.webhookSecret, String(at), body),
    });
    const inboxCount = async (eventId: string) =>
      (await desk.db.selectFrom('webhook_inbox').select('id').where('event_id', '=', eventId).execute()).length;

    it('When a webhook is forged, unsigned or stale, then it gets 401 and is not stored', async () => {
      const body = event('evt-forged');
      expect(
        (await send(body, { 'x-jiko-timestamp': String(Math.floor(Date.now() / 1000)), 'x-jiko-signature': 'AAAA' }))
          .status,
      ).toBe(401);
      expect((await send(body, {})).status).toBe(401);
      expect((await send(body, signed(body, Math.floor(Date.now() / 1000) - 3600))).status).toBe(401);
      const tampered = signed(body);
      expect((await send(body.replace('approved', 'rejected'), tampered)).status).toBe(401);
      expect(await inboxCount('evt-forged')).toBe(0);
    });

    /** The provider's event about `providerApplicationId`, kept from the desk by the relay. */
    const heldEvent = (providerApplicationId: string, type: string) =>
      waitFor(async () => relay.heldFor(providerApplicationId).find((d) => d.event.type === type), {
        what: `the provider's ${type}`,
      });
    const deliver = async (delivery: Delivery) => {
      const res = await fetch(`${desk.url}/api/webhooks/jiko`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      return { status: res.status, duplicate: ((await res.json()) as { duplicate: boolean }).duplicate };
    };
    const appliedAt = (eventId: string) =>
      waitFor(
        async () =>
          (
            await desk.db
              .selectFrom('webhook_inbox')
              .select('applied_at')
              .where('event_id', '=', eventId)
              .executeTakeFirst()
          )?.applied_at,
        { what: `event ${eventId} to be applied` },
      );
    const auditOf = async (applicationId: string, action: string) =>
      desk.db
        .selectFrom('audit_events')
        .select('data')
        .where('application_id', '=', applicationId)
        .where('action', '=', action)
        .execute();

    it("When the provider's event about a case arrives three times at once and again later, then it is stored once and applied once", async () => {
      proxy.setMode({ kind: 'pass' });
      const { applicationId, providerApplicationId } = await onboardApplication(desk, 'jiko', applicant('4'));
      relay.hold(providerApplicationId);
      expect((await desk.post(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
      // The provider approves and sends its event; the relay keeps it, so the desk still has SUBMITTED.
      const delivery = await heldEvent(providerApplicationId, 'application.approved');
      const submitted = await eventually(
        () => caseOf(applicationId),
        (c) => c.providerStatus === 'SUBMITTED' && c.providerActions.every((a) => a.state === 'done'),
      );
      // Applying an event reads the application from the provider: one read per application.
      const reads = () =>
        proxy.seen.filter((r) => r.method === 'GET' && r.path === `/api/v1/applications/${providerApplicationId}/`)
          .length;
      const readsBefore = reads();

      const answers = await Promise.all([deliver(delivery), deliver(delivery), deliver(delivery)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
      expect(await inboxCount(delivery.event.id)).toBe(1);
      await appliedAt(delivery.event.id);
      const applied = await caseOf(applicationId);
      expect(applied.providerStatus).toBe('APPROVED');
      const newChanges = applied.statusHistory.slice(submitted.statusHistory.length);
      expect(newChanges).toEqual([
        expect.objectContaining({
          fromStatus: 'SUBMITTED',
          toStatus: 'APPROVED',
          source: 'provider_webhook',
          reason: 'application.approved',
        }),
      ]);
      expect(reads() - readsBefore).toBe(1);
      const received = (await auditOf(applicationId, 'webhook.received')).filter(
        (r) => r.data.eventId === delivery.event.id,
      );
      expect(received).toHaveLength(1);
      const changed = await auditOf(applicationId, 'application.status_changed');
      expect(changed.filter((r) => r.data.source === 'provider_webhook')).toHaveLength(1);

      // The same event again, once it has been applied: a no-op.
      expect(await deliver(delivery)).toEqual({ status: 200, duplicate: true });
      // A later event about the case is applied; by then anything the replay had set going
      // would have run too. Each stored event reads the provider once; the replay did not.
      const laterId = `evt-${randomUUID()}`;
      const later = JSON.stringify({ ...delivery.event, id: laterId });
      expect(await deliver({ ...delivery, body: later, headers: { ...delivery.headers, ...signed(later) } })).toEqual({
        status: 200,
        duplicate: false,
      });
      await appliedAt(laterId);
      expect(reads() - readsBefore).toBe(2);
      expect(await inboxCount(delivery.event.id)).toBe(1);
      expect((await caseOf(applicationId)).statusHistory).toEqual(applied.statusHistory);
      expect(
        (await auditOf(applicationId, 'webhook.received')).filter((r) => r.data.eventId === delivery.event.id),
      ).toHaveLength(1);
      expect(await auditOf(applicationId, 'application.status_changed')).toEqual(changed);
    });

    it('When a signed webhook body is not JSON, then it is refused with 422 (kept for inspection), not a 500', async () => {
      const body = 'not json';
      const res = await send(body, signed(body));
      expect(res.status).toBe(422);
    });
  });
});
