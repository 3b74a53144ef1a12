/**
 * The built-in sandboxes are no way around the desk: the Jiko sandbox's operator route takes
 * the sandbox's own credentials, the generic provider's sandbox never answers an
 * identification number in clear, and it fetches document images only from the partner's file
 * origin, never through a redirect. Over real HTTP, on the sandboxes a desk mounts and on a
 * second generic-provider sandbox with an origin of the test's choosing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createKycSandbox,
  type KycCustomer,
  type KycSandbox,
  migrateSandboxes,
  type ServedKycSandbox,
  serveKycSandbox,
} from '@desk/sandboxes';
import { createLogger, type OpenedDatabase, onboardApplication, openDatabase, sandboxKycSettings } from '@desk/server';
import type { ApplicationDetail, ProviderAction } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { jikoSandboxToken, resolveAtJikoSandbox, startTestDesk, type TestDesk } from '../support/desk.js';

const kb = 1024;
const png = (size: number) => {
  const bytes = Buffer.alloc(size, 0x20);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
};

/** A local HTTP server that records every request: serves `/passport.png`, redirects `/moved` to `redirectTo`. */
class RecordingServer {
  readonly requests: string[] = [];
  redirectTo = '';
  private server: Server | null = null;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests.push(req.url ?? '');
      if (req.url === '/passport.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png(150 * kb));
      else if (req.url === '/moved') res.writeHead(302, { location: this.redirectTo }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

const completeKycData = (frontImageUrl: string) => ({
  legalFirstName: 'Jane',
  legalLastName: 'Doe',
  phoneNumber: '+14155551234',
  dateOfBirth: '1990-05-15',
  address: {
    addressLine1: '123 Main Street',
    city: 'San Francisco',
    state: 'California',
    stateCode: 'CA',
    postalCode: '94102',
    country: 'US',
    locale: 'en-US',
  },
  nationalIdType: 'SSN',
  nationalIdNumber: '123-45-6789',
  nationalIdIssuingCountry: 'US',
  nationality: 'US',
  employmentStatus: 'EMPLOYED',
  mostRecentOccupation: 'Software Engineer',
  sourceOfFunds: 'EMPLOYMENT',
  accountPurpose: 'PERSONAL_USE',
  expectedMonthlyPaymentsUsd: 'UNDER_10K',
  isIntermediary: false,
  documents: [
    { type: 'PASSPORT', number: 'P12345678', issuingCountry: 'US', expirationDate: '2030-12-31', frontImageUrl },
  ],
});

describe.each(databaseKinds)('sandbox security on %s database', (kind) => {
  let desk: TestDesk;
  // The partner's file origin of the second KYC sandbox, and a server outside it.
  const origin = new RecordingServer();
  const outside = new RecordingServer();
  let kyc: KycSandbox;
  let served: ServedKycSandbox;
  // The second sandbox has a database of its own: instances sharing one share their reviews.
  let database: TestDatabase;
  let opened: OpenedDatabase;
  const apiKey = sandboxKycSettings.apiKey;

  beforeAll(async () => {
    desk = await startTestDesk(kind);
    await origin.start();
    await outside.start();
    origin.redirectTo = `${outside.base}/passport.png`;
    database = await createTestDatabase(kind);
    opened = await openDatabase(database.target, createLogger('silent'));
    await migrateSandboxes(opened.db);
    // No webhook receiver: the partner here only submits and reads.
    kyc = createKycSandbox({
      db: opened.db,
      apiKey,
      webhook: { url: null, secret: sandboxKycSettings.webhookSecret },
      reviewDelayMs: 20,
      documentOrigin: origin.base,
      logger: createLogger('silent'),
    });
    kyc.start();
    served = await serveKycSandbox(kyc.router);
  });

  afterAll(async () => {
    await kyc?.stop();
    await served?.close();
    await opened?.close();
    await database?.drop();
    await origin.close();
    await outside.close();
    await desk?.stop();
  });

  async function kycCall(
    baseUrl: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }

  async function submitted(frontImageUrl: string): Promise<{ id: string; patchAnswer: string }> {
    const created = await kycCall(served.baseUrl, 'POST', '/customers', {
      type: 'INDIVIDUAL',
      email: 'test-success@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
    });
    expect(created.status).toBe(201);
    const id = (JSON.parse(created.text) as KycCustomer).id;
    const patched = await kycCall(served.baseUrl, 'PATCH', `/customers/${id}`, {
      kycData: completeKycData(frontImageUrl),
    });
    expect(patched.status).toBe(200);
    return { id, patchAnswer: patched.text };
  }

  const reviewed = (id: string) =>
    eventually(
      async () => JSON.parse((await kycCall(served.baseUrl, 'GET', `/customers/${id}`)).text) as KycCustomer,
      (c) => c.status !== 'UNDER_REVIEW',
    );

  describe('the Jiko sandbox operator route', () => {
    it("When a manual review is resolved without the sandbox's credentials, then 401 and nothing changes; with its login it resolves", async () => {
      const { applicationId } = await onboardApplication(desk, 'jiko', applicant('3'));
      expect((await desk.post<ProviderAction>(`/api/applications/${applicationId}/reapply`)).status).toBe(202);
      const review = await eventually(
        async () => (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body,
        (c) => c.providerStatus === 'MANUAL_REVIEW',
      );
      const sandboxId = review.providerApplicationId;
      const eventsOf = async () =>
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from sandbox.jiko_webhook_events where application_id = ${sandboxId}`.execute(
            desk.db,
          )
        ).rows[0]?.n;
      const statusAtSandbox = async () =>
        (
          await sql<{ status: string }>`select status from sandbox.jiko_applications where id = ${sandboxId}`.execute(
            desk.db,
          )
        ).rows[0]?.status;
      const eventsBefore = await eventsOf();

      const basic = `Basic ${Buffer.from(`${sandboxKycSettings.apiKey}:x`).toString('base64')}`;
      for (const authorization of [null, 'Bearer not-a-token', basic]) {
        const res = await fetch(`${desk.url}/sandbox/jiko/operator/applications/${sandboxId}/resolve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ decision: 'APPROVED' }),
        });
        expect(res.status, String(authorization)).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
      expect(await statusAtSandbox()).toBe('MANUAL_REVIEW');
      expect(await eventsOf()).toBe(eventsBefore);
      expect((await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body.providerStatus).toBe(
        'MANUAL_REVIEW',
      );

      const resolved = await resolveAtJikoSandbox(desk.url, sandboxId, 'APPROVED', await jikoSandboxToken(desk.url));
      expect(resolved.status).toBe(200);
      expect(await statusAtSandbox()).toBe('APPROVED');
    });
  });

  describe('the generic provider sandbox and identification numbers', () => {
    it('When the desk sends an applicant, then the sandbox keeps the number but never answers it in clear', async () => {
      const person = applicant('1');
      const clear = person.identificationNumber;
      const { applicationId } = await onboardApplication(desk, 'kyc', person);
      const detail = (await desk.get<ApplicationDetail>(`/api/applications/${applicationId}`)).body;
      const answer = await kycCall(`${desk.url}/sandbox/kyc`, 'GET', `/customers/${detail.providerApplicationId}`);
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(clear);
      expect((JSON.parse(answer.text) as KycCustomer).kycData.nationalIdNumber).toBe(`•••••${clear.slice(-4)}`);
      // Kept in full where the review reads it.
      const stored = await sql<{ n: string }>`
        select kyc_data->>'nationalIdNumber' as n from sandbox.kyc_customers where id = ${detail.providerApplicationId}`.execute(
        desk.db,
      );
      expect(stored.rows[0]?.n).toBe(clear);
    });

    it('When a partner submits a number, then neither the PATCH answer nor any later read carries it in clear', async () => {
      const { id, patchAnswer } = await submitted(`${origin.base}/passport.png`);
      const after = await reviewed(id);
      const reads = [
        patchAnswer,
        (await kycCall(served.baseUrl, 'GET', `/customers/${id}`)).text,
        JSON.stringify(after),
      ];
      for (const text of reads) {
        expect(text).not.toMatch(/123-?45-?6789/);
        expect(text).toContain('"nationalIdNumber":"•••••6789"');
      }
      expect(after.status).toBe('ACTIVE');
    });
  });

  describe('the generic provider sandbox and document images', () => {
    it("When an image URL is outside the partner's file origin, then the review names it as a problem and no request is made", async () => {
      const before = outside.requests.length;
      const { id } = await submitted(`${outside.base}/passport.png`);
      const rfi = await reviewed(id);
      expect(rfi.status).toBe('NEEDS_ADDITIONAL_INFORMATION');
      expect(rfi.requiredDocuments[0]?.reason).toContain('documents[0].frontImageUrl');
      expect(rfi.requiredDocuments[0]?.reason).toContain(`image URLs must be on ${origin.base}`);
      expect(outside.requests.length).toBe(before);
    });

    it('When an image URL carries a user name, then it is refused like another origin, unfetched', async () => {
      const before = origin.requests.length;
      const { id } = await submitted(`${origin.base.replace('http://', 'http://someone:secret@')}/passport.png`);
      const rfi = await reviewed(id);
      expect(rfi.status).toBe('NEEDS_ADDITIONAL_INFORMATION');
      expect(rfi.requiredDocuments[0]?.reason).toContain('was not fetched');
      expect(origin.requests.length).toBe(before);
    });

    it("When the partner's origin redirects elsewhere, then the redirect is not followed and the image could not be retrieved", async () => {
      const before = outside.requests.length;
      const { id } = await submitted(`${origin.base}/moved`);
      const rfi = await reviewed(id);
      expect(rfi.status).toBe('NEEDS_ADDITIONAL_INFORMATION');
      expect(rfi.requiredDocuments[0]?.reason).toContain('could not be retrieved (HTTP 302');
      expect(origin.requests).toContain('/moved');
      expect(outside.requests.length).toBe(before);
    });

    it("When the desk's own sandbox is handed a URL off the desk's origin, then it makes no request there", async () => {
      const before = outside.requests.length;
      const mounted = `${desk.url}/sandbox/kyc`;
      const created = await kycCall(mounted, 'POST', '/customers', {
        type: 'INDIVIDUAL',
        email: 'test-success@example.com',
        firstName: 'Jane',
        lastName: 'Doe',
      });
      const id = (JSON.parse(created.text) as KycCustomer).id;
      expect(
        (
          await kycCall(mounted, 'PATCH', `/customers/${id}`, {
            kycData: completeKycData(`${outside.base}/passport.png`),
          })
        ).status,
      ).toBe(200);
      const rfi = await eventually(
        async () => JSON.parse((await kycCall(mounted, 'GET', `/customers/${id}`)).text) as KycCustomer,
        (c) => c.status !== 'UNDER_REVIEW',
      );
      // The desk's public URL (here its loopback address) is the one origin.
      expect(rfi.requiredDocuments[0]?.reason).toContain(`image URLs must be on http://127.0.0.1:${desk.port}`);
      expect(outside.requests.length).toBe(before);
    });
  });
});
