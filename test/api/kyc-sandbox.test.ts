/**
 * Conformance of the built-in generic KYC provider sandbox with its guide: auth, customer
 * creation, PATCH rules per state, every validation rule, the four sandbox test emails end
 * to end, the RFI round trip, document image checks and signed webhooks with event ids and
 * redelivery. Real HTTP against a fresh migrated database.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createKycSandbox,
  type KycCustomer,
  type KycWebhookEvent,
  migrateSandboxes,
  type ServedKycSandbox,
  serveKycSandbox,
  signKycWebhook,
} from '@desk/sandboxes';
import { connectDatabase, createLogger, type Database, openDatabase } from '@desk/server';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

const apiKey = 'kyc-sandbox-api-key';
const webhookSecret = 'kyc-webhook-secret';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const kb = 1024;

type ErrorBody = { error: string; message: string; statusCode: number; customerStatus?: string };
type Reply<T> = { status: number; body: T };
type Received = { headers: IncomingHttpHeaders; body: string; event: KycWebhookEvent; answered: number };

/** Files the "partner storage" serves: magic bytes then padding to the size. */
function file(magic: number[], size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  Buffer.from(magic).copy(bytes);
  return bytes;
}
const files: Record<string, Buffer> = {
  'passport-front.png': file([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 150 * kb),
  'license-front.jpg': file([0xff, 0xd8, 0xff, 0xe0], 120 * kb),
  'license-back.jpg': file([0xff, 0xd8, 0xff, 0xe0], 120 * kb),
  'utility-bill.pdf': file([0x25, 0x50, 0x44, 0x46, 0x2d], 200 * kb),
  'tiny.png': file([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 2 * kb),
  'photo.gif': file([0x47, 0x49, 0x46, 0x38, 0x39, 0x61], 150 * kb),
  'huge.pdf': file([0x25, 0x50, 0x44, 0x46, 0x2d], 10 * kb * kb + 1),
};

/** The partner's side: serves document images and receives webhooks (failing once when told). */
class PartnerServer {
  readonly received: Received[] = [];
  readonly failOnce = new Set<string>();
  private server: Server | null = null;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.method === 'GET') {
        const served = files[(req.url ?? '').replace('/files/', '')];
        if (served) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served);
        else res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const event = JSON.parse(body) as KycWebhookEvent;
        const answered = this.failOnce.delete(event.payload.customerId) ? 500 : 200;
        this.received.push({ headers: req.headers, body, event, answered });
        res.writeHead(answered, { 'content-type': 'application/json' }).end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get webhookUrl(): string {
    return `${this.base}/api/webhooks/kyc`;
  }

  url(name: string): string {
    return `${this.base}/files/${name}`;
  }

  /** Accepted deliveries of a customer's events, in the order they were raised. */
  delivered(customerId: string): KycWebhookEvent[] {
    return this.received
      .filter((r) => r.answered < 300 && r.event.payload.customerId === customerId)
      .map((r) => r.event)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function yearsAgo(years: number, days = 0): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() + days))
    .toISOString()
    .slice(0, 10);
}

