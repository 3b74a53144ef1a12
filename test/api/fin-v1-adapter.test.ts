/**
 * The Fin.com adapter on V1 (`apiVersion: 'v1'`, FIN_API_VERSION=v1) against the built-in
 * sandbox the test desk mounts: real HTTP, real database. Create in V1's shape, upload and
 * the synchronous V1 attach with the terms value from tos_policies_url, refresh through V1's
 * read and V1's statuses, a repeated attach, RFIs (by email or Slack on V1), and a V1
 * webhook as the sandbox raised it.
 */
import { randomUUID } from 'node:crypto';
import { signFinWebhook } from '@desk/sandboxes';
import { loadConfig, type NewApplicant } from '@desk/server';
import {
  type ApplicationContext,
  type DocumentDetails,
  FinAdapter,
  type HeldDocument,
  ProviderCallError,
  type ProviderSnapshot,
} from '@desk/server/internals';
import type { DocumentType } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const token = 'fin-sandbox-token';
const webhookSecret = 'fin-sandbox-webhook-secret';
const pdf = Buffer.from('%PDF-1.4\n%fin v1 adapter test\n', 'latin1');
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(256, 7)]);

const inYears = (years: number) => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};
const idDetails: DocumentDetails = { number: 'N12345678', issuingCountry: 'USA', expiresOn: inYears(5) };

type RawV1Customer = {
  id: string;
  status: string;
  verification_type: string;
  basic_info: Record<string, unknown>;
  address: Record<string, unknown>;
  financial_profile: Record<string, unknown>;
  meta_data: Record<string, string> | null;
  tos_policies_url: string;
};

function finApplicant(tag: string | null, overrides: Partial<NewApplicant> = {}): NewApplicant {
  const local = `ada.${randomUUID().slice(0, 8)}${tag ? `+${tag}` : ''}`;
  return applicant('4', { email: `${local}@example.com`, ...overrides });
}

