/**
 * Conformance of the built-in Fin.com sandbox's own HTTP API against the V2 guide: auth, the
 * catalogue, every create rule and error body, uploads, every attach rule, the asynchronous
 * outcomes, the RFI round trip, and signed webhooks with redelivery. Real HTTP against a
 * fresh migrated database.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createFinSandbox,
  type FinSandboxOptions,
  migrateSandboxes,
  type ServedSandbox,
  serveFinSandbox,
  signFinWebhook,
} from '@desk/sandboxes';
import { connectDatabase, createLogger, type Database, openDatabase } from '@desk/server';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

const apiToken = 'fin-sandbox-access-token';
const webhookSecret = 'fin-webhook-secret';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const jpeg = Buffer.from('ffd8ffe000104a464946', 'hex');
const pdf = Buffer.from('%PDF-1.4\n%sandbox\n', 'latin1');

type Json = Record<string, unknown>;
type Reply<T = Json> = { status: number; body: T; headers: Headers };
type ValidationBody = { message: string; errors: Record<string, string[]> };
type CodedBody = { error: { code: string; message: string } };
type Rfi = {
  id: string;
  status: string;
  sections: {
    section: string;
    fields: { field: string; status: string }[];
    documents: { document_type: string; status: string }[];
  }[];
};
type Customer = {
  id: string;
  status: string;
  basic_info: Json & { tax_info: { document_id: string }[] };
  tos_policies_url: string;
  required_actions: { category: string }[] | null;
  rejection_reason: string | null;
  rfi: Rfi | null;
  [key: string]: unknown;
};
type WebhookEvent = { id: string; type: string; created_at: string; data: Json & { customer_id: string } };
type Received = { headers: IncomingHttpHeaders; body: string; event: WebhookEvent; answered: number };

const inYears = (years: number) => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function customerBody(
  email = `maria.${randomUUID().slice(0, 8)}@example.com`,
): Json & { basic_info: Json; address: Json; financial_profile: Json } {
  return {
    verification_type: 'STANDARD',
    basic_info: {
      first_name: 'Maria',
      middle_name: 'Elena',
      last_name: 'Garcia',
      dob: '1990-04-15',
      email,
      phone: '+14155552671',
      country_of_residence: 'USA',
      primary_nationality: 'USA',
      secondary_nationality: 'MEX',
      gender: 'FEMALE',
      tax_info: [{ country_code: 'USA', document_type: 'SSN', document_id: '123-45-6789' }],
    },
    address: {
      street_line_1: '123 Market Street',
      street_line_2: 'Apt 4B',
      city: 'San Francisco',
      subdivision_code: 'US-CA',
      postal_code: '94103',
      country: 'USA',
    },
    financial_profile: {
      employment_status: 'EMPLOYED',
      occupation_id: 42,
      purpose_id: 3,
      purpose_remarks: 'Personal remittances to family',
      source_of_fund_ids: [1, 5],
      source_of_funds_description: 'Monthly salary from employment',
      monthly_volume_usd: 5000,
    },
    meta_data: { reference: 'client-ref-abc-001' },
  };
}

/** Captures deliveries; answers 500 once to the next event of the customers it is told to. */
class WebhookReceiver {
  readonly received: Received[] = [];
  readonly failOnce = new Set<string>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const event = JSON.parse(body) as WebhookEvent;
        const answered = this.failOnce.delete(event.data.customer_id) ? 500 : 204;
        this.received.push({ headers: req.headers, body, event, answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/webhooks/fin`;
  }

  for(customerId: string): Received[] {
    return this.received.filter((r) => r.event.data.customer_id === customerId && r.answered < 300);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe.each(databaseKinds)('Fin.com sandbox on %s database', (kind) => {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const receiver = new WebhookReceiver();
  let database: TestDatabase;
  let opened: { db: Kysely<Database>; url: string; close(): Promise<void> };
  // The embedded server interleaves messages of concurrent connections (see the Jiko test):
  // on it everything shares one connection; real Postgres gets a real pool.
  let db: Kysely<Database>;
  let closeDb = async (): Promise<void> => undefined;
  let sandbox: ReturnType<typeof createFinSandbox>;
  let served: ServedSandbox;
  // Instances sharing the database with no loop and no webhook URL, as other processes would:
  // one whose attaches stay queued for a minute, one requiring a selfie, one with RELIANCE.
  let slowServed: ServedSandbox;
  let selfieServed: ServedSandbox;
  let relianceServed: ServedSandbox;

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
    await receiver.start();
    sandbox = createFinSandbox({
      db,
      apiToken,
      webhook: { url: receiver.url, secret: webhookSecret },
      reviewDelayMs: 40,
      logger,
    });
    sandbox.start();
    served = await serveFinSandbox(sandbox.router);
    const other = (extra: Partial<FinSandboxOptions>) =>
      serveFinSandbox(
        createFinSandbox({
          db,
          apiToken,
          webhook: { url: null, secret: webhookSecret },
          reviewDelayMs: 40,
          logger,
          ...extra,
        }).router,
      );
    slowServed = await other({ reviewDelayMs: 60_000 });
    selfieServed = await other({ requireSelfie: true });
    relianceServed = await other({ relianceEnabled: true });
  });

  afterAll(async () => {
    await sandbox?.stop();
    for (const s of [served, slowServed, selfieServed, relianceServed]) await s?.close();
    await receiver.close();
    await closeDb();
    await opened?.close();
    await database?.drop();
  });

  async function call<T = Json>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; token?: string | null; baseUrl?: string; form?: FormData } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? apiToken : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    if (options.form) body = options.form;
    else if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (typeof body === 'string') headers['content-type'] = 'application/json';
    const res = await fetch(`${options.baseUrl ?? served.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  const create = (body: unknown, baseUrl?: string) =>
    call<{ data: Customer } & ValidationBody>('POST', '/v2/customers/individual', { body, baseUrl });
  const get = async (id: string) => (await call<{ data: Customer }>('GET', `/v2/customers/${id}`)).body.data;

  async function newCustomer(email?: string): Promise<Customer> {
    const res = await create(customerBody(email));
    expect(res.status).toBe(201);
    return res.body.data;
  }

  /** Uploads files for a customer; returns their uris by field name. */
  async function upload(
    customerId: string,
    files: [field: string, name: string, bytes: Buffer][],
  ): Promise<Reply<{ data: { files: Record<string, string>[] } } & ValidationBody & CodedBody>> {
    const form = new FormData();
    form.append('customer_id', customerId);
    for (const [field, name, bytes] of files) form.append(field, new Blob([new Uint8Array(bytes)]), name);
    return call('POST', '/v1/customers/upload', { form });
  }

  async function uris(customerId: string, count: number): Promise<string[]> {
    const files = Array.from({ length: count }, (_, i): [string, string, Buffer] => [
      `file${i + 1}`,
      i % 2 ? `doc${i}.pdf` : `img${i}.jpg`,
      i % 2 ? pdf : jpeg,
    ]);
    const res = await upload(customerId, files);
    expect(res.status).toBe(200);
    return res.body.data.files.map((f, i) => f[`file${i + 1}`] ?? '');
  }

  /** The guide's attach example, with the customer's own uploads. */
  async function attachBody(
    customerId: string,
  ): Promise<Json & { identifying_documents: Json[]; address_documents: Json[] }> {
    const [selfie, front, back, statement] = await uris(customerId, 4);
    return {
      identifying_documents: [
        { type: 'SELFIE', files: [{ uri: selfie }] },
        {
          type: 'DRIVERS_LICENSE',
          number: 'DL987654321',
          country: 'USA',
          state: 'US-CA',
          issue_date: '2019-06-01',
          expiry_date: inYears(3),
          files: [
            { side: 'FRONT', uri: front },
            { side: 'BACK', uri: back },
          ],
        },
      ],
      address_documents: [{ type: 'BANK_STATEMENT', country: 'USA', files: [{ uri: statement }] }],
    };
  }

  const attach = (id: string, body: unknown, baseUrl?: string) =>
    call<{ data: { customer_id: string }; meta: null } & ValidationBody & CodedBody>(
      'POST',
      `/v2/customers/${id}/individual/attach`,
      { body, baseUrl },
    );

  const settled = (id: string, status: string) =>
    waitFor(
      async () => {
        const c = await get(id);
        return c.status === status ? c : null;
      },
      { what: `${id} to be ${status}` },
    );

  const eventOf = (id: string, type: string, where: (e: WebhookEvent) => boolean = () => true) =>
    waitFor(async () => receiver.for(id).find((r) => r.event.type === type && where(r.event)), {
      what: `${type} for ${id}`,
    });

  async function attachAndDecide(email: string): Promise<Customer> {
    const customer = await newCustomer(email);
    const res = await attach(customer.id, await attachBody(customer.id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { customer_id: customer.id }, meta: null });
    await eventOf(customer.id, 'customer.status', (e) => e.data.status === 'REVIEWING');
    return waitFor(
      async () => {
        const c = await get(customer.id);
        return c.status === 'REVIEWING' || c.status === 'INCOMPLETE' ? null : c;
      },
      { what: 'a decision' },
    );
  }

  const errorsOf = (res: Reply<ValidationBody>) => Object.keys(res.body.errors ?? {}).sort();

  function withField(path: string, value: unknown): Json {
    const body = customerBody();
    const parts = path.split('.');
    let target: Json = body;
    for (const part of parts.slice(0, -1)) target = target[part] as Json;
    const last = parts.at(-1) ?? '';
    if (value === undefined) delete target[last];
    else target[last] = value;
    return body;
  }

  describe('auth and catalogue', () => {
    it('When no token or a wrong token is sent, then every route answers 401 with an error body', async () => {
      for (const token of [null, 'wrong-token']) {
        for (const [method, path] of [
          ['GET', '/v1/occupations'],
          ['POST', '/v2/customers/individual'],
          ['GET', `/v2/customers/${randomUUID()}`],
          ['POST', '/v1/customers/upload'],
        ]) {
          const res = await call<CodedBody>(method ?? 'GET', path ?? '/', {
            token,
            body: method === 'POST' ? {} : undefined,
          });
          expect(res.status, `${method} ${path}`).toBe(401);
          expect(res.body.error.code).toBe('unauthorized');
          expect(res.headers.get('www-authenticate')).toBe('Bearer');
        }
      }
    });

    it('When the catalogue is fetched, then occupations, INDIVIDUAL purposes and sources of funds have ids', async () => {
      const occupations = await call<{ data: { id: number; name: string }[] }>('GET', '/v1/occupations');
      expect(occupations.status).toBe(200);
      expect(occupations.body.data).toContainEqual({ id: 42, name: expect.any(String) });
      for (const path of ['/v1/purposes', '/v1/source-of-funds']) {
        const res = await call<{ data: { id: number; type: string }[] }>('GET', `${path}?type=INDIVIDUAL`);
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeGreaterThan(3);
        expect(res.body.data.every((e) => e.type === 'INDIVIDUAL' && Number.isInteger(e.id))).toBe(true);
        expect((await call<ValidationBody>('GET', `${path}?type=ALIEN`)).status).toBe(400);
      }
      const states = await call<{ data: { code: string }[] }>('GET', '/v1/countries/USA/subdivisions');
      expect(states.body.data).toContainEqual({ code: 'US-CA', name: 'California' });
      expect((await call('GET', '/v1/countries/XXX/subdivisions')).status).toBe(404);
    });
  });

  describe('create customer', () => {
    it('When the guide example is sent, then the customer is INCOMPLETE, readable, and customer.created is signed', async () => {
      const res = await create(customerBody('maria.garcia@example.com'));
      expect(res.status).toBe(201);
      const customer = res.body.data;
      expect(customer).toMatchObject({
        type: 'INDIVIDUAL',
        status: 'INCOMPLETE',
        verification_type: 'STANDARD',
        rfi: null,
        required_actions: null,
        rejection_reason: null,
      });
      expect(customer.id).toMatch(uuid);
      expect(customer.basic_info.tax_info).toEqual([
        { country_code: 'USA', document_type: 'SSN', document_id: '***-**-6789' },
      ]);
      expect(new URL(customer.tos_policies_url).searchParams.get('tos_policies_value')).toMatch(uuid);
      expect(await get(customer.id)).toEqual(customer);
      const created = await eventOf(customer.id, 'customer.created');
      expect(created.event.data).toEqual({
        customer_id: customer.id,
        status: 'INCOMPLETE',
        verification_type: 'STANDARD',
      });
      expect((await call<CodedBody>('GET', `/v2/customers/${randomUUID()}`)).body.error.code).toBe('not_found');
      expect((await call('GET', '/v2/customers/not-a-uuid')).status).toBe(404);
    });

    it("When the email has uppercase characters, then 400 is exactly the guide's error body", async () => {
      const res = await create(withField('basic_info.email', 'Maria.Garcia@Example.com'));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        message: 'Validation failed',
        errors: { 'basic_info.email': ['Email must be all lowercase'] },
      });
    });

    it("When address.country does not match country_of_residence, then 400 is exactly the guide's error body", async () => {
      const body = customerBody();
      body.address = { ...body.address, country: 'MEX', subdivision_code: 'MX-JAL', postal_code: '44100' };
      const res = await create(body);
      expect(res.body).toEqual({
        message: 'Validation failed',
        errors: { 'address.country': ['Must match basic_info.country_of_residence'] },
      });
    });

    it("When RELIANCE is not enabled, then 423 with the guide's message; where enabled, it is created", async () => {
      const res = await create({ ...customerBody(), verification_type: 'RELIANCE' });
      expect(res.status).toBe(423);
      expect(res.body).toEqual({ message: 'RELIANCE is not available for your client' });
      const enabled = await create({ ...customerBody(), verification_type: 'RELIANCE' }, relianceServed.baseUrl);
      expect(enabled.status).toBe(201);
      expect(enabled.body.data.verification_type).toBe('RELIANCE');
    });

    it('When the body is empty, then every required top-level field is named', async () => {
      const res = await create({});
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual({
        verification_type: ['verification_type is required'],
        basic_info: ['basic_info is required'],
        address: ['address is required'],
        financial_profile: ['financial_profile is required'],
      });
    });

    it.each([
      'verification_type',
      'basic_info.first_name',
      'basic_info.last_name',
      'basic_info.dob',
      'basic_info.email',
      'basic_info.phone',
      'basic_info.country_of_residence',
      'basic_info.primary_nationality',
      'basic_info.tax_info',
      'address.street_line_1',
      'address.city',
      'address.subdivision_code',
      'address.postal_code',
      'financial_profile.employment_status',
      'financial_profile.occupation_id',
      'financial_profile.purpose_id',
      'financial_profile.source_of_fund_ids',
      'financial_profile.monthly_volume_usd',
    ])('When %s is missing, then 400 names exactly it as "<field> is required"', async (path) => {
      const res = await create(withField(path, undefined));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual({ [path]: [`${path.split('.').at(-1)} is required`] });
    });

    it('When optional fields are left out, then the customer is created', async () => {
      const body = customerBody();
      for (const key of ['middle_name', 'secondary_nationality', 'gender']) delete body.basic_info[key];
      delete body.address.street_line_2;
      for (const key of ['purpose_remarks', 'source_of_funds_description']) delete body.financial_profile[key];
      delete body.meta_data;
      expect((await create(body)).status).toBe(201);
    });

    it('When names and streets hold non-ASCII without _en, then each _en field is named; with them, it is created', async () => {
      const body = customerBody();
      Object.assign(body.basic_info, { first_name: 'María', middle_name: 'Élena', last_name: 'García' });
      Object.assign(body.address, { street_line_1: 'Calle Mayor 5', street_line_2: 'Piso 2º' });
      body.address.street_line_1 = 'Straße 5';
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(errorsOf(res)).toEqual([
        'address.street_line_1_en',
        'address.street_line_2_en',
        'basic_info.first_name_en',
        'basic_info.last_name_en',
        'basic_info.middle_name_en',
      ]);
      Object.assign(body.basic_info, { first_name_en: 'Maria', middle_name_en: 'Elena', last_name_en: 'Garcia' });
      Object.assign(body.address, { street_line_1_en: 'Strasse 5', street_line_2_en: 'Piso 2' });
      const ok = await create(body);
      expect(ok.status).toBe(201);
      expect(ok.body.data.basic_info).toMatchObject({ first_name: 'María', first_name_en: 'Maria' });
      const badEn = await create(withField('basic_info.first_name_en', 'Maríа'));
      expect(errorsOf(badEn)).toEqual(['basic_info.first_name_en']);
      expect(errorsOf(await create(withField('address.city', 'São Paulo')))).toEqual(['address.city']);
    });

    it.each([
      ['basic_info.phone', '(415) 555-2671'],
      ['basic_info.phone', '14155552671'],
      ['basic_info.phone', '+0123456789'],
      ['basic_info.email', 'not-an-email'],
      ['basic_info.dob', '1990-02-30'],
      ['basic_info.dob', '15/04/1990'],
      ['basic_info.dob', inYears(-17)],
      ['basic_info.dob', inYears(-121)],
      ['basic_info.country_of_residence', 'US'],
      ['basic_info.country_of_residence', 'usa'],
      ['basic_info.primary_nationality', 'XYZ'],
      ['basic_info.secondary_nationality', 'MX'],
      ['basic_info.gender', 'OTHER'],
      ['basic_info.tax_info', 'SSN'],
      ['address.subdivision_code', 'CA'],
      ['address.subdivision_code', 'GB-ENG'],
      ['address.subdivision_code', 'US-XX'],
      ['address.postal_code', 'ABCDE'],
      ['financial_profile.employment_status', 'PIRATE'],
      ['financial_profile.occupation_id', 9999],
      ['financial_profile.occupation_id', '42'],
      ['financial_profile.purpose_id', 101],
      ['financial_profile.monthly_volume_usd', 5000.5],
      ['financial_profile.monthly_volume_usd', -1],
      ['financial_profile.monthly_volume_usd', '5000'],
      ['financial_profile.source_of_fund_ids', 1],
      ['verification_type', 'PREMIUM'],
    ] as const)('When %s is %j, then 400 names exactly it', async (path, value) => {
      const res = await create(withField(path, value));
      expect(res.status).toBe(400);
      expect(errorsOf(res)).toEqual([path]);
      expect(res.body.message).toBe('Validation failed');
    });

    it('When age is exactly 18 or monthly volume is 0, then it is accepted', async () => {
      expect((await create(withField('basic_info.dob', inYears(-18)))).status).toBe(201);
      expect((await create(withField('financial_profile.monthly_volume_usd', 0))).status).toBe(201);
    });

    it('When tax_info has a bad SSN, a repeated document_id or bad entries, then each entry is named', async () => {
      const ssn = await create(
        withField('basic_info.tax_info', [{ country_code: 'USA', document_type: 'SSN', document_id: '123456789' }]),
      );
      expect(ssn.body.errors).toEqual({
        'basic_info.tax_info.0.document_id': ['TIN must be in SSN format (xxx-xx-xxxx) for USA customers'],
      });
      const dup = await create(
        withField('basic_info.tax_info', [
          { country_code: 'USA', document_type: 'SSN', document_id: '123-45-6789' },
          { country_code: 'MEX', document_type: 'RFC', document_id: 'GODE561231GR8' },
          { country_code: 'MEX', document_type: 'CURP', document_id: 'GODE561231GR8' },
        ]),
      );
      expect(errorsOf(dup)).toEqual(['basic_info.tax_info.2.document_id']);
      const bad = await create(withField('basic_info.tax_info', [{ country_code: 'ZZZ', document_id: '?' }, 'x']));
      expect(errorsOf(bad)).toEqual([
        'basic_info.tax_info.0.country_code',
        'basic_info.tax_info.0.document_type',
        'basic_info.tax_info.1',
      ]);
      const multi = await create(
        withField('basic_info.tax_info', [
          { country_code: 'USA', document_type: 'SSN', document_id: '123-45-6789' },
          { country_code: 'MEX', document_type: 'RFC', document_id: 'GODE561231GR8' },
        ]),
      );
      expect(multi.status).toBe(201);
    });

    it('When source_of_fund_ids has unknown, BUSINESS or repeated ids, then each item is named', async () => {
      const res = await create(withField('financial_profile.source_of_fund_ids', [1, 999, 101, 1, 'x']));
      expect(errorsOf(res)).toEqual([
        'financial_profile.source_of_fund_ids.1',
        'financial_profile.source_of_fund_ids.2',
        'financial_profile.source_of_fund_ids.3',
        'financial_profile.source_of_fund_ids.4',
      ]);
      expect(errorsOf(await create(withField('financial_profile.source_of_fund_ids', [])))).toEqual([
        'financial_profile.source_of_fund_ids',
      ]);
    });

    it('When many fields are wrong at once, then every bad field is named and nothing is created', async () => {
      const count = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from sandbox.fin_customers`.execute(db)).rows[0]?.n ?? 0;
      const before = await count();
      const body = customerBody('Upper@Example.com');
      Object.assign(body.basic_info, { phone: '555-2671', dob: '2020-01-01', first_name: 'Zoë' });
      Object.assign(body.address, { country: 'CAN', subdivision_code: 'CA' });
      Object.assign(body.financial_profile, { occupation_id: 0, monthly_volume_usd: 500000.25 });
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(errorsOf(res)).toEqual(
        [
          'address.country',
          'address.subdivision_code',
          'basic_info.dob',
          'basic_info.email',
          'basic_info.first_name_en',
          'basic_info.phone',
          'financial_profile.monthly_volume_usd',
          'financial_profile.occupation_id',
        ].sort(),
      );
      expect(await count()).toBe(before);
    });

    it('When the JSON is malformed or not an object, then 400 on body, never 500', async () => {
      for (const raw of ['{"verification_type": ', '[1, 2]', 'null', '', '"x"']) {
        const res = await call<ValidationBody>('POST', '/v2/customers/individual', { raw });
        expect(res.status, raw).toBe(400);
        expect(Object.keys(res.body.errors)).toEqual(['body']);
      }
      const wrongTypes = await create({ verification_type: 7, basic_info: [], address: 'x', financial_profile: 1 });
      expect(errorsOf(wrongTypes)).toEqual(['address', 'basic_info', 'financial_profile', 'verification_type']);
    });
  });

  describe('upload', () => {
    it("When PDF, JPG, JPEG and PNG files are uploaded, then each gets a uri like the guide's, in order", async () => {
      const customer = await newCustomer();
      const res = await upload(customer.id, [
        ['file1', 'selfie.jpg', jpeg],
        ['file2', 'front.PDF', pdf],
        ['file3', 'back.jpeg', jpeg],
        ['file4', 'bill.png', png],
      ]);
      expect(res.status).toBe(200);
      expect(res.body.data.files.map((f) => Object.keys(f)[0])).toEqual(['file1', 'file2', 'file3', 'file4']);
      const all = res.body.data.files.map((f) => Object.values(f)[0] ?? '');
      expect(all[0]).toMatch(/^\/[A-Za-z0-9]{8}_\d{13}\.jpg$/);
      expect(all[1]).toMatch(/\.pdf$/);
      expect(new Set(all).size).toBe(4);
    });

    it('When a file has another type, lies about its type or is empty, then 400 names its field', async () => {
      const customer = await newCustomer();
      const res = await upload(customer.id, [
        ['file1', 'notes.txt', Buffer.from('hello')],
        ['file2', 'fake.pdf', png],
        ['file3', 'empty.png', Buffer.alloc(0)],
        ['file4', 'ok.png', png],
      ]);
      expect(res.status).toBe(400);
      expect(errorsOf(res)).toEqual(['file1', 'file2', 'file3']);
    });

    it('When customer_id or files are missing or unknown, or a file is too big, then 400 or 413', async () => {
      const noFiles = new FormData();
      noFiles.append('customer_id', (await newCustomer()).id);
      expect(errorsOf(await call<ValidationBody>('POST', '/v1/customers/upload', { form: noFiles }))).toEqual([
        'files',
      ]);
      const noCustomer = new FormData();
      noCustomer.append('file1', new Blob([new Uint8Array(png)]), 'a.png');
      expect(errorsOf(await call<ValidationBody>('POST', '/v1/customers/upload', { form: noCustomer }))).toEqual([
        'customer_id',
      ]);
      expect(errorsOf(await upload(randomUUID(), [['file1', 'a.png', png]]))).toEqual(['customer_id']);
      expect((await call('POST', '/v1/customers/upload', { raw: '{}' })).status).toBe(400);
      const big = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)]);
      const tooBig = await upload((await newCustomer()).id, [['file1', 'big.pdf', big]]);
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.error.code).toBe('payload_too_large');
    });
  });

  describe('attach', () => {
    it("When the guide's attach example is sent, then 200 queued, REVIEWING follows and the default outcome is APPROVED", async () => {
      const approved = await attachAndDecide(`approve.${randomUUID().slice(0, 6)}@example.com`);
      expect(approved.status).toBe('APPROVED');
      await eventOf(approved.id, 'customer.status', (e) => e.data.status === 'APPROVED');
      expect(
        receiver
          .for(approved.id)
          .filter((r) => r.event.type === 'customer.status')
          .map((r) => [r.event.data.previous_status, r.event.data.status]),
      ).toEqual([
        ['INCOMPLETE', 'REVIEWING'],
        ['REVIEWING', 'APPROVED'],
      ]);
    });

    it('When tos_policies_value is sent, then it must be the one from tos_policies_url', async () => {
      const customer = await newCustomer();
      const body = await attachBody(customer.id);
      const wrong = await attach(customer.id, { ...body, tos_policies_value: randomUUID() });
      expect(errorsOf(wrong)).toEqual(['tos_policies_value']);
      const value = new URL(customer.tos_policies_url).searchParams.get('tos_policies_value');
      expect((await attach(customer.id, { ...body, tos_policies_value: value })).status).toBe(200);
    });

    it("When an attach is in flight, then a second one is 409 with the guide's body, even when sent at once", async () => {
      const customer = await newCustomer();
      const body = await attachBody(customer.id);
      const answers = await Promise.all([0, 1, 2].map(() => attach(customer.id, body, slowServed.baseUrl)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
      const conflict = answers.find((a) => a.status === 409);
      expect(conflict?.body).toEqual({
        error: { code: 'conflict', message: 'An attach request is already in progress for this customer' },
      });
      expect((await attach(customer.id, body)).status).toBe(409);
      expect((await get(customer.id)).status).toBe('INCOMPLETE');
    });

    it("When the customer is REVIEWING, APPROVED or REJECTED, then attach is 403 with the guide's body", async () => {
      const approved = await attachAndDecide(`ok.${randomUUID().slice(0, 6)}@example.com`);
      const rejected = await attachAndDecide(`no.${randomUUID().slice(0, 6)}+rejected@example.com`);
      expect(rejected.status).toBe('REJECTED');
      for (const c of [approved, rejected]) {
        const res = await attach(c.id, { identifying_documents: [], address_documents: [] });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({
          error: { code: 'forbidden', message: 'Customer is not eligible for this operation' },
        });
      }
      // A review held open for an hour, set up directly so no decision can race the check.
      const reviewing = await newCustomer();
      await sql`update sandbox.fin_customers set status = 'REVIEWING', decision_due_at = now() + interval '1 hour' where id = ${reviewing.id}`.execute(
        db,
      );
      expect((await get(reviewing.id)).status).toBe('REVIEWING');
      expect((await attach(reviewing.id, await attachBody(reviewing.id))).status).toBe(403);
      expect((await attach(randomUUID(), {})).status).toBe(404);
    });

    type Mutate = (body: Json & { identifying_documents: Json[]; address_documents: Json[] }, extra: string[]) => void;
    const id = (body: Json & { identifying_documents: Json[] }) =>
      body.identifying_documents[1] as Json & { files: Json[] };
    it.each<[string, Mutate, string[]]>([
      [
        'two non-SELFIE identity documents',
        (b) => b.identifying_documents.push({ ...id(b), type: 'NATIONAL_ID', state: undefined }),
        ['identifying_documents', 'identifying_documents.2.files.0.uri', 'identifying_documents.2.files.1.uri'],
      ],
      [
        'a driving licence with only a FRONT',
        (b) => (id(b).files = [id(b).files[0] as Json]),
        ['identifying_documents.1.files'],
      ],
      [
        'a national id with two FRONT sides',
        (b) =>
          Object.assign(id(b), {
            type: 'NATIONAL_ID',
            state: undefined,
            files: id(b).files.map((f) => ({ ...f, side: 'FRONT' })),
          }),
        ['identifying_documents.1.files'],
      ],
      [
        'a residence permit without sides',
        (b) =>
          Object.assign(id(b), {
            type: 'RESIDENCE_PERMIT',
            state: undefined,
            files: id(b).files.map((f) => ({ uri: f.uri })),
          }),
        ['identifying_documents.1.files'],
      ],
      [
        'a passport with two files',
        (b) => Object.assign(id(b), { type: 'PASSPORT', state: undefined }),
        ['identifying_documents.1.files'],
      ],
      [
        'a passport with a state',
        (b) => Object.assign(id(b), { type: 'PASSPORT', files: [id(b).files[0]] }),
        ['identifying_documents.1.state'],
      ],
      [
        'a national id with a state',
        (b) => Object.assign(id(b), { type: 'NATIONAL_ID' }),
        ['identifying_documents.1.state'],
      ],
      ['a USA driving licence without state', (b) => delete id(b).state, ['identifying_documents.1.state']],
      [
        'a driving licence state of another country',
        (b) => (id(b).state = 'GB-ENG'),
        ['identifying_documents.1.state'],
      ],
      [
        'an expired identity document',
        (b) => (id(b).expiry_date = daysFromNow(-1)),
        ['identifying_documents.1.expiry_date'],
      ],
      [
        'an identity document expiring today',
        (b) => (id(b).expiry_date = daysFromNow(0)),
        ['identifying_documents.1.expiry_date'],
      ],
      ['no expiry_date', (b) => delete id(b).expiry_date, ['identifying_documents.1.expiry_date']],
      [
        'an issue_date in the future',
        (b) => (id(b).issue_date = daysFromNow(2)),
        ['identifying_documents.1.issue_date'],
      ],
      [
        'no number or country',
        (b) => Object.assign(id(b), { number: undefined, country: undefined }),
        ['identifying_documents.1.country', 'identifying_documents.1.number'],
      ],
      ['an unknown identity type', (b) => (id(b).type = 'LIBRARY_CARD'), ['identifying_documents.1.type']],
      ['an unknown side', (b) => ((id(b).files[0] as Json).side = 'TOP'), ['identifying_documents.1.files.0.side']],
      [
        'two SELFIE entries',
        (b) => b.identifying_documents.push(b.identifying_documents[0] as Json),
        ['identifying_documents'],
      ],
      ['no identifying_documents', (b) => delete (b as Json).identifying_documents, ['identifying_documents']],
      ['no address document', (b) => (b.address_documents = []), ['address_documents']],
      [
        'two address documents',
        (b) => b.address_documents.push({ ...(b.address_documents[0] as Json), files: [id(b).files[0] as Json] }),
        ['address_documents', 'address_documents.1.files.0.uri'],
      ],
      [
        'an address document of another country',
        (b) => ((b.address_documents[0] as Json).country = 'MEX'),
        ['address_documents.0.country'],
      ],
      [
        'an address document of a V1-only type',
        (b) => ((b.address_documents[0] as Json).type = 'PASSPORT'),
        ['address_documents.0.type'],
      ],
      [
        'an address document issued 100 days ago',
        (b) => ((b.address_documents[0] as Json).issue_date = daysFromNow(-100)),
        ['address_documents.0.issue_date'],
      ],
      [
        'the same uri on identity and address documents',
        (b) => ((b.address_documents[0] as Json).files = [{ uri: (id(b).files[0] as Json).uri }]),
        ['address_documents.0.files.0.uri'],
      ],
      [
        'the same uri on both sides',
        (b) => ((id(b).files[1] as Json).uri = (id(b).files[0] as Json).uri),
        ['identifying_documents.1.files.1.uri'],
      ],
      [
        'a uri never uploaded',
        (b) => ((id(b).files[0] as Json).uri = '/Nope1234_0000000000000.pdf'),
        ['identifying_documents.1.files.0.uri'],
      ],
      [
        'a uri of another customer',
        (b, extra) => ((id(b).files[0] as Json).uri = extra[0]),
        ['identifying_documents.1.files.0.uri'],
      ],
    ])(
      'When the attach has %s, then 400 names exactly the bad fields and nothing is queued',
      async (_name, mutate, paths) => {
        const other = await newCustomer();
        const foreign = await uris(other.id, 1);
        const customer = await newCustomer();
        const body = await attachBody(customer.id);
        mutate(body, foreign);
        const res = await attach(customer.id, JSON.parse(JSON.stringify(body)));
        expect(res.status).toBe(400);
        expect(res.body.message).toBe('Validation failed');
        expect(errorsOf(res)).toEqual([...paths].sort());
        const queued = await sql<{
          n: number;
        }>`select count(*)::int as n from sandbox.fin_attachments where customer_id = ${customer.id}`.execute(db);
        expect(queued.rows[0]?.n).toBe(0);
      },
    );

    it('When documents are valid variants (passport alone, selfie reusing a uri, non-USA licence without state), then 200', async () => {
      const customer = await newCustomer();
      const [front, bill] = await uris(customer.id, 2);
      const passportOnly = {
        identifying_documents: [
          { type: 'SELFIE', files: [{ uri: front }] },
          { type: 'PASSPORT', number: 'A12345678', country: 'USA', expiry_date: inYears(5), files: [{ uri: front }] },
        ],
        address_documents: [
          { type: 'UTILITY_BILL', country: 'USA', issue_date: daysFromNow(-10), files: [{ uri: bill }] },
        ],
      };
      expect((await attach(customer.id, passportOnly, slowServed.baseUrl)).status).toBe(200);
      const mexican = await newCustomer();
      const [a, b, c] = await uris(mexican.id, 3);
      const licence = {
        identifying_documents: [
          {
            type: 'DRIVERS_LICENSE',
            number: 'X1',
            country: 'MEX',
            expiry_date: inYears(1),
            files: [
              { side: 'BACK', uri: a },
              { side: 'FRONT', uri: b },
            ],
          },
        ],
        address_documents: [{ type: 'GOVERNMENT_LETTER', country: 'USA', files: [{ uri: c }] }],
      };
      expect((await attach(mexican.id, licence, slowServed.baseUrl)).status).toBe(200);
    });

    it('When the client requires a selfie, then an attach without one is 400; with one, 200', async () => {
      const customer = await newCustomer();
      const body = await attachBody(customer.id);
      const noSelfie = { ...body, identifying_documents: body.identifying_documents.slice(1) };
      const res = await attach(customer.id, noSelfie, selfieServed.baseUrl);
      expect(res.body.errors).toEqual({ identifying_documents: ['A SELFIE entry is required for your client'] });
      expect((await attach(customer.id, body, selfieServed.baseUrl)).status).toBe(200);
    });

    it('When the attach JSON is malformed, then 400 on body', async () => {
      const customer = await newCustomer();
      const res = await call<ValidationBody>('POST', `/v2/customers/${customer.id}/individual/attach`, {
        raw: '{"identifying_documents": [',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual({ body: ['Malformed JSON'] });
    });
  });

  describe('outcomes and RFIs', () => {
    it('When the email carries +rejected, then REJECTED with a reason, final, and uploads are refused', async () => {
      const rejected = await attachAndDecide(`r.${randomUUID().slice(0, 6)}+rejected@example.com`);
      expect(rejected).toMatchObject({ status: 'REJECTED', rejection_reason: expect.any(String) });
      const event = await eventOf(rejected.id, 'customer.status', (e) => e.data.status === 'REJECTED');
      expect(event.event.data).toMatchObject({
        previous_status: 'REVIEWING',
        rejection_reason: rejected.rejection_reason,
      });
      expect((await upload(rejected.id, [['file1', 'a.png', png]])).status).toBe(403);
    });

    it('When the email carries +action_required, then documents are requested, a re-attach is accepted and approved', async () => {
      const customer = await attachAndDecide(`a.${randomUUID().slice(0, 6)}+action_required@example.com`);
      expect(customer.status).toBe('ACTION_REQUIRED');
      expect(customer.required_actions?.map((a) => a.category)).toEqual(['IDENTITY_DOCUMENT', 'SELFIE']);
      const event = await eventOf(customer.id, 'customer.status', (e) => e.data.status === 'ACTION_REQUIRED');
      expect(event.event.data.required_actions).toEqual(customer.required_actions);
      expect((await attach(customer.id, await attachBody(customer.id))).status).toBe(200);
      const approved = await settled(customer.id, 'APPROVED');
      expect(approved.required_actions).toBeNull();
    });

    it('When the email carries +on_hold, then an RFI asks for MISSING, INVALID and EXPIRED items and its answer leads to APPROVED', async () => {
      const customer = await attachAndDecide(`h.${randomUUID().slice(0, 6)}+on_hold@example.com`);
      expect(customer.status).toBe('ON_HOLD');
      const rfi = customer.rfi;
      expect(rfi).toMatchObject({ status: 'OPEN' });
      expect(rfi?.sections).toEqual([
        {
          section: 'basic_info',
          fields: [{ field: 'phone', status: 'INVALID', description: expect.any(String) }],
          documents: [],
        },
        {
          section: 'financial_profile',
          fields: [{ field: 'source_of_funds_description', status: 'MISSING', description: expect.any(String) }],
          documents: [],
        },
        {
          section: 'identifying_documents',
          fields: [],
          documents: [{ document_type: 'DRIVERS_LICENSE', status: 'EXPIRED', description: expect.any(String) }],
        },
      ]);
      const created = await eventOf(customer.id, 'customer.rfi.created');
      expect((created.event.data.rfi as Rfi).id).toBe(rfi?.id);
      const list = await call<{ data: Rfi[] }>('GET', `/v2/customers/${customer.id}/rfis`);
      expect(list.body.data.map((r) => r.id)).toEqual([rfi?.id]);

      const answerPath = `/v2/customers/${customer.id}/rfis/${rfi?.id}/answer`;
      const [front, back, extra] = await uris(customer.id, 3);
      const documents = [
        {
          type: 'DRIVERS_LICENSE',
          expiry_date: inYears(4),
          files: [
            { side: 'FRONT', uri: front },
            { side: 'BACK', uri: back },
          ],
        },
      ];
      const fields = { 'basic_info.phone': '+14155550000', 'financial_profile.source_of_funds_description': 'Salary' };

      const notRequested = await call<ValidationBody>('POST', answerPath, {
        body: {
          fields: { ...fields, 'basic_info.email': 'x@example.com' },
          documents: [...documents, { type: 'BANK_STATEMENT', files: [{ uri: extra }] }],
          note: 'hi',
        },
      });
      expect(notRequested.status).toBe(400);
      expect(notRequested.body.errors).toEqual({
        note: ['note was not requested'],
        'fields.basic_info.email': ['basic_info.email was not requested'],
        'documents.1.type': ['BANK_STATEMENT was not requested'],
      });
      const incomplete = await call<ValidationBody>('POST', answerPath, {
        body: { fields: { 'basic_info.phone': '555' } },
      });
      expect(errorsOf(incomplete)).toEqual([
        'documents',
        'fields.basic_info.phone',
        'fields.financial_profile.source_of_funds_description',
      ]);
      const expired = await call<ValidationBody>('POST', answerPath, {
        body: { fields, documents: [{ ...documents[0], expiry_date: daysFromNow(-1) }] },
      });
      expect(errorsOf(expired)).toEqual(['documents.0.expiry_date']);
      expect((await get(customer.id)).status).toBe('ON_HOLD');

      const answered = await call<{ data: Rfi }>('POST', answerPath, { body: { fields, documents } });
      expect(answered.status).toBe(200);
      expect(answered.body.data).toMatchObject({ id: rfi?.id, status: 'ANSWERED' });
      expect((await call<CodedBody>('POST', answerPath, { body: { fields, documents } })).status).toBe(409);
      await eventOf(customer.id, 'customer.rfi.answered');
      const approved = await settled(customer.id, 'APPROVED');
      expect(approved.rfi).toBeNull();
      expect(approved.basic_info.phone).toBe('+14155550000');
      expect((approved.financial_profile as Json).source_of_funds_description).toBe('Salary');
      await eventOf(customer.id, 'customer.status', (e) => e.data.status === 'APPROVED');
      expect(
        receiver
          .for(customer.id)
          .filter((r) => r.event.type === 'customer.status')
          .map((r) => r.event.data.status),
      ).toEqual(['REVIEWING', 'ON_HOLD', 'REVIEWING', 'APPROVED']);
      expect(
        (await call('POST', `/v2/customers/${customer.id}/rfis/${randomUUID()}/answer`, { body: {} })).status,
      ).toBe(404);
    });

    it('When an RFI that does not exist is answered, then 404', async () => {
      const customer = await newCustomer();
      expect(
        (await call('POST', `/v2/customers/${customer.id}/rfis/${randomUUID()}/answer`, { body: {} })).status,
      ).toBe(404);
    });
  });

  describe('webhooks and shared state', () => {
    it('When events are delivered, then each is signed over its timestamp and body and has its own id', async () => {
      // Events of its own: a customer approved, and one put on hold with an RFI.
      const approved = await attachAndDecide(`signed.${randomUUID().slice(0, 6)}@example.com`);
      const held = await attachAndDecide(`signed.${randomUUID().slice(0, 6)}+on_hold@example.com`);
      await eventOf(approved.id, 'customer.status', (e) => e.data.status === 'APPROVED');
      await eventOf(held.id, 'customer.rfi.created');
      const types = [...receiver.for(approved.id), ...receiver.for(held.id)].map((r) => r.event.type);
      expect(new Set(types)).toEqual(new Set(['customer.created', 'customer.status', 'customer.rfi.created']));
      for (const { headers, body, event } of receiver.received) {
        const timestamp = String(headers['x-fin-timestamp']);
        expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(120);
        expect(headers['x-fin-signature']).toBe(signFinWebhook(webhookSecret, timestamp, body));
        expect(headers['x-fin-event-id']).toBe(event.id);
        expect(event.id).toMatch(uuid);
        expect(['customer.created', 'customer.status', 'customer.rfi.created', 'customer.rfi.answered']).toContain(
          event.type,
        );
      }
      const delivered = receiver.received.filter((r) => r.answered < 300).map((r) => r.event.id);
      expect(new Set(delivered).size).toBe(delivered.length);
    });

    it('When the receiver answers 500 once, then the same event is redelivered, later events wait, and attempts are recorded', async () => {
      const customer = await newCustomer(`retry.${randomUUID().slice(0, 6)}@example.com`);
      receiver.failOnce.add(customer.id);
      const body = await attachBody(customer.id);
      expect((await attach(customer.id, body)).status).toBe(200);
      await eventOf(customer.id, 'customer.status', (e) => e.data.status === 'APPROVED');
      const all = receiver.received.filter((r) => r.event.data.customer_id === customer.id);
      const types = all.map((r) => [r.event.type, r.answered]);
      // Whichever event met the 500, it was retried before any later event was sent.
      const okTypes = all
        .filter((r) => r.answered < 300)
        .map((r) => (r.event.type === 'customer.status' ? `status:${String(r.event.data.status)}` : r.event.type));
      expect(okTypes).toEqual(['customer.created', 'status:REVIEWING', 'status:APPROVED']);
      const failed = all.filter((r) => r.answered >= 300);
      expect(failed.length, JSON.stringify(types)).toBe(1);
      const retried = all.filter((r) => r.event.id === failed[0]?.event.id);
      expect(retried.map((r) => r.answered)).toEqual([500, 204]);
      expect(retried[0]?.body).toBe(retried[1]?.body);
      const attempts = await sql<{ attempt: number; response_status: number | null }>`
        select attempt, response_status from sandbox.fin_webhook_attempts where event_id = ${failed[0]?.event.id} order by attempt`.execute(
        db,
      );
      expect(attempts.rows).toEqual([
        { attempt: 1, response_status: 500 },
        { attempt: 2, response_status: 204 },
      ]);
    });

    it('When another instance without a webhook URL raises events, then they are recorded as skipped', async () => {
      const res = await create(customerBody(), slowServed.baseUrl);
      const events = await sql<{
        type: string;
        status: string;
      }>`select type, status from sandbox.fin_webhook_events where customer_id = ${res.body.data.id}`.execute(db);
      expect(events.rows).toEqual([{ type: 'customer.created', status: 'skipped' }]);
    });
  });
});