describe.each(databaseKinds)('KYC sandbox on %s database', (kind) => {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const partner = new PartnerServer();
  let database: TestDatabase;
  let opened: { db: Kysely<Database>; url: string; close(): Promise<void> };
  // The embedded server interleaves messages of concurrent connections
  // (electric-sql/pglite#1046): on it everything here shares one connection.
  let db: Kysely<Database>;
  let closeDb = async (): Promise<void> => undefined;
  let sandbox: ReturnType<typeof createKycSandbox>;
  let served: ServedKycSandbox;
  // Other instances on the same database, as other processes would be, without a loop of
  // their own: one whose delayed review takes 2 s, one with the default delays.
  let quickServed: ServedKycSandbox;
  let defaultServed: ServedKycSandbox;

  const completeKycData = (): Record<string, unknown> => ({
    legalFirstName: 'Jane',
    legalLastName: 'Smith',
    legalMiddleName: 'Marie',
    phoneNumber: '+14155551234',
    dateOfBirth: '1990-05-15',
    address: {
      addressLine1: '123 Main Street',
      addressLine2: 'Apt 4B',
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
      {
        type: 'PASSPORT',
        number: 'P12345678',
        issuingCountry: 'US',
        expirationDate: '2030-12-31',
        frontImageUrl: partner.url('passport-front.png'),
      },
    ],
  });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    opened = await openDatabase(database.target, logger);
    // The sandbox schema: its own migrations, after the desk's (as where the sandboxes are mounted).
    await migrateSandboxes(opened.db);
    if (kind === 'embedded') {
      const single = connectDatabase(opened.url, { max: 1 });
      db = single.db;
      closeDb = single.destroy;
    } else {
      db = opened.db;
    }
    await partner.start();
    const webhook = { url: partner.webhookUrl, secret: webhookSecret };
    // The partner serves its document images: the one origin the sandbox fetches from.
    const documentOrigin = partner.base;
    sandbox = createKycSandbox({ db, apiKey, webhook, reviewDelayMs: 50, documentOrigin, logger });
    sandbox.start();
    served = await serveKycSandbox(sandbox.router);
    quickServed = await serveKycSandbox(
      createKycSandbox({ db, apiKey, webhook, reviewDelayMs: 200, documentOrigin, logger }).router,
    );
    defaultServed = await serveKycSandbox(
      createKycSandbox({ db, apiKey, webhook: { url: null, secret: webhookSecret }, documentOrigin, logger }).router,
    );
  });

  afterAll(async () => {
    await sandbox?.stop();
    await served?.close();
    await quickServed?.close();
    await defaultServed?.close();
    await partner.close();
    await closeDb();
    await opened?.close();
    await database?.drop();
  });

  type CallOptions = { body?: unknown; raw?: string; auth?: string | null; baseUrl?: string };

  async function call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    const auth = options.auth === undefined ? `Bearer ${apiKey}` : options.auth;
    if (auth) headers.authorization = auth;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${options.baseUrl ?? served.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async function create(email: string, baseUrl?: string): Promise<KycCustomer> {
    const res = await call<KycCustomer>('POST', '/api/v1/customers', {
      body: { type: 'INDIVIDUAL', email, firstName: 'Test', lastName: 'Customer' },
      baseUrl,
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  const get = (id: string) => call<KycCustomer>('GET', `/api/v1/customers/${id}`);
  const patch = <T = KycCustomer>(id: string, kycData: unknown, baseUrl?: string) =>
    call<T>('PATCH', `/api/v1/customers/${id}`, { body: { kycData }, baseUrl });
  const patchError = (id: string, kycData: unknown) => patch<ErrorBody>(id, kycData);

  async function statusBecomes(id: string, status: string, timeoutMs?: number): Promise<KycCustomer> {
    return waitFor(
      async () => {
        const customer = (await get(id)).body;
        return customer.status === status ? customer : null;
      },
      { what: `${id} to be ${status}`, timeoutMs },
    );
  }

  const eventsOf = (id: string, count: number) =>
    waitFor(
      async () => {
        const events = partner.delivered(id);
        return events.length >= count ? events : null;
      },
      { what: `${count} events of ${id}` },
    );

  const transitions = (events: KycWebhookEvent[]) => events.map((e) => `${e.payload.oldStatus}→${e.payload.newStatus}`);

  describe('Authentication', () => {
    it.each([
      ['no Authorization header', null],
      ['a wrong API key', 'Bearer not-the-key'],
      ['the key without the Bearer scheme', apiKey],
      ['another scheme', `Basic ${apiKey}`],
    ])("When a request has %s, then every route answers the guide's 401", async (_what, auth) => {
      const customer = await create('auth@example.com');
      for (const [method, path] of [
        ['POST', '/api/v1/customers'],
        ['GET', `/api/v1/customers/${customer.id}`],
        ['PATCH', `/api/v1/customers/${customer.id}`],
      ] as const) {
        const res = await call<ErrorBody>(method, path, {
          auth,
          body: method === 'GET' ? undefined : { kycData: { legalFirstName: 'X' } },
        });
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'UNAUTHORIZED', message: 'Invalid or expired API key', statusCode: 401 });
      }
      expect((await get(customer.id)).body.status).toBe('CREATED');
    });
  });

  describe('Customers', () => {
    it("When an individual customer is created, then 201 answers the guide's sample shape in CREATED and GET returns it", async () => {
      const res = await call<KycCustomer>('POST', '/api/v1/customers', {
        body: { type: 'INDIVIDUAL', email: 'Jane.Smith@Example.com', firstName: 'Jane', lastName: 'Smith' },
      });
      expect(res.status).toBe(201);
      const c = res.body;
      expect(c).toMatchObject({
        type: 'INDIVIDUAL',
        status: 'CREATED',
        email: 'jane.smith@example.com',
        firstName: 'Jane',
        lastName: 'Smith',
      });
      expect(c.id).toMatch(/^customer_[0-9a-f]{24}$/);
      expect(c.verificationLink).toMatch(/^https:\/\/.+\/verify-customer\/[0-9a-f]{24}$/);
      expect(new Date(c.createdAt).toISOString()).toBe(c.createdAt);
      expect(c).toMatchObject({ kycData: {}, requiredFields: [], requiredDocuments: [], rejectionReason: null });
      const fetched = await get(c.id);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(c);
      expect(partner.delivered(c.id)).toEqual([]);
    });

    it('When the create body is missing fields or has bad ones, then 400 names every one of them', async () => {
      const empty = await call<ErrorBody>('POST', '/api/v1/customers', { body: {} });
      expect(empty.status).toBe(400);
      expect(empty.body).toEqual({
        error: 'BAD_REQUEST',
        message: 'Validation failed: type is required; email is required; firstName is required; lastName is required',
        statusCode: 400,
      });
      const bad = await call<ErrorBody>('POST', '/api/v1/customers', {
        body: { type: 'BUSINESS', email: 'not-an-email', firstName: ' ', lastName: 7, nickname: 'J' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toBe(
        'Validation failed: nickname is not a known field; type must be INDIVIDUAL; email must be a valid email address; firstName must be a non-empty string; lastName must be a non-empty string',
      );
    });

    it("When the JSON is malformed, empty or not an object, then 400 in the guide's shape, never 500", async () => {
      const customer = await create('malformed@example.com');
      for (const [method, path] of [
        ['POST', '/api/v1/customers'],
        ['PATCH', `/api/v1/customers/${customer.id}`],
      ] as const) {
        const malformed = await call<ErrorBody>(method, path, { raw: '{"type": "INDIVIDUAL",' });
        expect(malformed.status).toBe(400);
        expect(malformed.body).toEqual({
          error: 'BAD_REQUEST',
          message: 'Malformed JSON in request body',
          statusCode: 400,
        });
        const empty = await call<ErrorBody>(method, path);
        expect(empty.status).toBe(400);
        expect(empty.body.error).toBe('BAD_REQUEST');
        for (const raw of ['[]', '"text"', 'null', '42']) {
          const res = await call<ErrorBody>(method, path, { raw });
          expect(res.status).toBe(400);
          expect(res.body).toEqual({
            error: 'BAD_REQUEST',
            message: 'Validation failed: body must be a JSON object',
            statusCode: 400,
          });
        }
      }
      const huge = await call<ErrorBody>('POST', '/api/v1/customers', {
        raw: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }),
      });
      expect(huge.status).toBe(413);
      expect(huge.body.error).toBe('PAYLOAD_TOO_LARGE');
    });

    it("When a customer or a route does not exist, then 404 in the guide's shape", async () => {
      for (const id of ['customer_000000000000000000000000', 'nope']) expect((await get(id)).status).toBe(404);
      // A path that cannot be decoded is a bad request, in the guide's shape too.
      expect((await get('%E0%A4%A')).body).toEqual({
        error: 'BAD_REQUEST',
        message: 'Malformed request',
        statusCode: 400,
      });
      expect((await get('customer_000000000000000000000000')).body).toEqual({
        error: 'NOT_FOUND',
        message: 'Customer not found',
        statusCode: 404,
      });
      const patched = await patch<ErrorBody>('customer_000000000000000000000000', { legalFirstName: 'X' });
      expect(patched.status).toBe(404);
      const route = await call<ErrorBody>('GET', '/api/v1/businesses');
      expect(route.status).toBe(404);
      expect(route.body).toEqual({ error: 'NOT_FOUND', message: 'Route not found', statusCode: 404 });
    });
  });

  describe('Validation of KYC data', () => {
    const address = (changes: Record<string, unknown>) => ({ ...(completeKycData().address as object), ...changes });
    // Built when the table is collected, before the partner server listens: fixed URLs (never fetched on PATCH).
    const passport = (changes: Record<string, unknown>) => ({
      type: 'PASSPORT',
      number: 'P12345678',
      issuingCountry: 'US',
      expirationDate: '2030-12-31',
      frontImageUrl: 'https://storage.example/passport.png',
      ...changes,
    });

    it("When the phone number is not E.164, then 400 is exactly the guide's example", async () => {
      const customer = await create('validation@example.com');
      const res = await patchError(customer.id, { phoneNumber: '4155551234' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'BAD_REQUEST',
        message: 'Validation failed: phoneNumber must be in E.164 format',
        statusCode: 400,
      });
    });

    it.each([
      ['a phone number with a leading 0', { phoneNumber: '+0155551234' }, 'phoneNumber must be in E.164 format'],
      ['a phone number over 15 digits', { phoneNumber: '+1234567890123456' }, 'phoneNumber must be in E.164 format'],
      ['a date of birth not in YYYY-MM-DD', { dateOfBirth: '15/05/1990' }, 'dateOfBirth must be in YYYY-MM-DD format'],
      [
        'a date of birth that is no calendar date',
        { dateOfBirth: '1990-02-30' },
        'dateOfBirth must be in YYYY-MM-DD format',
      ],
      [
        'a customer one day short of 18',
        { dateOfBirth: yearsAgo(18, 1) },
        'dateOfBirth must be at least 18 years ago: customers must be at least 18 years old',
      ],
      ['a date of birth before 1900', { dateOfBirth: '1899-12-31' }, 'dateOfBirth must be on or after 1900-01-01'],
      [
        'an alpha-3 nationality',
        { nationality: 'USA' },
        'nationality must be an ISO 3166-1 alpha-2 country code (e.g. "US")',
      ],
      [
        'a lower-case nationality',
        { nationality: 'us' },
        'nationality must be an ISO 3166-1 alpha-2 country code (e.g. "US")',
      ],
      [
        'an unassigned country code',
        { nationalIdIssuingCountry: 'XX' },
        'nationalIdIssuingCountry must be an ISO 3166-1 alpha-2 country code (e.g. "US")',
      ],
      [
        'an address country that is not alpha-2',
        { address: address({ country: 'United States' }) },
        'address.country must be an ISO 3166-1 alpha-2 country code (e.g. "US")',
      ],
      [
        'a long state code',
        { address: address({ stateCode: 'CAL' }) },
        'address.stateCode must be a 2-letter state code (e.g. "CA")',
      ],
      [
        'a bad locale',
        { address: address({ locale: 'english' }) },
        'address.locale must be a language and region such as "en-US"',
      ],
      ['an address without a city', { address: address({ city: undefined }) }, 'address.city is required'],
      [
        'an unknown national id type',
        { nationalIdType: 'PASSPORT' },
        'nationalIdType must be one of SSN, TIN, NATIONAL_ID',
      ],
      [
        'an unknown employment status',
        { employmentStatus: 'WORKING' },
        'employmentStatus must be one of EMPLOYED, SELF_EMPLOYED, UNEMPLOYED, RETIRED, STUDENT',
      ],
      [
        'an unknown source of funds',
        { sourceOfFunds: 'LOTTERY' },
        'sourceOfFunds must be one of EMPLOYMENT, BUSINESS, INVESTMENTS, INHERITANCE, SAVINGS',
      ],
      [
        'an unknown account purpose',
        { accountPurpose: 'FUN' },
        'accountPurpose must be one of PERSONAL_USE, BUSINESS_USE, INVESTMENT',
      ],
      [
        'an unknown monthly volume',
        { expectedMonthlyPaymentsUsd: '1M' },
        'expectedMonthlyPaymentsUsd must be one of UNDER_10K, 10K_TO_50K, 50K_TO_100K, OVER_100K',
      ],
      ['isIntermediary as a string', { isIntermediary: 'false' }, 'isIntermediary must be a boolean'],
      ['a blank legal name', { legalFirstName: '  ' }, 'legalFirstName must be a non-empty string'],
      ['a required field set to null', { legalLastName: null }, 'legalLastName is required'],
      ['an unknown field', { phone: '+14155551234' }, 'phone is not a known field'],
      ['documents that are not a list', { documents: { type: 'PASSPORT' } }, 'documents must be an array'],
      [
        'an unknown document type',
        { documents: [passport({ type: 'SELFIE' })] },
        'documents[0].type must be one of PASSPORT, DRIVERS_LICENSE, NATIONAL_ID_CARD, RESIDENCE_PERMIT, STATE_ID_CARD, UTILITY_BILL, BANK_STATEMENT, LEASE_AGREEMENT',
      ],
      ['an ID without a number', { documents: [passport({ number: undefined })] }, 'documents[0].number is required'],
      [
        'an expired ID',
        { documents: [passport({ expirationDate: '2020-01-01' })] },
        'documents[0].expirationDate must not be in the past (the document is expired)',
      ],
      [
        'an ID image that is no URL',
        { documents: [passport({ frontImageUrl: 'passport.jpg' })] },
        'documents[0].frontImageUrl must be an absolute http(s) URL',
      ],
      [
        'a proof of address without an issue date',
        { documents: [{ type: 'UTILITY_BILL', frontImageUrl: 'https://storage.example/bill.pdf' }] },
        'documents[0].issueDate is required',
      ],
      ['an empty kycData', {}, 'kycData must contain at least one field'],
    ])('When the KYC data has %s, then 400 names that field and nothing is stored', async (_what, kycData, problem) => {
      const customer = await create('validation@example.com');
      const res = await patchError(customer.id, kycData);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'BAD_REQUEST', message: `Validation failed: ${problem}`, statusCode: 400 });
      const after = (await get(customer.id)).body;
      expect(after.status).toBe('CREATED');
      expect(after.kycData).toEqual({});
    });

    it('When several fields are bad, then one 400 names every one of them', async () => {
      const customer = await create('validation@example.com');
      const res = await patchError(customer.id, {
        phoneNumber: '555-1234',
        dateOfBirth: '1990/05/15',
        nationality: 'USA',
        address: { addressLine1: '1 Main St', country: 'usa' },
        documents: [
          { type: 'PASSPORT', issuingCountry: 'U', expirationDate: '2030-12-31', frontImageUrl: 'ftp://x/y.png' },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(
        'Validation failed: phoneNumber must be in E.164 format; dateOfBirth must be in YYYY-MM-DD format; ' +
          'nationality must be an ISO 3166-1 alpha-2 country code (e.g. "US"); address.country must be an ISO 3166-1 alpha-2 country code (e.g. "US"); ' +
          'address.city is required; address.state is required; address.stateCode is required; address.postalCode is required; address.locale is required; ' +
          'documents[0].number is required; documents[0].issuingCountry must be an ISO 3166-1 alpha-2 country code (e.g. "US"); ' +
          'documents[0].frontImageUrl must be an absolute http(s) URL',
      );
    });

    it('When the body has no kycData, then 400 says it is required', async () => {
      const customer = await create('validation@example.com');
      const res = await call<ErrorBody>('PATCH', `/api/v1/customers/${customer.id}`, {
        body: { legalFirstName: 'Jane' },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Validation failed: legalFirstName is not a known field; kycData is required');
    });

    it('When the customer is exactly 18 today, then the data is accepted', async () => {
      const customer = await create('validation@example.com');
      const res = await patch(customer.id, { dateOfBirth: yearsAgo(18) });
      expect(res.status).toBe(200);
      expect(res.body.kycData).toEqual({ dateOfBirth: yearsAgo(18) });
    });
  });

  describe('Sandbox test emails', () => {
    it('When test-success@example.com submits complete data, then CREATED → UNDER_REVIEW → ACTIVE with a webhook for each change', async () => {
      const customer = await create('test-success@example.com');
      const submitted = await patch(customer.id, completeKycData());
      expect(submitted.status).toBe(200);
      expect(submitted.body.status).toBe('UNDER_REVIEW');
      // The identification number never comes back in clear: its last four only.
      expect(submitted.body.kycData).toEqual({ ...completeKycData(), nationalIdNumber: '•••••6789' });
      const active = await statusBecomes(customer.id, 'ACTIVE');
      expect(active).toMatchObject({ requiredFields: [], requiredDocuments: [], rejectionReason: null });
      const events = await eventsOf(customer.id, 2);
      expect(transitions(events)).toEqual(['CREATED→UNDER_REVIEW', 'UNDER_REVIEW→ACTIVE']);
      expect(events[1]?.payload).toEqual({ customerId: customer.id, oldStatus: 'UNDER_REVIEW', newStatus: 'ACTIVE' });
    });

    it('When test-rfi@example.com submits incomplete data, then NEEDS_ADDITIONAL_INFORMATION lists what is missing, and answering it leads to ACTIVE', async () => {
      const customer = await create('test-rfi@example.com');
      const first = await patch(customer.id, {
        legalFirstName: 'Test',
        legalLastName: 'RFI',
        phoneNumber: '+14155551234',
      });
      expect(first.body.status).toBe('UNDER_REVIEW');
      const rfi = await statusBecomes(customer.id, 'NEEDS_ADDITIONAL_INFORMATION');
      expect(rfi.requiredFields).toEqual([
        'dateOfBirth',
        'nationality',
        'address',
        'nationalIdType',
        'nationalIdNumber',
        'nationalIdIssuingCountry',
        'employmentStatus',
        'mostRecentOccupation',
        'sourceOfFunds',
        'accountPurpose',
        'expectedMonthlyPaymentsUsd',
        'isIntermediary',
      ]);
      expect(rfi.requiredDocuments.map((d) => d.category)).toEqual(['GOVERNMENT_ID', 'PROOF_OF_ADDRESS']);
      expect(rfi.requiredDocuments[1]?.acceptedTypes).toEqual(['UTILITY_BILL', 'BANK_STATEMENT', 'LEASE_AGREEMENT']);
      const events = await eventsOf(customer.id, 2);
      expect(events[1]?.payload).toEqual({
        customerId: customer.id,
        oldStatus: 'UNDER_REVIEW',
        newStatus: 'NEEDS_ADDITIONAL_INFORMATION',
        requiredFields: rfi.requiredFields,
        requiredDocuments: rfi.requiredDocuments,
      });

      // The answer: the rest of the data and the guide's RFI documents (a licence and a utility bill).
      const { documents: _passport, ...rest } = completeKycData();
      const answer = await patch(customer.id, {
        ...rest,
        documents: [
          {
            type: 'DRIVERS_LICENSE',
            number: 'D1234567',
            issuingCountry: 'US',
            expirationDate: '2028-05-15',
            frontImageUrl: partner.url('license-front.jpg'),
            backImageUrl: partner.url('license-back.jpg'),
          },
          { type: 'UTILITY_BILL', issueDate: '2025-10-01', frontImageUrl: partner.url('utility-bill.pdf') },
        ],
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'UNDER_REVIEW', requiredFields: [], requiredDocuments: [] });
      expect(answer.body.kycData.legalFirstName).toBe('Jane');
      await statusBecomes(customer.id, 'ACTIVE');
      expect(transitions(await eventsOf(customer.id, 4))).toEqual([
        'CREATED→UNDER_REVIEW',
        'UNDER_REVIEW→NEEDS_ADDITIONAL_INFORMATION',
        'NEEDS_ADDITIONAL_INFORMATION→UNDER_REVIEW',
        'UNDER_REVIEW→ACTIVE',
      ]);
    });

    it('When test-rfi@example.com submits complete data, then the first review still asks for a proof of address, and sending one activates', async () => {
      const customer = await create('test-rfi@example.com');
      await patch(customer.id, completeKycData());
      const rfi = await statusBecomes(customer.id, 'NEEDS_ADDITIONAL_INFORMATION');
      expect(rfi.requiredFields).toEqual([]);
      expect(rfi.requiredDocuments.map((d) => d.category)).toEqual(['PROOF_OF_ADDRESS']);
      const documents = [
        ...(completeKycData().documents as object[]),
        { type: 'BANK_STATEMENT', issueDate: '2025-10-01', frontImageUrl: partner.url('utility-bill.pdf') },
      ];
      expect((await patch(customer.id, { documents })).body.status).toBe('UNDER_REVIEW');
      await statusBecomes(customer.id, 'ACTIVE');
    });

    it('When test-rejected@example.com submits, then it is REJECTED with a reason; a new PATCH is allowed and reviewed again', async () => {
      const customer = await create('test-rejected@example.com');
      await patch(customer.id, completeKycData());
      const rejected = await statusBecomes(customer.id, 'REJECTED');
      expect(rejected.rejectionReason).toMatch(/could not be verified/);
      const events = await eventsOf(customer.id, 2);
      expect(events[1]?.payload).toEqual({
        customerId: customer.id,
        oldStatus: 'UNDER_REVIEW',
        newStatus: 'REJECTED',
        reason: rejected.rejectionReason,
      });
      const again = await patch(customer.id, { phoneNumber: '+442071234567' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'UNDER_REVIEW', rejectionReason: null });
      await statusBecomes(customer.id, 'REJECTED');
      expect(transitions(await eventsOf(customer.id, 4)).slice(2)).toEqual([
        'REJECTED→UNDER_REVIEW',
        'UNDER_REVIEW→REJECTED',
      ]);
    });

    it("When a customer submits to an instance with the default timing, then the review is due in about 30 s as the guide says, and test-delay@example.com takes 10 × that (the guide's 5 minutes); a short delay then activates", async () => {
      const atDefault = await create('test-delay@example.com', defaultServed.baseUrl);
      await patch(atDefault.id, completeKycData(), defaultServed.baseUrl);
      const due = await sql<{ seconds: number }>`
        select extract(epoch from review_due_at - updated_at)::float8 as seconds from sandbox.kyc_customers where id = ${atDefault.id}`.execute(
        db,
      );
      expect(due.rows[0]?.seconds).toBeCloseTo(300, 0);
      const atSuccess = await create('test-success@example.com', defaultServed.baseUrl);
      await patch(atSuccess.id, completeKycData(), defaultServed.baseUrl);
      const successDue = await sql<{ seconds: number }>`
        select extract(epoch from review_due_at - updated_at)::float8 as seconds from sandbox.kyc_customers where id = ${atSuccess.id}`.execute(
        db,
      );
      expect(successDue.rows[0]?.seconds).toBeCloseTo(30, 1);

      // An instance whose review delay is 200 ms: the delayed review is due 2 s after the
      // submission, and is decided no earlier (both times as the sandbox recorded them).
      const customer = await create('test-delay@example.com', quickServed.baseUrl);
      expect((await patch(customer.id, completeKycData(), quickServed.baseUrl)).body.status).toBe('UNDER_REVIEW');
      const submission = await sql<{ submitted: Date; due: Date }>`
        select updated_at as submitted, review_due_at as due from sandbox.kyc_customers where id = ${customer.id}`.execute(
        db,
      );
      const { submitted, due: reviewDue } = submission.rows[0] ?? { submitted: new Date(0), due: new Date(0) };
      expect((reviewDue.getTime() - submitted.getTime()) / 1000).toBeCloseTo(2, 1);
      await statusBecomes(customer.id, 'ACTIVE');
      const events = await sql<{ at: Date; body: string }>`
        select created_at as at, body from sandbox.kyc_webhook_events where customer_id = ${customer.id} order by sequence`.execute(
        db,
      );
      const raised = events.rows.map((e) => ({
        at: e.at,
        newStatus: (JSON.parse(e.body) as KycWebhookEvent).payload.newStatus,
      }));
      expect(raised.map((e) => e.newStatus)).toEqual(['UNDER_REVIEW', 'ACTIVE']);
      expect(raised[1]?.at.getTime()).toBeGreaterThanOrEqual(reviewDue.getTime());
    });

    it('When any other email submits, then complete data activates and incomplete data is asked for', async () => {
      const complete = await create('someone@example.org');
      await patch(complete.id, completeKycData());
      await statusBecomes(complete.id, 'ACTIVE');
      const incomplete = await create('someone-else@example.org');
      const { address: _address, documents: _documents, ...partial } = completeKycData();
      await patch(incomplete.id, partial);
      const rfi = await statusBecomes(incomplete.id, 'NEEDS_ADDITIONAL_INFORMATION');
      expect(rfi.requiredFields).toEqual(['address']);
      expect(rfi.requiredDocuments.map((d) => d.category)).toEqual(['GOVERNMENT_ID']);
    });
  });

  describe('Document images', () => {
    it.each([
      ['too small', 'tiny.png', 'files must be at least 100 KB'],
      ['not JPG, PNG or PDF', 'photo.gif', 'not a JPG, PNG or PDF'],
      ['over 10 MB', 'huge.pdf', 'larger than 10 MB'],
      ['not found', 'missing.png', 'could not be retrieved (HTTP 404)'],
    ])(
      'When the only ID image is %s, then the review asks for a government ID again and says why',
      async (_what, name, reason) => {
        const customer = await create('test-success@example.com');
        const data = completeKycData();
        await patch(customer.id, {
          ...data,
          documents: [{ ...(data.documents as object[])[0], frontImageUrl: partner.url(name) }],
        });
        const rfi = await statusBecomes(customer.id, 'NEEDS_ADDITIONAL_INFORMATION');
        expect(rfi.requiredFields).toEqual([]);
        expect(rfi.requiredDocuments).toHaveLength(1);
        expect(rfi.requiredDocuments[0]?.category).toBe('GOVERNMENT_ID');
        expect(rfi.requiredDocuments[0]?.reason).toContain('documents[0].frontImageUrl');
        expect(rfi.requiredDocuments[0]?.reason).toContain(reason);
        // Answered with a good image: the review activates.
        await patch(customer.id, { documents: data.documents });
        await statusBecomes(customer.id, 'ACTIVE');
      },
    );
  });

  describe('PATCH per state', () => {
    const notAllowed = (status: string, message: string) => ({
      error: 'PATCH_NOT_ALLOWED',
      message,
      statusCode: 400,
      customerStatus: status,
    });

    it("When the customer is UNDER_REVIEW, then PATCH is refused with the guide's exact error and nothing changes", async () => {
      const customer = await create('test-delay@example.com');
      await patch(customer.id, completeKycData());
      const res = await patchError(customer.id, { legalFirstName: 'Janet' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(
        notAllowed('UNDER_REVIEW', 'Cannot update KYC data: verification is currently in progress'),
      );
      // Refused before the body is looked at: a bad body gets the same answer.
      expect((await patchError(customer.id, { phoneNumber: 'bad' })).body.error).toBe('PATCH_NOT_ALLOWED');
      const after = (await get(customer.id)).body;
      expect(after.status).toBe('UNDER_REVIEW');
      expect(after.kycData.legalFirstName).toBe('Jane');
    });

    it('When the customer is ACTIVE, then PATCH is refused with PATCH_NOT_ALLOWED', async () => {
      const customer = await create('test-success@example.com');
      await patch(customer.id, completeKycData());
      await statusBecomes(customer.id, 'ACTIVE');
      const res = await patchError(customer.id, { legalFirstName: 'Janet' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(
        notAllowed(
          'ACTIVE',
          'Cannot update KYC data: customer is ACTIVE; updates are only allowed in CREATED, NEEDS_ADDITIONAL_INFORMATION, REJECTED',
        ),
      );
      expect(transitions(await eventsOf(customer.id, 2))).toEqual(['CREATED→UNDER_REVIEW', 'UNDER_REVIEW→ACTIVE']);
    });

    it('When PATCHes follow each other, then they merge: objects field by field, lists replaced, null removes an optional field', async () => {
      const customer = await create('test-rfi@example.com');
      await patch(customer.id, { legalFirstName: 'Test', legalMiddleName: 'M', address: completeKycData().address });
      await statusBecomes(customer.id, 'NEEDS_ADDITIONAL_INFORMATION');
      const res = await patch(customer.id, {
        legalMiddleName: null,
        address: { city: 'Oakland', addressLine2: null },
        nationality: 'GB',
      });
      expect(res.status).toBe(200);
      expect(res.body.kycData).toEqual({
        legalFirstName: 'Test',
        nationality: 'GB',
        address: {
          addressLine1: '123 Main Street',
          city: 'Oakland',
          state: 'California',
          stateCode: 'CA',
          postalCode: '94102',
          country: 'US',
          locale: 'en-US',
        },
      });
    });
  });

  describe('Webhooks', () => {
    it('When events are delivered, then each is signed over timestamp and body, carries its id, and ids are unique', async () => {
      const customer = await create('test-success@example.com');
      await patch(customer.id, completeKycData());
      await eventsOf(customer.id, 2);
      const deliveries = partner.received.filter((r) => r.event.payload.customerId === customer.id);
      for (const { headers, body, event } of deliveries) {
        const timestamp = String(headers['x-webhook-timestamp']);
        expect(timestamp).toMatch(/^\d{10}$/);
        expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
        expect(headers['x-webhook-signature']).toBe(signKycWebhook(webhookSecret, timestamp, body));
        expect(headers['x-webhook-signature']).not.toBe(signKycWebhook('another-secret', timestamp, body));
        expect(headers['x-webhook-id']).toBe(event.id);
        expect(headers['content-type']).toBe('application/json');
        expect(event.id).toMatch(uuid);
        expect(event.type).toBe('customer.state_changed');
        expect(new Date(event.createdAt).toISOString()).toBe(event.createdAt);
      }
      const ids = partner.received.filter((r) => r.answered < 300).map((r) => r.event.id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('When the receiver answers 500 once, then the same event is redelivered and both attempts are recorded', async () => {
      const customer = await create('test-success@example.com');
      partner.failOnce.add(customer.id);
      await patch(customer.id, completeKycData());
      const events = await eventsOf(customer.id, 2);
      const all = partner.received.filter(
        (r) => r.event.payload.customerId === customer.id && r.event.payload.newStatus === 'UNDER_REVIEW',
      );
      expect(all.map((r) => r.answered)).toEqual([500, 200]);
      expect(all[0]?.event.id).toBe(all[1]?.event.id);
      expect(all[0]?.body).toBe(all[1]?.body);
      expect(events[0]?.id).toBe(all[0]?.event.id);
      const eventId = all[0]?.event.id ?? '';
      await waitFor(
        async () => {
          const rows = (
            await sql<{ status: string }>`select status from sandbox.kyc_webhook_events where id = ${eventId}`.execute(
              db,
            )
          ).rows;
          return rows[0]?.status === 'delivered';
        },
        { what: 'the delivery to be recorded' },
      );
      const attempts = await sql<{ attempt: number; response_status: number | null; error: string | null }>`
        select attempt, response_status, error from sandbox.kyc_webhook_attempts where event_id = ${eventId} order by attempt`.execute(
        db,
      );
      expect(attempts.rows).toEqual([
        { attempt: 1, response_status: 500, error: 'answered 500' },
        { attempt: 2, response_status: 200, error: null },
      ]);
    });

    it('When an instance has no webhook URL, then its events are recorded as skipped and never sent', async () => {
      const customer = await create('test-success@example.com', defaultServed.baseUrl);
      await patch(customer.id, { legalFirstName: 'Jane' }, defaultServed.baseUrl);
      const rows = await sql<{
        status: string;
      }>`select status from sandbox.kyc_webhook_events where customer_id = ${customer.id}`.execute(db);
      expect(rows.rows).toEqual([{ status: 'skipped' }]);
    });
  });
});