async function rejection(promise: Promise<unknown>): Promise<ProviderCallError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ProviderCallError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe.each(databaseKinds)('Fin.com adapter on V1, %s database', (kind) => {
  let desk: TestDesk;
  let adapter: FinAdapter;
  const base = () => `${desk.url}/sandbox/fin`;

  beforeAll(async () => {
    desk = await startTestDesk(kind);
    adapter = new FinAdapter({ baseUrl: base, token, webhookSecret, apiVersion: 'v1' });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  async function raw<T>(path: string): Promise<{ status: number; data: T }> {
    const res = await fetch(`${base()}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, data: ((await res.json()) as { data: T }).data };
  }

  async function created(person: NewApplicant): Promise<ApplicationContext> {
    const snapshot = await adapter.createApplication(person, randomUUID());
    expect(snapshot.status).toBe('INCOMPLETE');
    return {
      providerApplicationId: snapshot.providerApplicationId,
      applicant: {
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        country: person.address.country,
      },
      documents: [],
    };
  }

  async function send(
    app: ApplicationContext,
    type: DocumentType,
    bytes: Buffer,
    contentType: string,
    details: DocumentDetails = {},
  ): Promise<void> {
    const document: HeldDocument = {
      id: randomUUID(),
      type,
      status: 'UPLOADED',
      providerDocumentId: null,
      contentType,
      fileName: `${type.toLowerCase()}.bin`,
      details,
      url: `http://desk.invalid/files/${randomUUID()}`,
    };
    const { providerDocumentId } = await adapter.sendDocument(app, document, bytes, randomUUID());
    app.documents.push({ ...document, providerDocumentId });
  }

  const decided = (id: string) =>
    eventually(
      () => adapter.getApplication(id, randomUUID()),
      (s: ProviderSnapshot) => s.status !== 'INCOMPLETE' && s.status !== 'REVIEWING',
    );

  /** A customer with ID front and back and an address document, attached. */
  async function attached(tag: string | null): Promise<{ app: ApplicationContext; snapshot: ProviderSnapshot }> {
    const app = await created(finApplicant(tag));
    await send(app, 'ID_FRONT', pdf, 'application/pdf', idDetails);
    await send(app, 'ID_BACK', png, 'image/png');
    await send(app, 'ADDRESS_VERIFICATION', png, 'image/png');
    return { app, snapshot: await adapter.resubmit(app, randomUUID()) };
  }

  it('When an applicant is created on V1, then Fin.com holds a V1 customer (tin, street, state, source_of_fund_id) and the snapshot is INCOMPLETE', async () => {
    const person = finApplicant(null, {
      firstName: 'Zoë',
      email: `Ada.${randomUUID().slice(0, 8)}@Example.COM`,
      identificationNumber: '123456789',
    });
    const key = randomUUID();
    const snapshot = await adapter.createApplication(person, key);
    expect(snapshot).toMatchObject({ status: 'INCOMPLETE', requirements: [], rfi: null, documents: [] });
    const customer = await raw<RawV1Customer>(`/v1/customers/${snapshot.providerApplicationId}`);
    expect(customer.status).toBe(200);
    expect(customer.data.verification_type).toBe('STANDARD');
    expect(customer.data.meta_data).toEqual({ desk_reference: key });
    expect(customer.data.basic_info).toEqual({
      first_name: 'Zoe',
      last_name: person.lastName,
      dob: '1980-04-12',
      email: person.email.toLowerCase(),
      phone: '+15105551234',
      country_of_residence: 'USA',
      nationality: 'USA',
      tin: '***-**-6789',
    });
    expect(customer.data.address).toEqual({
      street: '2000 Allston Way',
      city: 'Berkeley',
      state: 'US-CA',
      postal_code: '94701',
      country: 'USA',
    });
    expect(customer.data.financial_profile).toEqual({
      occupation_id: 1,
      source_of_fund_id: 1,
      purpose_id: 6,
      monthly_volume_usd: 10_000,
    });
    // Not a V2 customer.
    expect((await raw(`/v2/customers/${snapshot.providerApplicationId}`)).status).toBe(404);
  });

  it('When ID front, back and an address document are uploaded and attached, then the answer is REVIEWING at once, refresh reaches APPROVED, and attaching again returns the snapshot', async () => {
    const { app, snapshot } = await attached(null);
    expect(snapshot.status).toBe('REVIEWING');
    const approved = await decided(app.providerApplicationId);
    expect(approved.status).toBe('APPROVED');
    expect(approved.rfi).toBeNull();
    // A repeated attach (the answer was lost) finds the customer moved on and sends nothing.
    expect((await adapter.resubmit(app, randomUUID())).status).toBe('APPROVED');
    expect(adapter.resubmitRefusal('APPROVED', app.documents)).toBe(
      'Fin.com accepts documents only while INCOMPLETE (the customer is APPROVED)',
    );
    expect(adapter.resubmitRefusal('INCOMPLETE', app.documents)).toBeNull();
  });

  it('When +rejected and +on_hold customers are decided, then V1 statuses come back: REJECTED with its reason, ON_HOLD with no RFI; an RFI answer is refused', async () => {
    const rejected = await attached('rejected');
    const r = await decided(rejected.app.providerApplicationId);
    expect(r.status).toBe('REJECTED');
    expect(r.requirements).toHaveLength(1);
    const held = await attached('on_hold');
    const h = await decided(held.app.providerApplicationId);
    expect(h).toMatchObject({ status: 'ON_HOLD', rfi: null });
    const answer = await rejection(
      adapter.answerRfi(held.app, { providerRfiId: randomUUID(), text: null, fields: {}, files: [] }, randomUUID()),
    );
    expect(answer.kind).toBe('refused');
    expect(answer.message).toContain('email or Slack');
  });

  it('When FIN_API_VERSION is v1, then the settings carry it to an adapter that creates V1 customers; v2 is the default and anything else is refused', async () => {
    expect(loadConfig({}).fin.apiVersion).toBe('v2');
    expect(() => loadConfig({ FIN_API_VERSION: 'v3' })).toThrow(/FIN_API_VERSION/);
    const settings = loadConfig({ FIN_API_VERSION: 'v1' }).fin;
    expect(settings.apiVersion).toBe('v1');
    // As connectProviders builds it: the settings spread, the base URL resolved.
    const configured = new FinAdapter({ ...settings, baseUrl: base });
    const snapshot = await configured.createApplication(finApplicant(null), randomUUID());
    const customer = await raw<RawV1Customer>(`/v1/customers/${snapshot.providerApplicationId}`);
    expect(customer.status).toBe(200);
    expect(customer.data.basic_info).toHaveProperty('tin');
  });

  it('When documents are missing, then the adapter refuses before calling', async () => {
    const app = await created(finApplicant(null));
    await send(app, 'ADDRESS_VERIFICATION', png, 'image/png');
    const refused = await rejection(adapter.resubmit(app, randomUUID()));
    expect(refused.kind).toBe('refused');
    expect(refused.message).toContain('a passport, or both sides of an ID');
  });

  it("When the sandbox raises a V1 customer's events, then they verify with the webhook secret and name the customer", async () => {
    const { app } = await attached(null);
    await decided(app.providerApplicationId);
    const rows = await sql<{ type: string; body: string }>`
      select type, body from sandbox.fin_webhook_events
      where customer_id = ${app.providerApplicationId} order by seq`.execute(desk.db);
    expect(rows.rows.map((r) => r.type)).toEqual(['customer.created', 'customer.status', 'customer.status']);
    const now = new Date();
    for (const { type, body } of rows.rows) {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const verified = adapter.verifyWebhook(
        { 'x-fin-timestamp': timestamp, 'x-fin-signature': signFinWebhook(webhookSecret, timestamp, body) },
        Buffer.from(body),
        now,
      );
      expect(verified).toMatchObject({ ok: true, event: { type, providerApplicationId: app.providerApplicationId } });
    }
  });
});
