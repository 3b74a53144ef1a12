/**
 * The Fin.com adapter against the built-in Fin.com sandbox the test desk mounts: real HTTP,
 * real database. Creation from a desk applicant, uploads, attach (and its retries), every
 * review outcome, the RFI round trip (and its retry), errors, and webhook verification.
 */
import { randomUUID } from 'node:crypto';
import { createFinSandbox, serveFinSandbox, signFinWebhook } from '@desk/sandboxes';
import { createLogger, type NewApplicant } from '@desk/server';
import {
  type ApplicationContext,
  type DocumentDetails,
  FinAdapter,
  type HeldDocument,
  ProviderCallError,
  type ProviderSnapshot,
} from '@desk/server/internals';
import type { DocumentType } from '@desk/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const token = 'fin-sandbox-token';
const webhookSecret = 'fin-sandbox-webhook-secret';
const pdf = Buffer.from('%PDF-1.4\n%fin adapter test\n', 'latin1');
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(256, 7)]);
const jpeg = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(256, 7)]);
const uriPattern = /^\/[A-Za-z0-9]+_\d{13}\.(pdf|jpg|png)$/;

const inYears = (years: number) => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};
const passportDetails: DocumentDetails = { number: 'P12345678', issuingCountry: 'USA', expiresOn: inYears(5) };

type RawCustomer = {
  id: string;
  status: string;
  verification_type: string;
  basic_info: Record<string, unknown> & {
    tax_info: { country_code: string; document_type: string; document_id: string }[];
  };
  address: Record<string, unknown>;
  financial_profile: Record<string, unknown>;
  meta_data: Record<string, string> | null;
};
type RawRfi = { id: string; status: string };

/** A desk applicant whose email steers the sandbox's first review (`+on_hold`, ...). */
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

