/**
 * Conformance of the built-in Fin.com sandbox against the guide's V1 onboarding: the V1 create
 * body (single tin, street, state, source_of_fund_id; verification_type optional, STANDARD by
 * default; RELIANCE → 423), its error bodies to the letter, the synchronous V1 attach
 * (customer_id, proof_of_identity, proof_of_address, tos_policies_value in the body), FRONT
 * and BACK for NATIONAL_ID and DRIVERS_LICENSE, the 8 address-proof types, V1's statuses and
 * the webhooks. Real HTTP against a fresh migrated database.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createFinSandbox,
  migrateSandboxes,
  type ServedSandbox,
  serveFinSandbox,
  signFinWebhook,
} from '@desk/sandboxes';
import { connectDatabase, createLogger, type Database, openDatabase } from '@desk/server';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

const apiToken = 'fin-sandbox-access-token';
const webhookSecret = 'fin-webhook-secret';
const jpeg = Buffer.from('ffd8ffe000104a464946', 'hex');
const pdf = Buffer.from('%PDF-1.4\n%sandbox v1\n', 'latin1');

type Json = Record<string, unknown>;
type Reply<T> = { status: number; body: T };
type ValidationBody = { message: string; errors: Record<string, string[]> };
type CodedBody = { error: { code: string; message: string } };
type V1Customer = {
  id: string;
  status: string;
  verification_type: string;
  basic_info: Json & { tin: string };
  address: Json;
  financial_profile: Json;
  tos_policies_url: string;
  rejection_reason: string | null;
  [key: string]: unknown;
};
type WebhookEvent = { id: string; type: string; data: Json & { customer_id: string } };
type Received = { event: WebhookEvent; body: string; timestamp: string; signature: string };

const inYears = (years: number) => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** The V1 guide's create example. */
function v1Body(email = `john.${randomUUID().slice(0, 8)}@example.com`): Json & {
  basic_info: Json;
  address: Json;
  financial_profile: Json;
} {
  return {
    verification_type: 'STANDARD',
    basic_info: {
      first_name: 'John',
      last_name: 'Doe',
      dob: '1990-01-15',
      email,
      phone: '+14155552671',
      country_of_residence: 'USA',
      nationality: 'USA',
      tin: '123-45-6789',
    },
    address: {
      street: '123 Main Street Apt 4B',
      city: 'San Francisco',
      state: 'US-CA',
      postal_code: '94103',
      country: 'USA',
    },
    financial_profile: { occupation_id: 1, source_of_fund_id: 1, purpose_id: 1, monthly_volume_usd: 5000 },
    meta_data: { customer_reference: 'REF-20250123-JOHN', internal_notes: 'Premium tier customer' },
  };
}

