/**
 * Conformance of the built-in Jiko sandbox's own HTTP API: auth, idempotency, signatures,
 * validation, every row of the sandbox table, the documents path, uploads, the operator
 * route and signed webhooks with redelivery. Real HTTP against a fresh migrated database.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createJikoSandbox,
  migrateSandboxes,
  type ServedSandbox,
  serveJikoSandbox,
  signJikoRequest,
  signJikoWebhook,
} from '@desk/sandboxes';
import { connectDatabase, createLogger, type Database, openDatabase } from '@desk/server';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

const credentials = { username: 'partner', password: 'sandbox-password' };
const signingSecret = 'request-signing-secret';
const webhookSecret = 'webhook-signing-secret';
const mb = 1024 * 1024;

type Flags = [id: boolean, number: boolean, address: boolean];
type JikoApplication = {
  id: string;
  status: string;
  customer_id: string | null;
  id_verification_documents_needed: boolean;
  identification_number_verification_document_needed: boolean;
  address_verification_document_needed: boolean;
  documents: { id: string; document_type: string; status: string }[];
  identification_number: string;
  [field: string]: unknown;
};
type Detail = { detail: string | { loc: (string | number)[]; msg: string; type: string }[] };
type WebhookEvent = {
  id: string;
  type: string;
  created_at: string;
  data: { application_id: string; status: string; customer_id: string | null } & Record<string, unknown>;
};
type Received = { headers: IncomingHttpHeaders; body: string; event: WebhookEvent; answered: number };
type Reply<T> = { status: number; body: T; headers: Headers };
type CallOptions = {
  body?: string | Buffer;
  contentType?: string;
  token?: string | null;
  key?: string | null;
  sign?: 'yes' | 'no' | 'wrong-secret' | 'mount-prefixed';
  baseUrl?: string;
};

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const flagsOf = (a: JikoApplication): Flags => [
  a.id_verification_documents_needed,
  a.identification_number_verification_document_needed,
  a.address_verification_document_needed,
];
const locs = (body: Detail) => (Array.isArray(body.detail) ? body.detail.map((d) => d.loc.join('.')) : []);

function applicationBody(identificationNumber: string): Record<string, unknown> {
  return {
    identification_number: identificationNumber,
    name: { first_name: 'Jiko', last_name: 'Customer' },
    email: 'jiko@example.com',
    phone_number: '15551234567',
    date_of_birth: '1970-01-01',
    investment_profile: {
      income: 'BETWEEN_100K_AND_250K',
      net_worth: 'BETWEEN_1M_AND_5M',
      occupation: 'Investor',
      employment_status: 'EMPLOYED',
    },
    agreement_consent: { version: '1', timestamp: '2023-01-01T12:00:00+00:00' },
    address: {
      street_address: '2000 Allston Way',
      city: 'Berkeley',
      postal_code: '94701',
      state: 'CA',
      country: 'USA',
    },
  };
}

/** Captures webhook deliveries; answers 500 once to events of the applications it is told to. */
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
        const fail = this.failOnce.delete(event.data.application_id);
        const answered = fail ? 500 : 204;
        this.received.push({ headers: req.headers, body, event, answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/webhooks/jiko`;
  }

  for(applicationId: string): Received[] {
    return this.received.filter((r) => r.event.data.application_id === applicationId);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe.each(databaseKinds)('Jiko sandbox on %s database', (kind) => {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const receiver = new WebhookReceiver();
  let database: TestDatabase;
  let opened: { db: Kysely<Database>; url: string; close(): Promise<void> };
  // The embedded server (pglite-socket 0.2.17) interleaves extended-protocol messages of
  // concurrent connections (electric-sql/pglite#1046), so on it everything here shares one
  // connection; real Postgres gets a real pool and real concurrency.
  let db: Kysely<Database>;
  let closeDb = async (): Promise<void> => undefined;
  let sandbox: ReturnType<typeof createJikoSandbox>;
  let served: ServedSandbox;
  // Other instances on the same database, as other processes would be, with no background
  // loop of their own and no webhook URL: one with a short decision delay, one with a long one.
  let otherServed: ServedSandbox;
  let slowServed: ServedSandbox;
  let token = '';

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
    sandbox = createJikoSandbox({
      db,
      credentials,
      signingSecret,
      webhook: { url: receiver.url, secret: webhookSecret },
      decisionDelayMs: 40,
      logger,
    });
    sandbox.start();
    served = await serveJikoSandbox(sandbox.router);
    const other = (decisionDelayMs: number) =>
      createJikoSandbox({
        db,
        credentials,
        signingSecret,
        webhook: { url: null, secret: webhookSecret },
        decisionDelayMs,
        logger,
      });
    otherServed = await serveJikoSandbox(other(40).router);
    slowServed = await serveJikoSandbox(other(60_000).router);
    token = (
      await call<{ token: string }>('POST', '/api/v1/login/', {
        body: JSON.stringify(credentials),
        token: null,
        key: null,
      })
    ).body.token;
  });

  afterAll(async () => {
    await sandbox?.stop();
    await served?.close();
    await otherServed?.close();
    await slowServed?.close();
    await receiver.close();
    await closeDb();
    await opened?.close();
    await database?.drop();
  });

  async function call<T>(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    const bearer = options.token === undefined ? token : options.token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const key = options.key === undefined ? randomUUID() : options.key;
    if (key) headers['x-jiko-idempotency'] = key;
    const body = options.body;
    if (options.contentType) headers['content-type'] = options.contentType;
    else if (typeof body === 'string') headers['content-type'] = 'application/json';
    const sign = options.sign ?? (method === 'POST' && typeof body === 'string' ? 'yes' : 'no');
    if (sign !== 'no' && key) {
      const secret = sign === 'wrong-secret' ? 'not-the-secret' : signingSecret;
      const signedPath = sign === 'mount-prefixed' ? `/sandbox/jiko${path}` : path;
      headers['x-jiko-signature'] = signJikoRequest(secret, key, signedPath, body ?? '');
    }
    const res = await fetch(`${options.baseUrl ?? served.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  const countApplications = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from sandbox.jiko_applications`.execute(db)).rows[0]?.n ?? 0;

  async function create(identificationNumber: string): Promise<JikoApplication> {
    const res = await call<JikoApplication>('POST', '/api/v1/applications/', {
      body: JSON.stringify(applicationBody(identificationNumber)),
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  const get = (id: string, baseUrl?: string) =>
    call<JikoApplication>('GET', `/api/v1/applications/${id}/`, { baseUrl });
  const apply = (id: string, options: CallOptions = {}) =>
    call<JikoApplication & Detail>('POST', `/api/v1/applications/${id}/apply/`, { body: '', ...options });
  const upload = (id: string, type: string, bytes: Buffer, contentType = 'image/png', options: CallOptions = {}) =>
    call<{ success: boolean; document_id: string } & Detail>(
      'POST',
      `/api/v1/applications/${id}/documents/${type}/file/`,
      { body: bytes, contentType, ...options },
    );
  // The operator route takes the sandbox's own login (the bearer token), no key, no signature.
  const resolve = (id: string, decision: string) =>
    call<JikoApplication & Detail>('POST', `/operator/applications/${id}/resolve`, {
      body: JSON.stringify({ decision }),
      key: null,
      sign: 'no',
    });

  async function decided(id: string): Promise<JikoApplication> {
    return waitFor(
      async () => {
        const res = await get(id);
        return res.body.status === 'SUBMITTED' ? null : res.body;
      },
      { what: `a decision on ${id}` },
    );
  }

  async function applyAndDecide(id: string): Promise<JikoApplication> {
    const res = await apply(id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('SUBMITTED');
    return decided(id);
  }

  const eventOf = (id: string, type: string) =>
    waitFor(async () => receiver.for(id).find((r) => r.event.type === type && r.answered < 300), {
      what: `${type} for ${id}`,
    });

  describe('login, tokens, idempotency keys and signatures', () => {
    it('When the right credentials log in, then a bearer token comes back that opens the API', async () => {
      const res = await call<{ token: string; token_type: string; expires_in: number }>('POST', '/api/v1/login/', {
        body: JSON.stringify(credentials),
        token: null,
        key: null,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
      const agreements = await call<unknown[]>('GET', '/api/v1/agreements/', { token: res.body.token });
      expect(agreements.status).toBe(200);
    });

    it('When the credentials are wrong, then login is 401; when they are missing, 422 naming them', async () => {
      const wrong = await call<Detail>('POST', '/api/v1/login/', {
        body: JSON.stringify({ ...credentials, password: 'nope' }),
        token: null,
        key: null,
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.detail).toEqual(expect.any(String));
      const missing = await call<Detail>('POST', '/api/v1/login/', { body: '{}', token: null, key: null });
      expect(missing.status).toBe(422);
      expect(locs(missing.body)).toEqual(['body.username', 'body.password']);
    });

    it('When no token, an unknown token or an expired token is sent, then the answer is 401 with a detail', async () => {
      for (const bearer of [null, 'not-a-token']) {
        const res = await call<Detail>('GET', '/api/v1/agreements/', { token: bearer });
        expect(res.status).toBe(401);
        expect(res.body.detail).toEqual(expect.any(String));
      }
      const login = await call<{ token: string }>('POST', '/api/v1/login/', {
        body: JSON.stringify(credentials),
        token: null,
        key: null,
      });
      const digest = createHash('sha256').update(login.body.token).digest('hex');
      await sql`update sandbox.jiko_tokens set expires_at = now() - interval '1 second' where token_sha256 = ${digest}`.execute(
        db,
      );
      const expired = await call<Detail>('GET', '/api/v1/agreements/', { token: login.body.token });
      expect(expired.status).toBe(401);
      expect((await call('GET', '/api/v1/agreements/')).status).toBe(200);
    });

    it('When x-jiko-idempotency is missing, then every route but login answers 400 with a detail', async () => {
      const app = await create('400000001');
      for (const [method, path, body] of [
        ['GET', '/api/v1/agreements/', undefined],
        ['GET', `/api/v1/applications/${app.id}/`, undefined],
        ['POST', '/api/v1/applications/', JSON.stringify(applicationBody('400000002'))],
        ['POST', `/api/v1/applications/${app.id}/apply/`, ''],
      ] as const) {
        const res = await call<Detail>(method, path, { key: null, body, sign: 'no' });
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(res.body.detail).toMatch(/x-jiko-idempotency/);
      }
      const res = await upload(app.id, 'OTHER', Buffer.from('x'), 'image/png', { key: null });
      expect(res.status).toBe(400);
    });

    it('When the signature is missing, wrong, or covers the mounted path, then 401 and nothing is created', async () => {
      const before = await countApplications();
      const body = JSON.stringify(applicationBody('400000003'));
      for (const sign of ['no', 'wrong-secret', 'mount-prefixed'] as const) {
        const res = await call<Detail>('POST', '/api/v1/applications/', { body, sign });
        expect(res.status, sign).toBe(401);
        expect(res.body.detail).toMatch(/x-jiko-signature/);
      }
      expect(await countApplications()).toBe(before);
      const app = await create('400000003');
      expect((await apply(app.id, { sign: 'no' })).status).toBe(401);
      expect((await apply(app.id, { sign: 'mount-prefixed' })).status).toBe(401);
      expect((await get(app.id)).body.status).toBe('CREATED');
    });

    it('When agreements are listed, then each version has a release date and documents, newest first', async () => {
      const res = await call<{ version: string; release_date: string; documents: { title: string; url: string }[] }[]>(
        'GET',
        '/api/v1/agreements/',
      );
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThanOrEqual(3);
      const dates = res.body.map((a) => a.release_date);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(res.body.map((a) => a.version)).toContain('1');
      for (const a of res.body) {
        expect(a.release_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(a.documents[0]).toEqual({ title: expect.any(String), url: expect.stringMatching(/^https:\/\//) });
      }
    });
  });

  describe('idempotency', () => {
    it('When a create is retried with the same key, then the first answer is replayed and one application exists', async () => {
      const before = await countApplications();
      const key = randomUUID();
      const body = JSON.stringify(applicationBody('400000010'));
      const first = await call<JikoApplication>('POST', '/api/v1/applications/', { body, key });
      const again = await call<JikoApplication>('POST', '/api/v1/applications/', { body, key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('x-jiko-idempotent-replay')).toBe('true');
      expect(await countApplications()).toBe(before + 1);
    });

    it('When duplicates of one create arrive at once, then one application is created and all get its answer', async () => {
      const before = await countApplications();
      const key = randomUUID();
      const body = JSON.stringify(applicationBody('400000011'));
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => call<JikoApplication>('POST', '/api/v1/applications/', { body, key })),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(await countApplications()).toBe(before + 1);
    });

    it('When the same key comes with another body or path, then the answer is 409 and nothing happens', async () => {
      const key = randomUUID();
      const app = (
        await call<JikoApplication>('POST', '/api/v1/applications/', {
          body: JSON.stringify(applicationBody('400000012')),
          key,
        })
      ).body;
      const before = await countApplications();
      const otherBody = await call<Detail>('POST', '/api/v1/applications/', {
        body: JSON.stringify(applicationBody('400000013')),
        key,
      });
      expect(otherBody.status).toBe(409);
      expect(otherBody.body.detail).toEqual(expect.any(String));
      const otherPath = await apply(app.id, { key });
      expect(otherPath.status).toBe(409);
      expect(await countApplications()).toBe(before);
      expect((await get(app.id)).body.status).toBe('CREATED');
    });

    it('When an apply is replayed after the decision, then the SUBMITTED answer comes back and nothing is decided twice', async () => {
      const app = await create('400000014');
      const key = randomUUID();
      const first = await apply(app.id, { key });
      const outcome = await decided(app.id);
      expect(outcome.status).toBe('APPROVED');
      await eventOf(app.id, 'application.approved');
      const again = await apply(app.id, { key });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.body.status).toBe('SUBMITTED');
      expect((await get(app.id)).body).toMatchObject({ status: 'APPROVED', customer_id: outcome.customer_id });
      // A later application is applied and decided after the replay: the loop decides in order
      // of due time and delivers in order of next attempt, so once its event is here, whatever
      // the replay had set going has been decided and delivered too.
      const later = await create('400000015');
      await applyAndDecide(later.id);
      await eventOf(later.id, 'application.approved');
      expect(receiver.for(app.id).filter((r) => r.answered < 300)).toHaveLength(1);
      const events = await sql<{ type: string; status: string }>`
        select type, status from sandbox.jiko_webhook_events where application_id = ${app.id}`.execute(db);
      expect(events.rows).toEqual([{ type: 'application.approved', status: 'delivered' }]);
      const pending = await sql<{
        due: Date | null;
      }>`select decision_due_at as due from sandbox.jiko_applications where id = ${app.id}`.execute(db);
      expect(pending.rows).toEqual([{ due: null }]);
    });
  });

  describe('create validation', () => {
    it('When the body is empty, then 422 names every top-level field', async () => {
      const res = await call<Detail>('POST', '/api/v1/applications/', { body: '{}' });
      expect(res.status).toBe(422);
      expect(locs(res.body).sort()).toEqual(
        [
          'identification_number',
          'name',
          'email',
          'phone_number',
          'date_of_birth',
          'investment_profile',
          'agreement_consent',
          'address',
        ]
          .map((f) => `body.${f}`)
          .sort(),
      );
      expect(
        Array.isArray(res.body.detail) &&
          res.body.detail.every((d) => d.type === 'missing' && d.msg === 'Field required'),
      ).toBe(true);
    });

    it.each([
      'identification_number',
      'name.first_name',
      'name.last_name',
      'email',
      'phone_number',
      'date_of_birth',
      'investment_profile.income',
      'investment_profile.net_worth',
      'investment_profile.occupation',
      'investment_profile.employment_status',
      'agreement_consent.version',
      'agreement_consent.timestamp',
      'address.street_address',
      'address.city',
      'address.postal_code',
      'address.state',
      'address.country',
    ])('When %s is left out, then 422 names exactly it', async (field) => {
      const body = applicationBody('400000020');
      const [outer, inner] = field.split('.') as [string, string | undefined];
      if (inner) delete (body[outer] as Record<string, unknown>)[inner];
      else delete body[outer];
      const res = await call<Detail>('POST', '/api/v1/applications/', { body: JSON.stringify(body) });
      expect(res.status).toBe(422);
      expect(res.body.detail).toEqual([{ loc: ['body', ...field.split('.')], msg: 'Field required', type: 'missing' }]);
    });

    it('When values are malformed, then every bad field is named at once and nothing is created', async () => {
      const before = await countApplications();
      const body = applicationBody('12345678');
      Object.assign(body, { email: 'not-an-email', phone_number: '12', date_of_birth: '2020-02-30' });
      Object.assign(body.investment_profile as object, { income: 'A_LOT', employment_status: 'PIRATE' });
      body.agreement_consent = { version: '999', timestamp: '2023-01-01 12:00' };
      (body.name as Record<string, unknown>).first_name = '  ';
      const res = await call<Detail>('POST', '/api/v1/applications/', { body: JSON.stringify(body) });
      expect(res.status).toBe(422);
      expect(locs(res.body).sort()).toEqual(
        [
          'body.identification_number',
          'body.name.first_name',
          'body.email',
          'body.phone_number',
          'body.date_of_birth',
          'body.investment_profile.income',
          'body.investment_profile.employment_status',
          'body.agreement_consent.timestamp',
          'body.agreement_consent.version',
        ].sort(),
      );
      expect(await countApplications()).toBe(before);
    });

    it('When the applicant is a minor or the agreement version is unknown, then 422 says so', async () => {
      const minor = applicationBody('400000021');
      minor.date_of_birth = new Date(Date.now() - 17 * 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      const res = await call<Detail>('POST', '/api/v1/applications/', { body: JSON.stringify(minor) });
      expect(res.status).toBe(422);
      expect(locs(res.body)).toEqual(['body.date_of_birth']);
      const unknown = applicationBody('400000021');
      unknown.agreement_consent = { version: '42', timestamp: '2023-01-01T12:00:00Z' };
      const res2 = await call<Detail>('POST', '/api/v1/applications/', { body: JSON.stringify(unknown) });
      expect(res2.status).toBe(422);
      expect(locs(res2.body)).toEqual(['body.agreement_consent.version']);
    });

    it('When the JSON is malformed or not an object, then 422 with a detail, never 500', async () => {
      for (const body of ['{"identification_number": ', '[1, 2]', 'null', '']) {
        const res = await call<Detail>('POST', '/api/v1/applications/', { body });
        expect(res.status, body).toBe(422);
        expect(Array.isArray(res.body.detail)).toBe(true);
      }
      const operator = await call<Detail>('POST', `/operator/applications/${randomUUID()}/resolve`, {
        body: '{',
        key: null,
        sign: 'no',
      });
      expect(operator.status).toBe(422);
    });

    it('When an application is created and read, then it has every field, the number masked to its last four', async () => {
      const created = await create('400000022');
      expect(created).toMatchObject({
        status: 'CREATED',
        customer_id: null,
        id_verification_documents_needed: false,
        identification_number_verification_document_needed: false,
        address_verification_document_needed: false,
        documents: [],
        identification_number: '*****0022',
        name: { first_name: 'Jiko', last_name: 'Customer' },
        date_of_birth: '1970-01-01',
        agreement_consent: { version: '1', timestamp: '2023-01-01T12:00:00.000Z' },
        address: applicationBody('x').address,
        investment_profile: applicationBody('x').investment_profile,
      });
      expect(created.id).toMatch(uuid);
      expect((await get(created.id)).body).toEqual(created);
      expect((await get(randomUUID())).status).toBe(404);
      expect((await get('not-a-uuid')).status).toBe(422);
    });
  });

  describe('the sandbox table', () => {
    it.each([
      [
        '200000000',
        'DOCUMENTS_NEEDED',
        [true, true, true],
        ['ID_FRONT', 'ID_BACK', 'SELFIE', 'IDENTIFICATION_NUMBER_VERIFICATION', 'ADDRESS_VERIFICATION'],
      ],
      ['210000000', 'DOCUMENTS_NEEDED', [true, false, false], ['ID_FRONT', 'ID_BACK', 'SELFIE']],
      ['220000000', 'DOCUMENTS_NEEDED', [false, true, false], ['IDENTIFICATION_NUMBER_VERIFICATION']],
      ['230000000', 'DOCUMENTS_NEEDED', [false, false, true], ['ADDRESS_VERIFICATION']],
      [
        '240000000',
        'DOCUMENTS_NEEDED',
        [true, true, false],
        ['ID_FRONT', 'ID_BACK', 'SELFIE', 'IDENTIFICATION_NUMBER_VERIFICATION'],
      ],
      ['300000000', 'MANUAL_REVIEW', [false, false, false], []],
      ['400000000', 'APPROVED', [false, false, false], []],
      ['500000000', 'REJECTED', [false, false, false], []],
      ['999999999', 'MANUAL_REVIEW', [false, false, false], []],
      ['100000000', 'MANUAL_REVIEW', [false, false, false], []],
    ] as const)(
      'When %s applies, then it becomes %s with flags %j and a signed webhook',
      async (ssn, status, flags, listed) => {
        const app = await create(ssn);
        const outcome = await applyAndDecide(app.id);
        expect(outcome.status).toBe(status);
        expect(flagsOf(outcome)).toEqual(flags);
        expect(outcome.documents.map((d) => d.document_type).sort()).toEqual([...listed].sort());
        expect(outcome.documents.every((d) => d.status === 'PENDING_UPLOAD')).toBe(true);
        if (status === 'APPROVED') expect(outcome.customer_id).toMatch(uuid);
        else expect(outcome.customer_id).toBeNull();
        const received = await eventOf(app.id, `application.${status.toLowerCase()}`);
        expect(received.event.data).toEqual({
          application_id: app.id,
          status,
          customer_id: outcome.customer_id,
          id_verification_documents_needed: flags[0],
          identification_number_verification_document_needed: flags[1],
          address_verification_document_needed: flags[2],
        });
      },
    );
  });

  describe('documents', () => {
    const png = Buffer.from('89504e470d0a1a0a0000', 'hex');

    it('When id documents are asked for, then ID_FRONT, ID_BACK and a PASSPORT clear them, PENDING follows, and 2*1 re-applies to manual review', async () => {
      const app = await create('211000000');
      expect((await applyAndDecide(app.id)).status).toBe('DOCUMENTS_NEEDED');
      const front = await upload(app.id, 'ID_FRONT', png, 'image/png');
      expect(front.status).toBe(200);
      expect(front.body).toEqual({ success: true, document_id: expect.stringMatching(uuid) });
      expect((await upload(app.id, 'ID_BACK', png, 'image/jpeg')).status).toBe(200);
      const partway = (await get(app.id)).body;
      expect(partway.status).toBe('DOCUMENTS_NEEDED');
      expect(flagsOf(partway)).toEqual([true, false, false]);
      expect(partway.documents.find((d) => d.id === front.body.document_id)).toMatchObject({
        document_type: 'ID_FRONT',
        status: 'UPLOADED',
      });
      expect((await upload(app.id, 'PASSPORT', png, 'application/pdf')).status).toBe(200);

      const pending = (await get(app.id)).body;
      expect(pending.status).toBe('PENDING');
      expect(flagsOf(pending)).toEqual([false, false, false]);
      expect(pending.documents.map((d) => [d.document_type, d.status]).sort()).toEqual([
        ['ID_BACK', 'UPLOADED'],
        ['ID_FRONT', 'UPLOADED'],
        ['PASSPORT', 'UPLOADED'],
      ]);
      await eventOf(app.id, 'application.pending');

      const review = await applyAndDecide(app.id);
      expect(review).toMatchObject({ status: 'MANUAL_REVIEW', customer_id: null });
      const approved = await resolve(app.id, 'APPROVED');
      expect(approved.status).toBe(200);
      expect(approved.body.customer_id).toMatch(uuid);
      expect((await eventOf(app.id, 'application.approved')).event.data.customer_id).toBe(approved.body.customer_id);
    });

    it('When id and number documents are asked for, then SELFIE and the number document clear them and a 2** re-apply is approved', async () => {
      const app = await create('242000000');
      expect(flagsOf(await applyAndDecide(app.id))).toEqual([true, true, false]);
      for (const type of ['ID_FRONT', 'ID_BACK', 'SELFIE']) expect((await upload(app.id, type, png)).status).toBe(200);
      const halfway = (await get(app.id)).body;
      expect(halfway.status).toBe('DOCUMENTS_NEEDED');
      expect(flagsOf(halfway)).toEqual([false, true, false]);
      expect((await upload(app.id, 'IDENTIFICATION_NUMBER_VERIFICATION', png, 'application/pdf')).status).toBe(200);
      expect((await get(app.id)).body.status).toBe('PENDING');
      const approved = await applyAndDecide(app.id);
      expect(approved.status).toBe('APPROVED');
      expect(approved.customer_id).toMatch(uuid);
    });

    it('When address or number documents are asked for, then only the matching type clears the flag', async () => {
      const address = await create('231000000');
      await applyAndDecide(address.id);
      expect((await upload(address.id, 'OTHER', png)).status).toBe(200);
      expect((await get(address.id)).body.status).toBe('DOCUMENTS_NEEDED');
      expect((await upload(address.id, 'ADDRESS_VERIFICATION', png, 'application/pdf')).status).toBe(200);
      expect((await get(address.id)).body.status).toBe('PENDING');
      expect((await applyAndDecide(address.id)).status).toBe('MANUAL_REVIEW');

      const number = await create('222000000');
      await applyAndDecide(number.id);
      expect((await upload(number.id, 'IDENTIFICATION_NUMBER_VERIFICATION', png)).status).toBe(200);
      expect((await applyAndDecide(number.id)).status).toBe('APPROVED');
    });

    it('When an upload is replayed with its key, then the same document id comes back and no second document exists', async () => {
      const app = await create('230000001');
      await applyAndDecide(app.id);
      const key = randomUUID();
      const first = await upload(app.id, 'OTHER', png, 'image/png', { key });
      const again = await upload(app.id, 'OTHER', png, 'image/png', { key });
      expect(again.body).toEqual(first.body);
      expect((await get(app.id)).body.documents.filter((d) => d.document_type === 'OTHER')).toHaveLength(1);
      expect((await upload(app.id, 'OTHER', Buffer.from('other bytes'), 'image/png', { key })).status).toBe(409);
    });

    it('When an upload is malformed, then 415, 413, 422 and 401 say why', async () => {
      const app = await create('230000002');
      await applyAndDecide(app.id);
      expect((await upload(app.id, 'ID_FRONT', png, 'text/plain')).status).toBe(415);
      expect((await upload(app.id, 'ID_FRONT', png, 'application/png')).status).toBe(415);
      const tooBig = await upload(app.id, 'ID_FRONT', Buffer.alloc(5 * mb + 1, 1));
      expect(tooBig.status).toBe(413);
      expect(tooBig.body.detail).toEqual(expect.any(String));
      expect((await upload(app.id, 'SELFIE', Buffer.alloc(5 * mb, 1))).status).toBe(200);
      expect(
        (await upload(app.id, 'ADDRESS_VERIFICATION', Buffer.alloc(10 * mb + 1, 1), 'application/pdf')).status,
      ).toBe(413);
      const empty = await upload(app.id, 'ID_BACK', Buffer.alloc(0));
      expect(empty.status).toBe(422);
      const unknownType = await upload(app.id, 'DRIVING_LICENCE', png);
      expect(unknownType.status).toBe(422);
      expect(locs(unknownType.body)).toEqual(['path.document_type']);
      expect((await upload(app.id, 'ID_BACK', png, 'image/png', { sign: 'wrong-secret' })).status).toBe(401);
      expect((await upload(app.id, 'ID_BACK', png, 'image/png', { sign: 'yes' })).status).toBe(200);
      expect((await upload(randomUUID(), 'ID_BACK', png)).status).toBe(404);
      expect((await get(app.id)).body.status).toBe('DOCUMENTS_NEEDED');
    });

    it('When the application is approved or rejected, then uploads are refused with 409', async () => {
      for (const ssn of ['400000030', '500000030']) {
        const app = await create(ssn);
        await applyAndDecide(app.id);
        const res = await upload(app.id, 'OTHER', png);
        expect(res.status).toBe(409);
        expect(res.body.detail).toEqual(expect.any(String));
      }
    });
  });

  describe('apply and resolve refusals', () => {
    it('When apply comes from SUBMITTED, DOCUMENTS_NEEDED, MANUAL_REVIEW, APPROVED or REJECTED, then 409 with the reason', async () => {
      const submitted = await create('400000040');
      expect(
        (await call('POST', `/api/v1/applications/${submitted.id}/apply/`, { body: '', baseUrl: slowServed.baseUrl }))
          .status,
      ).toBe(200);
      const cases: [string, string][] = [[submitted.id, 'SUBMITTED']];
      for (const [ssn, status] of [
        ['210000040', 'DOCUMENTS_NEEDED'],
        ['300000040', 'MANUAL_REVIEW'],
        ['400000041', 'APPROVED'],
        ['500000040', 'REJECTED'],
      ]) {
        const app = await create(ssn as string);
        expect((await applyAndDecide(app.id)).status).toBe(status);
        cases.push([app.id, status as string]);
      }
      for (const [id, status] of cases) {
        const res = await apply(id);
        expect(res.status, status).toBe(409);
        expect(res.body.detail, status).toEqual(expect.any(String));
        expect((await get(id)).body.status).toBe(status);
      }
      expect((await apply(cases[4]?.[0] ?? '')).body.detail).toMatch(/cannot be revived/);
      expect((await apply(randomUUID())).status).toBe(404);
    });

    it('When the operator resolves outside MANUAL_REVIEW or with a bad decision, then 409, 422 or 404', async () => {
      const app = await create('300000050');
      expect((await resolve(app.id, 'APPROVED')).status).toBe(409);
      await applyAndDecide(app.id);
      expect((await resolve(app.id, 'MAYBE')).status).toBe(422);
      expect((await resolve(randomUUID(), 'APPROVED')).status).toBe(404);
      const rejected = await resolve(app.id, 'REJECTED');
      expect(rejected.body).toMatchObject({ status: 'REJECTED', customer_id: null });
      await eventOf(app.id, 'application.rejected');
      expect((await resolve(app.id, 'APPROVED')).status).toBe(409);
    });
  });

  describe('webhooks and shared state', () => {
    it('When events are delivered, then each is signed over its timestamp and body and has its own id', async () => {
      // Events of its own: one application approved, one rejected, one sent to manual review.
      const outcomes = [
        ['400000080', 'application.approved'],
        ['500000081', 'application.rejected'],
        ['300000082', 'application.manual_review'],
      ] as const;
      const own = await Promise.all(
        outcomes.map(async ([identificationNumber, type]) => {
          const app = await create(identificationNumber);
          await apply(app.id);
          return eventOf(app.id, type);
        }),
      );
      expect(own).toHaveLength(3);
      for (const { headers, body, event } of receiver.received) {
        const timestamp = String(headers['x-jiko-timestamp']);
        expect(timestamp).toMatch(/^\d+$/);
        expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(120);
        expect(headers['x-jiko-signature']).toBe(signJikoWebhook(webhookSecret, timestamp, body));
        expect(event.id).toMatch(uuid);
        expect(new Date(event.created_at).toISOString()).toBe(event.created_at);
      }
      const delivered = receiver.received.filter((r) => r.answered < 300).map((r) => r.event.id);
      expect(new Set(delivered).size).toBe(delivered.length);
    });

    it('When the receiver answers 500 once, then the same event is redelivered and both attempts are recorded', async () => {
      const app = await create('400000060');
      receiver.failOnce.add(app.id);
      await apply(app.id);
      const delivered = await eventOf(app.id, 'application.approved');
      const all = receiver.for(app.id);
      expect(all.map((r) => r.answered)).toEqual([500, 204]);
      expect(all[0]?.event.id).toBe(delivered.event.id);
      expect(all[0]?.body).toBe(delivered.body);
      await waitFor(
        async () => {
          const rows = (
            await sql<{
              status: string;
            }>`select status from sandbox.jiko_webhook_events where id = ${delivered.event.id}`.execute(db)
          ).rows;
          return rows[0]?.status === 'delivered';
        },
        { what: 'the delivery to be recorded' },
      );
      const attempts = await sql<{ attempt: number; response_status: number | null; error: string | null }>`
        select attempt, response_status, error from sandbox.jiko_webhook_attempts
        where event_id = ${delivered.event.id} order by attempt`.execute(db);
      expect(attempts.rows).toEqual([
        { attempt: 1, response_status: 500, error: 'answered 500' },
        { attempt: 2, response_status: 204, error: null },
      ]);
    });

    it('When another instance shares the database, then it honours the same tokens and applications', async () => {
      const app = await create('300000070');
      const elsewhere = await get(app.id, slowServed.baseUrl);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.body.id).toBe(app.id);
      // Applied through an instance with no loop of its own: the first instance's loop decides it.
      const applied = await call<JikoApplication>('POST', `/api/v1/applications/${app.id}/apply/`, {
        body: '',
        baseUrl: otherServed.baseUrl,
      });
      expect(applied.body.status).toBe('SUBMITTED');
      await eventOf(app.id, 'application.manual_review');
      expect((await get(app.id)).body.status).toBe('MANUAL_REVIEW');
      // The instance without a webhook URL records its events as skipped.
      const resolved = await call('POST', `/operator/applications/${app.id}/resolve`, {
        body: '{"decision":"APPROVED"}',
        key: null,
        sign: 'no',
        baseUrl: otherServed.baseUrl,
      });
      expect(resolved.status).toBe(200);
      const events = await sql<{ type: string; status: string }>`
        select type, status from sandbox.jiko_webhook_events where application_id = ${app.id} order by created_at`.execute(
        db,
      );
      expect(events.rows).toEqual([
        { type: 'application.manual_review', status: 'delivered' },
        { type: 'application.approved', status: 'skipped' },
      ]);
    });
  });
});