describe.each(databaseKinds)('Fin.com adapter on %s database', (kind) => {
  let desk: TestDesk;
  let adapter: FinAdapter;
  const base = () => `${desk.url}/sandbox/fin`;

  beforeAll(async () => {
    desk = await startTestDesk(kind);
    adapter = new FinAdapter({ baseUrl: base, token, webhookSecret });
  });
  afterAll(async () => {
    await desk?.stop();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Reads Fin.com directly, to check what the adapter sent. */
  async function raw<T>(path: string): Promise<T> {
    const res = await fetch(`${base()}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: T }).data;
  }

  const poll = (id: string, done: (s: ProviderSnapshot) => boolean) =>
    eventually(() => adapter.getApplication(id, randomUUID()), done);
  const decided = (id: string) => poll(id, (s) => s.status !== 'INCOMPLETE' && s.status !== 'REVIEWING');

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

  /** Sends one document as the desk would and records it as held, with Fin.com's uri. */
  async function send(
    app: ApplicationContext,
    type: DocumentType,
    bytes: Buffer,
    contentType: string,
    details: DocumentDetails = {},
  ): Promise<HeldDocument> {
    const document: HeldDocument = {
      id: randomUUID(),
      type,
      status: 'UPLOADED',
      providerDocumentId: null,
      contentType,
      fileName: `${type.toLowerCase()} scan.bin`,
      details,
      url: `http://desk.invalid/files/${randomUUID()}`,
    };
    const { providerDocumentId } = await adapter.sendDocument(app, document, bytes, randomUUID());
    expect(providerDocumentId).toMatch(uriPattern);
    const held = { ...document, providerDocumentId };
    app.documents.push(held);
    return held;
  }

  async function attachedAndDecided(
    tag: string | null,
  ): Promise<{ app: ApplicationContext; snapshot: ProviderSnapshot }> {
    const app = await created(finApplicant(tag));
    await send(app, 'PASSPORT', pdf, 'application/pdf', passportDetails);
    await send(app, 'ADDRESS_VERIFICATION', png, 'image/png');
    const attached = await adapter.resubmit(app, randomUUID());
    expect(['INCOMPLETE', 'REVIEWING']).toContain(attached.status);
    return { app, snapshot: await decided(app.providerApplicationId) };
  }

  describe('creating customers', () => {
    it('When a US applicant is created, then Fin.com holds a STANDARD customer built to its rules and the snapshot is INCOMPLETE', async () => {
      const person = finApplicant(null, {
        email: `Ada.${randomUUID().slice(0, 8)}@Example.COM`,
        identificationNumber: '123456789',
      });
      const key = randomUUID();
      const snapshot = await adapter.createApplication(person, key);
      expect(snapshot).toEqual({
        providerApplicationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'INCOMPLETE',
        providerCustomerId: snapshot.providerApplicationId,
        flags: { idVerification: false, identificationNumberVerification: false, addressVerification: false },
        documents: [],
        requirements: [],
        rfi: null,
      });
      const customer = await raw<RawCustomer>(`/v2/customers/${snapshot.providerApplicationId}`);
      expect(customer.verification_type).toBe('STANDARD');
      expect(customer.meta_data).toEqual({ desk_reference: key });
      expect(customer.basic_info).toMatchObject({
        first_name: 'Ada',
        email: person.email.toLowerCase(),
        phone: '+15105551234',
        dob: '1980-04-12',
        country_of_residence: 'USA',
        primary_nationality: 'USA',
      });
      // Fin.com masks all but the last four characters of the SSN it was sent as xxx-xx-xxxx.
      expect(customer.basic_info.tax_info).toEqual([
        { country_code: 'USA', document_type: 'SSN', document_id: '***-**-6789' },
      ]);
      expect(customer.address).toEqual({
        street_line_1: '2000 Allston Way',
        city: 'Berkeley',
        subdivision_code: 'US-CA',
        postal_code: '94701',
        country: 'USA',
      });
      expect(customer.financial_profile).toEqual({
        employment_status: 'EMPLOYED',
        occupation_id: 1,
        purpose_id: 6,
        source_of_fund_ids: [1],
        monthly_volume_usd: 10_000,
      });
    });

    it('When names and streets carry non-Latin letters outside the USA, then `_en` transliterations, a TIN and the subdivision are sent', async () => {
      const person = finApplicant(null, {
        firstName: 'Jürgen',
        lastName: 'Groß-Øster',
        phone: '+4930123456',
        identificationNumber: '987654321',
        address: { street: 'Königstraße 5', city: 'München', postalCode: '80331', state: 'BY', country: 'DEU' },
        investmentProfile: {
          income: 'SOMETHING_ELSE',
          netWorth: 'MORE_THAN_5M',
          occupation: 'teacher',
          employmentStatus: 'Self-employed',
        },
      });
      const snapshot = await adapter.createApplication(person, randomUUID());
      const customer = await raw<RawCustomer>(`/v2/customers/${snapshot.providerApplicationId}`);
      expect(customer.basic_info).toMatchObject({
        first_name: 'Jürgen',
        first_name_en: 'Jurgen',
        last_name: 'Groß-Øster',
        last_name_en: 'Gross-Oster',
        country_of_residence: 'DEU',
        tax_info: [{ country_code: 'DEU', document_type: 'TIN', document_id: '*****4321' }],
      });
      expect(customer.address).toEqual({
        street_line_1: 'Königstraße 5',
        street_line_1_en: 'Konigstrasse 5',
        city: 'Munchen',
        subdivision_code: 'DE-BY',
        postal_code: '80331',
        country: 'DEU',
      });
      // Occupation by name (case-insensitive), business income for the self-employed, the guide's volume when the income is unknown.
      expect(customer.financial_profile).toMatchObject({
        employment_status: 'SELF_EMPLOYED',
        occupation_id: 3,
        source_of_fund_ids: [2],
        monthly_volume_usd: 5000,
      });
    });

    it('When one adapter creates several customers, then it fetches the catalogue once', async () => {
      const fresh = new FinAdapter({ baseUrl: base, token, webhookSecret });
      const spy = vi.spyOn(globalThis, 'fetch');
      await fresh.createApplication(finApplicant(null), randomUUID());
      await fresh.createApplication(finApplicant(null), randomUUID());
      const paths = spy.mock.calls.map(
        ([input]) =>
          new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname,
      );
      expect(paths.filter((p) => p.endsWith('/v1/occupations'))).toHaveLength(1);
      expect(paths.filter((p) => p.endsWith('/v1/purposes'))).toHaveLength(1);
      expect(paths.filter((p) => p.endsWith('/v1/source-of-funds'))).toHaveLength(1);
      expect(paths.filter((p) => p.endsWith('/v2/customers/individual'))).toHaveLength(2);
    });

    it('When Fin.com refuses the applicant, then the call is refused with its field errors; an address without a state is refused before any call', async () => {
      const bad = await rejection(adapter.createApplication(finApplicant(null, { phone: '+0123' }), randomUUID()));
      expect(bad.kind).toBe('refused');
      expect(bad.status).toBe(400);
      expect(bad.message).toContain('basic_info.phone');

      const stateless = finApplicant(null);
      const noState = await rejection(
        adapter.createApplication({ ...stateless, address: { ...stateless.address, state: null } }, randomUUID()),
      );
      expect(noState.kind).toBe('refused');
      expect(noState.status).toBeNull();
      expect(noState.message).toContain('ISO 3166-2');
    });
  });

  describe('documents and review outcomes', () => {
    it('When a passport, selfie and address document are sent and attached, then the customer is reviewed and APPROVED; attaching again returns the snapshot', async () => {
      const app = await created(finApplicant(null));
      await send(app, 'PASSPORT', pdf, 'application/pdf', passportDetails);
      await send(app, 'SELFIE', jpeg, 'image/jpeg');
      expect(adapter.resubmitRefusal('INCOMPLETE', app.documents)).toMatch(/address verification/);
      await send(app, 'ADDRESS_VERIFICATION', png, 'image/png');
      expect(adapter.resubmitRefusal('INCOMPLETE', app.documents)).toBeNull();

      const attached = await adapter.resubmit(app, randomUUID());
      expect(attached.providerApplicationId).toBe(app.providerApplicationId);
      expect(['INCOMPLETE', 'REVIEWING']).toContain(attached.status);
      const approved = await poll(app.providerApplicationId, (s) => s.status === 'APPROVED');
      expect(approved).toMatchObject({
        requirements: [],
        rfi: null,
        flags: { idVerification: false, identificationNumberVerification: false, addressVerification: false },
      });

      // A retry of an attach that landed: Fin.com answers 403, the adapter returns the state.
      const again = await adapter.resubmit(app, randomUUID());
      expect(again.status).toBe('APPROVED');
    });

    it('When ID front and back are attached for +action_required, then ACTION_REQUIRED carries flags and requirements until a new passport is attached', async () => {
      const app = await created(finApplicant('action_required'));
      await send(app, 'ID_FRONT', png, 'image/png', {
        number: 'N-998877',
        issuingCountry: 'USA',
        expiresOn: inYears(4),
      });
      await send(app, 'ID_BACK', png, 'image/png');
      await send(app, 'SELFIE', jpeg, 'image/jpeg');
      await send(app, 'ADDRESS_VERIFICATION', pdf, 'application/pdf');
      expect(adapter.resubmitRefusal('INCOMPLETE', app.documents)).toBeNull();
      await adapter.resubmit(app, randomUUID());

      const needs = await poll(app.providerApplicationId, (s) => s.status === 'ACTION_REQUIRED');
      expect(needs.flags).toEqual({
        idVerification: true,
        identificationNumberVerification: false,
        addressVerification: false,
      });
      expect(needs.requirements).toEqual([
        "The identity document is unreadable; attach a clear copy of every required side (accepted: Passport, National ID, Driver's license or Residence permit).",
        'The selfie does not match the identity document (accepted: Selfie).',
      ]);
      expect(needs.rfi).toBeNull();
      expect(adapter.resubmitRefusal('ACTION_REQUIRED', app.documents)).toBeNull();

      await send(app, 'PASSPORT', jpeg, 'image/jpeg', passportDetails);
      const reattached = await adapter.resubmit(app, randomUUID());
      expect(['ACTION_REQUIRED', 'REVIEWING']).toContain(reattached.status);
      const approved = await poll(app.providerApplicationId, (s) => s.status === 'APPROVED');
      expect(approved.flags.idVerification).toBe(false);
      expect(approved.requirements).toEqual([]);
    });

    it('When an attach is still queued at Fin.com, then repeating it is unavailable (409), to be retried later', async () => {
      // A second sandbox on the desk's database whose attaches stay queued for a minute.
      const slowSandbox = createFinSandbox({
        db: desk.db,
        apiToken: token,
        webhook: { url: null, secret: webhookSecret },
        reviewDelayMs: 60_000,
        logger: createLogger('silent'),
      });
      const served = await serveFinSandbox(slowSandbox.router);
      try {
        const slow = new FinAdapter({ baseUrl: () => served.baseUrl, token, webhookSecret });
        const person = finApplicant(null);
        const snapshot = await slow.createApplication(person, randomUUID());
        const app: ApplicationContext = {
          providerApplicationId: snapshot.providerApplicationId,
          applicant: {
            firstName: person.firstName,
            lastName: person.lastName,
            email: person.email,
            country: person.address.country,
          },
          documents: [],
        };
        for (const [type, bytes, contentType, details] of [
          ['PASSPORT', pdf, 'application/pdf', passportDetails],
          ['ADDRESS_VERIFICATION', jpeg, 'image/jpeg', {}],
        ] as const) {
          const document: HeldDocument = {
            id: randomUUID(),
            type,
            status: 'UPLOADED',
            providerDocumentId: null,
            contentType,
            fileName: null,
            details,
            url: 'http://desk.invalid/f',
          };
          const { providerDocumentId } = await slow.sendDocument(app, document, bytes, randomUUID());
          expect(providerDocumentId).toMatch(uriPattern);
          app.documents.push({ ...document, providerDocumentId });
        }
        expect((await slow.resubmit(app, randomUUID())).status).toBe('INCOMPLETE');
        const repeated = await rejection(slow.resubmit(app, randomUUID()));
        expect(repeated).toMatchObject({ kind: 'unavailable', status: 409 });
      } finally {
        await served.close();
      }
    });

    it('When a +rejected customer is decided, then REJECTED carries the reason, attaching is refused and uploads are refused', async () => {
      const { app, snapshot } = await attachedAndDecided('rejected');
      expect(snapshot.status).toBe('REJECTED');
      expect(snapshot.requirements).toEqual(['Identity could not be verified against the documents provided']);
      expect(adapter.resubmitRefusal('REJECTED', app.documents)).toBe(
        'Fin.com accepts documents only while INCOMPLETE or ACTION_REQUIRED (the customer is REJECTED)',
      );
      const upload = await rejection(send(app, 'SELFIE', jpeg, 'image/jpeg'));
      expect(upload).toMatchObject({ kind: 'refused', status: 403 });
    });

    it('When documents are missing or of a type Fin.com does not take, then the adapter refuses before calling', async () => {
      const app = await created(finApplicant(null));
      const attach = await rejection(adapter.resubmit(app, randomUUID()));
      expect(attach).toMatchObject({ kind: 'refused', status: null });
      expect(attach.message).toBe(
        'Fin.com needs a passport, or both sides of an ID (ID front and ID back) and an address verification document before documents can be attached',
      );
      const gif: HeldDocument = {
        id: randomUUID(),
        type: 'SELFIE',
        status: 'UPLOADED',
        providerDocumentId: null,
        contentType: 'image/gif',
        fileName: 'me.gif',
        details: {},
        url: 'http://desk.invalid/f',
      };
      const sent = await rejection(adapter.sendDocument(app, gif, Buffer.from('GIF89a'), randomUUID()));
      expect(sent).toMatchObject({ kind: 'refused', status: null });
    });
  });

  describe('RFIs', () => {
    it('When a +on_hold customer is decided, then the RFI is mapped item by item; an answer of fields, expiry and a file returns it to review, a repeat returns the snapshot, and it is APPROVED', async () => {
      const { app, snapshot } = await attachedAndDecided('on_hold');
      expect(snapshot.status).toBe('ON_HOLD');
      expect(snapshot.flags).toEqual({
        idVerification: false,
        identificationNumberVerification: false,
        addressVerification: false,
      });
      const rfi = snapshot.rfi;
      expect(rfi).not.toBeNull();
      if (!rfi) return;
      expect(rfi.providerRfiId).toMatch(/^[0-9a-f-]{36}$/);
      expect(rfi.title).toBe('Fin.com needs 3 items');
      expect(rfi.dueAt).toBeNull();
      expect(rfi.raisedAt).toBeInstanceOf(Date);
      expect(Math.abs(rfi.raisedAt.getTime() - Date.now())).toBeLessThan(60_000);
      expect(rfi.items).toEqual([
        {
          kind: 'field',
          key: 'basic_info.phone',
          label: 'Phone',
          section: 'basic_info',
          reason: 'INVALID',
          note: 'The phone number could not be verified; send a reachable number in E.164 format',
          format: 'e164_phone',
        },
        {
          kind: 'field',
          key: 'financial_profile.source_of_funds_description',
          label: 'Source of funds description',
          section: 'financial_profile',
          reason: 'MISSING',
          note: 'Describe where the funds come from',
          format: 'latin_text',
        },
        {
          kind: 'document',
          key: 'identifying_documents.PASSPORT',
          label: 'Passport',
          section: 'identifying_documents',
          reason: 'EXPIRED',
          note: 'The identity document has expired; send a valid one',
          format: null,
        },
        {
          kind: 'field',
          key: 'identifying_documents.PASSPORT.expiry_date',
          label: 'Passport expiry date (YYYY-MM-DD)',
          section: 'identifying_documents',
          reason: 'EXPIRED',
          note: "Fin.com needs the new document's expiry date",
          format: 'future_date',
        },
      ]);
      expect(adapter.resubmitRefusal('ON_HOLD', app.documents)).toMatch(/only while INCOMPLETE or ACTION_REQUIRED/);

      const fields = {
        'basic_info.phone': '+14155550123',
        'financial_profile.source_of_funds_description': 'Salary from a university post',
        'identifying_documents.PASSPORT.expiry_date': inYears(8),
      };
      const file = {
        itemKey: 'identifying_documents.PASSPORT',
        fileName: 'new passport.pdf',
        contentType: 'application/pdf',
        bytes: pdf,
        url: 'http://desk.invalid/rfi-file',
      };

      // An incomplete answer is refused before anything is uploaded or sent.
      const withoutExpiry = Object.fromEntries(Object.entries(fields).filter(([key]) => !key.endsWith('.expiry_date')));
      const incomplete = await rejection(
        adapter.answerRfi(
          app,
          { providerRfiId: rfi.providerRfiId, text: null, fields: withoutExpiry, files: [file] },
          randomUUID(),
        ),
      );
      expect(incomplete).toMatchObject({ kind: 'refused', status: null });
      expect(incomplete.message).toContain('identifying_documents.PASSPORT.expiry_date is required');
      expect(incomplete.fieldReasons).toEqual({ 'identifying_documents.PASSPORT.expiry_date': ['is required'] });
      // A value not in the format Fin.com documents is refused by item, before anything is sent.
      const notE164 = await rejection(
        adapter.answerRfi(
          app,
          {
            providerRfiId: rfi.providerRfiId,
            text: null,
            fields: { ...fields, 'basic_info.phone': '(415) 555-0123' },
            files: [file],
          },
          randomUUID(),
        ),
      );
      expect(notE164).toMatchObject({ kind: 'refused', status: null });
      expect(notE164.fieldReasons['basic_info.phone']?.join()).toMatch(/E\.164/);
      const unrequested = await rejection(
        adapter.answerRfi(
          app,
          {
            providerRfiId: rfi.providerRfiId,
            text: null,
            fields: { ...fields, 'address.city': 'Oakland' },
            files: [file],
          },
          randomUUID(),
        ),
      );
      expect(unrequested.message).toContain('address.city was not requested');

      const delivery = {
        providerRfiId: rfi.providerRfiId,
        text: 'Here is everything you asked for',
        fields,
        files: [file],
      };
      const answered = await adapter.answerRfi(app, delivery, randomUUID());
      expect(['REVIEWING', 'APPROVED']).toContain(answered.status);
      expect(answered.rfi).toBeNull();
      const repeated = await adapter.answerRfi(app, delivery, randomUUID());
      expect(['REVIEWING', 'APPROVED']).toContain(repeated.status);

      const approved = await poll(app.providerApplicationId, (s) => s.status === 'APPROVED');
      expect(approved.rfi).toBeNull();
      const customer = await raw<RawCustomer>(`/v2/customers/${app.providerApplicationId}`);
      expect(customer.basic_info.phone).toBe('+14155550123');
      expect(customer.financial_profile.source_of_funds_description).toBe('Salary from a university post');
      const rfis = await raw<RawRfi[]>(`/v2/customers/${app.providerApplicationId}/rfis`);
      expect(rfis.map((r) => [r.id, r.status])).toEqual([[rfi.providerRfiId, 'ANSWERED']]);
    });

    it('When an RFI Fin.com does not know is answered, then the call is refused', async () => {
      const app = await created(finApplicant(null));
      const err = await rejection(
        adapter.answerRfi(app, { providerRfiId: randomUUID(), text: null, fields: {}, files: [] }, randomUUID()),
      );
      expect(err).toMatchObject({ kind: 'refused' });
      expect(err.message).toContain('has no RFI');
    });
  });

  describe('errors and rules', () => {
    it('When the token is wrong, then calls are refused with 401; an unknown customer is refused with 404; an unreachable Fin.com is unavailable', async () => {
      const app = await created(finApplicant(null));
      const wrong = new FinAdapter({ baseUrl: base, token: 'not-the-token', webhookSecret });
      const denied = await rejection(wrong.getApplication(app.providerApplicationId, randomUUID()));
      expect(denied).toMatchObject({ kind: 'refused', status: 401 });
      expect(denied.message).toContain('unauthorized');
      expect(await rejection(wrong.createApplication(finApplicant(null), randomUUID()))).toMatchObject({
        kind: 'refused',
        status: 401,
      });

      expect(await rejection(adapter.getApplication(randomUUID(), randomUUID()))).toMatchObject({
        kind: 'refused',
        status: 404,
      });

      const down = new FinAdapter({
        baseUrl: () => 'http://127.0.0.1:9/sandbox/fin',
        token,
        webhookSecret,
        timeoutMs: 2_000,
      });
      expect(await rejection(down.getApplication(app.providerApplicationId, randomUUID()))).toMatchObject({
        kind: 'unavailable',
        status: null,
      });
    });

    it('When resubmission is asked about, then the refusal names the status or the missing documents', () => {
      const doc = (type: DocumentType, providerDocumentId: string | null = `/x_${type}.pdf`) => ({
        type,
        status: 'UPLOADED' as const,
        providerDocumentId,
      });
      expect(adapter.resubmitRefusal('INCOMPLETE', [doc('PASSPORT'), doc('ADDRESS_VERIFICATION')])).toBeNull();
      expect(
        adapter.resubmitRefusal('ACTION_REQUIRED', [doc('ID_FRONT'), doc('ID_BACK'), doc('ADDRESS_VERIFICATION')]),
      ).toBeNull();
      expect(adapter.resubmitRefusal('INCOMPLETE', [doc('ID_FRONT'), doc('ADDRESS_VERIFICATION')])).toBe(
        'Fin.com needs a passport, or both sides of an ID (ID front and ID back) before documents can be attached',
      );
      expect(adapter.resubmitRefusal('INCOMPLETE', [doc('PASSPORT', null), doc('ADDRESS_VERIFICATION')])).toMatch(
        /needs a passport/,
      );
      expect(adapter.resubmitRefusal('INCOMPLETE', [doc('PASSPORT')])).toBe(
        'Fin.com needs an address verification document before documents can be attached',
      );
      expect(
        adapter.resubmitRefusal('INCOMPLETE', [
          { ...doc('PASSPORT'), status: 'REJECTED' },
          doc('ADDRESS_VERIFICATION'),
        ]),
      ).toMatch(/needs a passport/);
      for (const status of ['REVIEWING', 'ON_HOLD', 'APPROVED', 'REJECTED'] as const) {
        expect(adapter.resubmitRefusal(status, [doc('PASSPORT'), doc('ADDRESS_VERIFICATION')])).toBe(
          `Fin.com accepts documents only while INCOMPLETE or ACTION_REQUIRED (the customer is ${status})`,
        );
      }
      expect(adapter.resubmitRefusal('CREATED', [])).toBe('CREATED is not a Fin.com status');
    });

    it('When document rules are read, then Fin.com takes PDF, JPEG and PNG up to 10 MiB, identity details with a passport or ID front', async () => {
      const contentTypes = ['application/pdf', 'image/jpeg', 'image/png'];
      expect(adapter.documentRules('PASSPORT')).toEqual({
        accepted: true,
        contentTypes,
        minBytes: 1,
        maxBytes: 10 * 1024 * 1024,
        requiredDetails: ['number', 'issuingCountry', 'expiresOn'],
      });
      expect(adapter.documentRules('ID_FRONT').requiredDetails).toEqual(['number', 'issuingCountry', 'expiresOn']);
      for (const type of ['ID_BACK', 'SELFIE', 'ADDRESS_VERIFICATION'] as const) {
        expect(adapter.documentRules(type)).toMatchObject({ accepted: true, requiredDetails: [] });
      }
      for (const type of ['IDENTIFICATION_NUMBER_VERIFICATION', 'OTHER'] as const)
        expect(adapter.documentRules(type).accepted).toBe(false);
      expect(adapter.resubmitLabel).toBe('Attach documents');
      expect(adapter.provider).toBe('fin');
      expect(await adapter.listAgreements(randomUUID())).toEqual([]);
    });
  });

  describe('webhooks', () => {
    const now = new Date();
    const seconds = (d: Date) => String(Math.floor(d.getTime() / 1000));
    const event = {
      id: randomUUID(),
      type: 'customer.status',
      created_at: now.toISOString(),
      data: { customer_id: randomUUID(), status: 'APPROVED', previous_status: 'REVIEWING' },
    };
    const body = JSON.stringify(event);
    const signed = (text: string, at = now, secret = webhookSecret) => {
      const timestamp = seconds(at);
      return {
        'x-fin-timestamp': timestamp,
        'x-fin-signature': signFinWebhook(secret, timestamp, text),
        'x-fin-event-id': event.id,
      };
    };

    it('When a webhook is signed with the webhook secret, then it verifies and is parsed', () => {
      const verified = adapter.verifyWebhook(signed(body), Buffer.from(body), now);
      expect(verified).toEqual({
        ok: true,
        event: {
          eventId: event.id,
          type: 'customer.status',
          providerApplicationId: event.data.customer_id,
          payload: event,
        },
      });
      const headers = signed(body, new Date(now.getTime() - 299_000));
      const asLists = {
        'x-fin-timestamp': [headers['x-fin-timestamp']],
        'x-fin-signature': [headers['x-fin-signature']],
      };
      expect(adapter.verifyWebhook(asLists, Buffer.from(body), now).ok).toBe(true);
    });

    it('When a webhook is forged, tampered with, stale, unsigned or not an event, then it is refused with a reason', () => {
      const cases: [string, Record<string, string | undefined>, string][] = [
        ['forged', signed(body, now, 'another-secret'), 'signature does not match'],
        ['tampered', signed(body), 'signature does not match'],
        ['stale', signed(body, new Date(now.getTime() - 301_000)), 'timestamp outside the accepted window'],
        ['from the future', signed(body, new Date(now.getTime() + 301_000)), 'timestamp outside the accepted window'],
        ['unsigned', { ...signed(body), 'x-fin-signature': undefined }, 'missing x-fin-signature or x-fin-timestamp'],
        [
          'without timestamp',
          { ...signed(body), 'x-fin-timestamp': undefined },
          'missing x-fin-signature or x-fin-timestamp',
        ],
        ['with a malformed timestamp', { ...signed(body), 'x-fin-timestamp': '17e9' }, 'malformed x-fin-timestamp'],
        [
          'of another event id',
          { ...signed(body), 'x-fin-event-id': randomUUID() },
          'x-fin-event-id does not match the event',
        ],
      ];
      for (const [what, headers, reason] of cases) {
        const text = what === 'tampered' ? body.replace('APPROVED', 'REJECTED') : body;
        expect(adapter.verifyWebhook(headers, Buffer.from(text), now), what).toEqual({ ok: false, reason });
      }
      const notJson = 'not json';
      expect(adapter.verifyWebhook(signed(notJson), Buffer.from(notJson), now)).toMatchObject({
        ok: false,
        reason: 'body is not JSON',
        rejected: { reason: 'not_json' },
      });
      const notEvent = JSON.stringify({ id: event.id, type: 'customer.status', data: {} });
      expect(adapter.verifyWebhook(signed(notEvent), Buffer.from(notEvent), now)).toMatchObject({
        ok: false,
        reason: 'body is not a Fin.com event',
        rejected: { reason: 'not_an_event' },
      });
    });
  });
});