describe.each(databaseKinds)('Fin.com V1 sandbox on %s database', (kind) => {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const received: Received[] = [];
  let hook: Server;
  let database: TestDatabase;
  let opened: { db: Kysely<Database>; url: string; close(): Promise<void> };
  let db: Kysely<Database>;
  let closeDb = async (): Promise<void> => undefined;
  let sandbox: ReturnType<typeof createFinSandbox>;
  let served: ServedSandbox;
  let relianceServed: ServedSandbox;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    opened = await openDatabase(database.target, logger);
    await migrateSandboxes(opened.db);
    if (kind === 'embedded') {
      // The embedded server takes one connection at a time (as in the V2 test).
      const single = connectDatabase(opened.url, { max: 1 });
      db = single.db;
      closeDb = single.destroy;
    } else {
      db = opened.db;
    }
    hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({
          event: JSON.parse(body) as WebhookEvent,
          body,
          timestamp: String(req.headers['x-fin-timestamp']),
          signature: String(req.headers['x-fin-signature']),
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/api/webhooks/fin`;
    sandbox = createFinSandbox({
      db,
      apiToken,
      webhook: { url: hookUrl, secret: webhookSecret },
      reviewDelayMs: 40,
      logger,
    });
    sandbox.start();
    served = await serveFinSandbox(sandbox.router);
    relianceServed = await serveFinSandbox(
      createFinSandbox({
        db,
        apiToken,
        webhook: { url: null, secret: webhookSecret },
        relianceEnabled: true,
        logger,
      }).router,
    );
  });

  afterAll(async () => {
    await sandbox?.stop();
    for (const s of [served, relianceServed]) await s?.close();
    await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
    await closeDb();
    await opened?.close();
    await database?.drop();
  });

  async function call<T>(
    method: string,
    path: string,
    options: { body?: unknown; form?: FormData; baseUrl?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${apiToken}` };
    let body: string | FormData | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${options.baseUrl ?? served.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  const create = (body: unknown, baseUrl?: string) =>
    call<{ data: V1Customer; meta: null } & ValidationBody>('POST', '/v1/customers/individual', { body, baseUrl });
  const get = async (id: string) => {
    const res = await call<{ data: V1Customer }>('GET', `/v1/customers/${id}`);
    expect(res.status).toBe(200);
    return res.body.data;
  };
  const attach = (body: unknown) =>
    call<{ data: V1Customer; meta: null } & ValidationBody & CodedBody>('POST', '/v1/customers/individual/attach', {
      body,
    });

  async function newCustomer(email?: string): Promise<V1Customer> {
    const res = await create(v1Body(email));
    expect(res.status).toBe(201);
    return res.body.data;
  }

  async function uris(customerId: string, count: number): Promise<string[]> {
    const form = new FormData();
    form.append('customer_id', customerId);
    for (let i = 1; i <= count; i++)
      form.append(`file${i}`, new Blob([new Uint8Array(i % 2 ? pdf : jpeg)]), `f${i}.${i % 2 ? 'pdf' : 'jpg'}`);
    const res = await call<{ data: { files: Record<string, string>[] } }>('POST', '/v1/customers/upload', { form });
    expect(res.status).toBe(200);
    return res.body.data.files.map((f, i) => f[`file${i + 1}`] ?? '');
  }

  const tosValue = (customer: V1Customer) => new URL(customer.tos_policies_url).searchParams.get('tos_policies_value');

  /** The V1 guide's attach example (a passport and a utility bill), with the customer's own uploads. */
  async function attachBody(customer: V1Customer): Promise<Json & { proof_of_identity: Json; proof_of_address: Json }> {
    const [passport, bill] = await uris(customer.id, 2);
    return {
      customer_id: customer.id,
      proof_of_identity: {
        type: 'PASSPORT',
        number: 'A12345678',
        country: 'USA',
        issue_date: '2020-01-15',
        expiry_date: inYears(4),
        files: [{ uri: passport }],
      },
      proof_of_address: { type: 'UTILITY_BILL', country: 'USA', files: [{ uri: bill }] },
      tos_policies_value: tosValue(customer),
    };
  }

  const decided = (id: string) =>
    waitFor(
      async () => {
        const c = await get(id);
        return c.status === 'REVIEWING' ? null : c;
      },
      { what: `a decision on ${id}` },
    );
  const eventsOf = (id: string) => received.filter((r) => r.event.data.customer_id === id);

  function withField(path: string, value: unknown): Json {
    const body = v1Body();
    const parts = path.split('.');
    let target: Json = body;
    for (const part of parts.slice(0, -1)) target = target[part] as Json;
    const last = parts.at(-1) ?? '';
    if (value === undefined) delete target[last];
    else target[last] = value;
    return body;
  }

  describe('creating V1 customers', () => {
    it("When the guide's V1 example is sent, then a STANDARD customer is INCOMPLETE in V1's shape with a tos_policies_url", async () => {
      const res = await create(v1Body('john.doe.v1@example.com'));
      expect(res.status).toBe(201);
      expect(res.body.meta).toBeNull();
      const customer = res.body.data;
      expect(customer).toMatchObject({
        status: 'INCOMPLETE',
        verification_type: 'STANDARD',
        basic_info: { first_name: 'John', nationality: 'USA', tin: '***-**-6789' },
        address: { street: '123 Main Street Apt 4B', state: 'US-CA', country: 'USA' },
        financial_profile: { occupation_id: 1, source_of_fund_id: 1, purpose_id: 1, monthly_volume_usd: 5000 },
      });
      expect(customer).not.toHaveProperty('required_actions');
      expect(customer).not.toHaveProperty('rfi');
      expect(tosValue(customer)).toMatch(/^[0-9a-f-]{36}$/);
      expect(await get(customer.id)).toEqual(customer);
      // Each version's routes serve their own customers.
      expect((await call<CodedBody>('GET', `/v2/customers/${customer.id}`)).status).toBe(404);
    });

    it("When verification_type is omitted, then it defaults to STANDARD; RELIANCE is 423 with the guide's message unless enabled", async () => {
      const omitted = await create(withField('verification_type', undefined));
      expect(omitted.status).toBe(201);
      expect(omitted.body.data.verification_type).toBe('STANDARD');
      const reliance = await create(withField('verification_type', 'RELIANCE'));
      expect(reliance.status).toBe(423);
      expect(reliance.body).toEqual({ message: 'RELIANCE is not available for your client' });
      const enabled = await create(withField('verification_type', 'RELIANCE'), relianceServed.baseUrl);
      expect(enabled.status).toBe(201);
      expect(enabled.body.data.verification_type).toBe('RELIANCE');
    });

    it("When the email has capitals, the USA TIN is not an SSN or occupation_id is missing, then the guide's error bodies come back to the letter", async () => {
      const email = await create(withField('basic_info.email', 'John.Doe@Example.com'));
      expect(email.status).toBe(400);
      expect(email.body).toEqual({
        message: 'Validation failed',
        errors: { 'basic_info.email': ['Email must be all lowercase'] },
      });
      const tin = await create(withField('basic_info.tin', '123456789'));
      expect(tin.body).toEqual({
        message: 'Validation failed',
        errors: { 'basic_info.tin': ['TIN must be in SSN format (xxx-xx-xxxx) for USA customers'] },
      });
      const occupation = await create(withField('financial_profile.occupation_id', undefined));
      expect(occupation.body).toEqual({
        message: 'Validation failed',
        errors: { 'financial_profile.occupation_id': ['occupation_id is required'] },
      });
    });

    it('When V2 fields are sent instead of V1 ones, then V1 names the V1 fields it misses; a non-Latin name and a bad state are refused', async () => {
      const body = v1Body();
      body.basic_info = { ...body.basic_info, nationality: undefined, tin: undefined, primary_nationality: 'USA' };
      body.address = {
        ...body.address,
        street: undefined,
        state: undefined,
        street_line_1: '1 Main St',
        subdivision_code: 'US-CA',
      };
      body.financial_profile = { ...body.financial_profile, source_of_fund_id: undefined, source_of_fund_ids: [1] };
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual([
        'address.state',
        'address.street',
        'basic_info.nationality',
        'basic_info.tin',
        'financial_profile.source_of_fund_id',
      ]);
      expect(res.body.errors['basic_info.tin']).toEqual(['tin is required']);
      const latin = await create(withField('basic_info.first_name', 'José'));
      expect(latin.body.errors).toEqual({
        'basic_info.first_name': ['first_name must contain only English (Latin) characters'],
      });
      const state = await create(withField('address.state', 'CA'));
      expect(Object.keys(state.body.errors)).toEqual(['address.state']);
    });

    it('When the address country differs from the residence, then V1 accepts it (no validation against residence)', async () => {
      const body = v1Body();
      body.address = {
        street: '10 Downing Street',
        city: 'London',
        state: 'GB-ENG',
        postal_code: 'SW1A 2AA',
        country: 'GBR',
      };
      const res = await create(body);
      expect(res.status).toBe(201);
      expect(res.body.data.address).toMatchObject({ country: 'GBR' });
    });
  });

  describe('attaching V1 documents', () => {
    it("When the guide's attach example is sent, then it is processed synchronously: the answer is the customer, REVIEWING, then APPROVED", async () => {
      const customer = await newCustomer();
      const res = await attach(await attachBody(customer));
      expect(res.status).toBe(200);
      expect(res.body.meta).toBeNull();
      expect(res.body.data).toMatchObject({ id: customer.id, status: 'REVIEWING' });
      expect((await decided(customer.id)).status).toBe('APPROVED');
      // Attach only while INCOMPLETE.
      const again = await attach(await attachBody(customer));
      expect(again.status).toBe(403);
      expect(again.body).toEqual({
        error: { code: 'forbidden', message: 'Customer is not eligible for this operation' },
      });
    });

    it('When tos_policies_value or customer_id is missing or wrong, then the attach is refused', async () => {
      const customer = await newCustomer();
      const body = await attachBody(customer);
      const missing = await attach({ ...body, tos_policies_value: undefined });
      expect(missing.body.errors).toEqual({ tos_policies_value: ['tos_policies_value is required'] });
      const wrong = await attach({ ...body, tos_policies_value: randomUUID() });
      expect(Object.keys(wrong.body.errors)).toEqual(['tos_policies_value']);
      expect((await attach({ ...body, customer_id: undefined })).body.errors).toEqual({
        customer_id: ['customer_id is required'],
      });
      expect(Object.keys((await attach({ ...body, customer_id: randomUUID() })).body.errors)).toEqual(['customer_id']);
      expect((await get(customer.id)).status).toBe('INCOMPLETE');
    });

    it('When a NATIONAL_ID or DRIVERS_LICENSE lacks FRONT and BACK, then it is refused; with both sides it is accepted; PASSPORT needs no side', async () => {
      for (const type of ['NATIONAL_ID', 'DRIVERS_LICENSE']) {
        const customer = await newCustomer();
        const body = await attachBody(customer);
        const [front, back] = await uris(customer.id, 2);
        const identity = { ...body.proof_of_identity, type };
        const oneSide = await attach({
          ...body,
          proof_of_identity: { ...identity, files: [{ side: 'FRONT', uri: front }] },
        });
        expect(oneSide.status).toBe(400);
        expect(oneSide.body.errors).toEqual({ 'proof_of_identity.files': ['Exactly 2 file(s) required'] });
        const noSides = await attach({
          ...body,
          proof_of_identity: { ...identity, files: [{ uri: front }, { uri: back }] },
        });
        expect(noSides.body.errors).toEqual({
          'proof_of_identity.files': [`${type} requires one FRONT and one BACK file`],
        });
        const both = await attach({
          ...body,
          proof_of_identity: {
            ...identity,
            files: [
              { side: 'FRONT', uri: front },
              { side: 'BACK', uri: back },
            ],
          },
        });
        expect(both.status).toBe(200);
        expect(both.body.data.status).toBe('REVIEWING');
      }
    });

    it('When each of the 8 V1 address-proof types is sent, then it is accepted; a V2-only identity type and an unknown proof type are refused', async () => {
      const types = [
        'UTILITY_BILL',
        'BANK_STATEMENT',
        'GOVERNMENT_LETTER',
        'RESIDENCE_PERMIT',
        'PASSPORT',
        'NATIONAL_ID',
        'DRIVERS_LICENSE',
        'COMPANY_DOC',
      ];
      for (const type of types) {
        const customer = await newCustomer();
        const body = await attachBody(customer);
        const res = await attach({ ...body, proof_of_address: { ...body.proof_of_address, type } });
        expect([type, res.status]).toEqual([type, 200]);
      }
      const customer = await newCustomer();
      const body = await attachBody(customer);
      const unknown = await attach({ ...body, proof_of_address: { ...body.proof_of_address, type: 'LEASE' } });
      expect(Object.keys(unknown.body.errors)).toEqual(['proof_of_address.type']);
      const permit = await attach({
        ...body,
        proof_of_identity: { ...body.proof_of_identity, type: 'RESIDENCE_PERMIT' },
      });
      expect(Object.keys(permit.body.errors)).toEqual(['proof_of_identity.type']);
    });

    it('When documents are expired, old, reused or not uploaded, then every problem is named under its path', async () => {
      const customer = await newCustomer();
      const body = await attachBody(customer);
      const [uri] = (body.proof_of_identity.files as { uri: string }[]).map((f) => f.uri);
      const res = await attach({
        ...body,
        proof_of_identity: { ...body.proof_of_identity, expiry_date: daysAgo(1) },
        proof_of_address: {
          type: 'BANK_STATEMENT',
          country: 'USA',
          issue_date: daysAgo(120),
          files: [{ uri }, { uri: '/nope_0000000000000.pdf' }],
        },
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual([
        'proof_of_address.files.0.uri',
        'proof_of_address.files.1.uri',
        'proof_of_address.issue_date',
        'proof_of_identity.expiry_date',
      ]);
      // The 90-day rule is for bills, statements and letters only.
      const oldPassport = await attach({
        ...body,
        proof_of_address: { ...body.proof_of_address, type: 'PASSPORT', issue_date: daysAgo(400) },
      });
      expect(oldPassport.status).toBe(200);
    });
  });

  describe('V1 outcomes and webhooks', () => {
    it('When email tags steer the review, then V1 statuses follow: REJECTED with a reason, ON_HOLD (also for +action_required), APPROVED', async () => {
      const outcomes: [string, string][] = [
        ['rejected', 'REJECTED'],
        ['on_hold', 'ON_HOLD'],
        ['action_required', 'ON_HOLD'],
      ];
      for (const [tag, status] of outcomes) {
        const customer = await newCustomer(`v1.${randomUUID().slice(0, 6)}+${tag}@example.com`);
        expect((await attach(await attachBody(customer))).body.data.status).toBe('REVIEWING');
        const result = await decided(customer.id);
        expect([tag, result.status]).toEqual([tag, status]);
        if (status === 'REJECTED') expect(result.rejection_reason).toBeTruthy();
        else expect(result.rejection_reason).toBeNull();
      }
    });

    it('When a V1 customer is created, attached and decided, then customer.created and customer.status events are delivered signed, in order', async () => {
      const customer = await newCustomer();
      await attach(await attachBody(customer));
      await decided(customer.id);
      const events = await waitFor(
        async () => {
          const list = eventsOf(customer.id);
          return list.length >= 3 ? list : null;
        },
        { what: 'three events' },
      );
      expect(events.map((e) => [e.event.type, e.event.data.status])).toEqual([
        ['customer.created', 'INCOMPLETE'],
        ['customer.status', 'REVIEWING'],
        ['customer.status', 'APPROVED'],
      ]);
      expect(events[0]?.event.data.verification_type).toBe('STANDARD');
      expect(events[1]?.event.data).toMatchObject({
        previous_status: 'INCOMPLETE',
        rfi_id: null,
        required_actions: null,
      });
      for (const e of events) expect(e.signature).toBe(signFinWebhook(webhookSecret, e.timestamp, e.body));
    });
  });
});
