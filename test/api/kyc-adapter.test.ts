/**
 * The generic KYC provider adapter against the built-in sandbox over real HTTP, on a fresh
 * migrated database: creation with full KYC data, the provider's RFI as the desk's (items,
 * stable id), answering it with fields and document URLs the sandbox fetches, resubmission
 * with held documents, rejections, refusals, and webhook verification with the sandbox's own
 * signer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type KycCustomer, signKycWebhook } from '@desk/sandboxes';
import type { NewApplicant } from '@desk/server';
import {
  type ApplicationContext,
  type HeldDocument,
  KycAdapter,
  kycCountryCodes,
  ProviderCallError,
  type ProviderSnapshot,
  type RfiAnswerDelivery,
  toAlpha2,
} from '@desk/server/internals';
import { isAlpha2 } from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { PatchTroubleProxy } from '../support/patch-trouble-proxy.js';

const apiKey = 'kyc-sandbox-api-key';
const webhookSecret = 'kyc-sandbox-webhook-secret';
const kb = 1024;
const governmentIdTypes = 'PASSPORT, DRIVERS_LICENSE, NATIONAL_ID_CARD, RESIDENCE_PERMIT, STATE_ID_CARD';
const proofOfAddressTypes = 'UTILITY_BILL, BANK_STATEMENT, LEASE_AGREEMENT';

function file(magic: number[], size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x20);
  Buffer.from(magic).copy(bytes);
  return bytes;
}

/** The desk's file URLs as the provider sees them: images of the sizes and formats it takes. */
const files: Record<string, Buffer> = {
  'passport.png': file([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 150 * kb),
  'id-front.jpg': file([0xff, 0xd8, 0xff, 0xe0], 120 * kb),
  'id-back.jpg': file([0xff, 0xd8, 0xff, 0xe0], 120 * kb),
  'bill.pdf': file([0x25, 0x50, 0x44, 0x46, 0x2d], 200 * kb),
  'tiny.png': file([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 2 * kb),
};

class FileServer {
  private server: Server | null = null;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const served = files[(req.url ?? '').replace('/files/', '')];
      if (served) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(name: string): string {
    return `${this.base}/files/${name}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function inYears(years: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() + years, now.getUTCMonth(), now.getUTCDate()))
    .toISOString()
    .slice(0, 10);
}

const daysAgo = (days: number): string => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

let nextDocument = 0;

describe.each(databaseKinds)('KYC adapter against the sandbox on %s database', (kind) => {
  const images = new FileServer();
  let desk: TestDesk;
  let adapter: KycAdapter;
  let baseUrl: string;

  beforeAll(async () => {
    // The images stand in for the desk's file links: the sandbox fetches from their origin only.
    await images.start();
    desk = await startTestDesk(kind, { kycDocumentOrigin: images.base });
    baseUrl = `${desk.url}/sandbox/kyc`;
    adapter = new KycAdapter({ baseUrl: () => baseUrl, apiKey, webhookSecret, timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await desk?.stop();
    await images.close();
  });

  const newApplicant = (email: string, overrides: Partial<NewApplicant> = {}): NewApplicant => ({
    ...applicant('1'),
    email,
    ...overrides,
  });

  /** The customer as the provider holds it (to check what the adapter sent). */
  async function rawCustomer(id: string): Promise<KycCustomer> {
    const res = await fetch(`${baseUrl}/api/v1/customers/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as KycCustomer;
  }

  const statusBecomes = (id: string, status: string): Promise<ProviderSnapshot> =>
    eventually(
      () => adapter.getApplication(id, `poll-${id}`),
      (s) => s.status === status,
    );

  function held(
    type: HeldDocument['type'],
    name: string,
    details: HeldDocument['details'] = {},
    overrides: Partial<HeldDocument> = {},
  ): HeldDocument {
    nextDocument += 1;
    const id = `00000000-0000-4000-8000-${String(nextDocument).padStart(12, '0')}`;
    return {
      id,
      type,
      status: 'UPLOADED',
      providerDocumentId: `desk-file:${id}`,
      contentType: 'image/png',
      fileName: name,
      details,
      url: images.url(name),
      ...overrides,
    };
  }

  const context = (providerApplicationId: string, documents: HeldDocument[] = []): ApplicationContext => ({
    providerApplicationId,
    applicant: { firstName: 'Ada', lastName: 'Tester', email: 'ada@example.com', country: 'USA' },
    documents,
  });

  const passportDetails = (): HeldDocument['details'] => ({
    number: 'P12345678',
    issuingCountry: 'USA',
    expiresOn: inYears(5),
  });

  function answerFile(itemKey: string, name: string): RfiAnswerDelivery['files'][number] {
    return {
      itemKey,
      fileName: name,
      contentType: 'image/png',
      bytes: files[name] ?? Buffer.alloc(0),
      url: images.url(name),
    };
  }

  const governmentIdFields = (): Record<string, string> => ({
    'GOVERNMENT_ID.number': 'X9876543',
    'GOVERNMENT_ID.issuingCountry': 'GBR',
    'GOVERNMENT_ID.expirationDate': inYears(3),
  });

  async function refusal(promise: Promise<unknown>): Promise<ProviderCallError> {
    const error: unknown = await promise.then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ProviderCallError);
    return error as ProviderCallError;
  }

  describe("Creation and the provider's request for a government ID", () => {
    it('When an applicant is created with test-success, then the full KYC data goes without documents, the provider asks for a government ID as an RFI, and an answer with a file URL makes the customer ACTIVE', async () => {
      const created = await adapter.createApplication(newApplicant('test-success@example.com'), 'create-success');
      expect(created).toMatchObject({
        status: 'UNDER_REVIEW',
        providerCustomerId: created.providerApplicationId,
        flags: { idVerification: false, identificationNumberVerification: false, addressVerification: false },
        documents: [],
        requirements: [],
        rfi: null,
      });
      const id = created.providerApplicationId;
      expect(id).toMatch(/^customer_[0-9a-f]{24}$/);

      const sent = await rawCustomer(id);
      expect(sent.kycData).toEqual({
        legalFirstName: 'Ada',
        legalLastName: expect.stringMatching(/^Tester\d{4}$/) as unknown,
        phoneNumber: '+15105551234',
        dateOfBirth: '1980-04-12',
        nationality: 'US',
        address: {
          addressLine1: '2000 Allston Way',
          city: 'Berkeley',
          state: 'California',
          stateCode: 'CA',
          postalCode: '94701',
          country: 'US',
          locale: 'en-US',
        },
        nationalIdType: 'SSN',
        // Sent in full; the provider answers only its last four.
        nationalIdNumber: expect.stringMatching(/^•••••\d{4}$/) as unknown,
        nationalIdIssuingCountry: 'US',
        employmentStatus: 'EMPLOYED',
        mostRecentOccupation: 'Investor',
        sourceOfFunds: 'EMPLOYMENT',
        accountPurpose: 'PERSONAL_USE',
        expectedMonthlyPaymentsUsd: 'UNDER_10K',
        isIntermediary: false,
      });

      const asking = await statusBecomes(id, 'NEEDS_ADDITIONAL_INFORMATION');
      const customer = await rawCustomer(id);
      expect(asking.flags).toEqual({
        idVerification: true,
        identificationNumberVerification: false,
        addressVerification: false,
      });
      expect(asking.requirements).toEqual([
        `Government-issued photo ID: At least one government-issued photo ID is required. Accepted: ${governmentIdTypes}.`,
      ]);
      const rfi = asking.rfi;
      expect(rfi).not.toBeNull();
      if (!rfi) return;
      expect(rfi.providerRfiId).toBe(`${id}:${customer.updatedAt}`);
      expect(rfi.title).toBe('The provider needs 1 item');
      expect(rfi.raisedAt.toISOString()).toBe(customer.updatedAt);
      expect(rfi.dueAt).toBeNull();
      expect(rfi.items[0]).toEqual({
        kind: 'document',
        key: 'GOVERNMENT_ID',
        label: 'Government-issued photo ID',
        section: null,
        reason: 'MISSING',
        note: `At least one government-issued photo ID is required. Accepted: ${governmentIdTypes}`,
        format: null,
      });
      expect(rfi.items[1]).toEqual({
        kind: 'field',
        key: 'GOVERNMENT_ID.number',
        label: 'Government-issued photo ID: document number',
        section: null,
        reason: 'MISSING',
        note: 'The provider takes a government-issued photo ID only with its document number.',
        format: 'document_number',
      });
      expect(rfi.items.slice(1).map((i) => [i.kind, i.key, i.section, i.reason, i.format])).toEqual([
        ['field', 'GOVERNMENT_ID.number', null, 'MISSING', 'document_number'],
        ['field', 'GOVERNMENT_ID.issuingCountry', null, 'MISSING', 'country_code'],
        ['field', 'GOVERNMENT_ID.expirationDate', null, 'MISSING', 'future_date'],
      ]);
      // The id stays while the request stands.
      expect((await adapter.getApplication(id, 'again')).rfi?.providerRfiId).toBe(rfi.providerRfiId);

      const delivery: RfiAnswerDelivery = {
        providerRfiId: rfi.providerRfiId,
        text: 'Passport attached',
        fields: governmentIdFields(),
        files: [answerFile('GOVERNMENT_ID', 'passport.png')],
      };
      const answered = await adapter.answerRfi(context(id), delivery, 'answer-1');
      expect(answered).toMatchObject({ status: 'UNDER_REVIEW', rfi: null, requirements: [] });
      expect((await rawCustomer(id)).kycData.documents).toEqual([
        {
          type: 'PASSPORT',
          number: 'X9876543',
          issuingCountry: 'GB',
          expirationDate: inYears(3),
          frontImageUrl: images.url('passport.png'),
        },
      ]);

      // The same delivery again (a retry after a lost answer) sends nothing and answers the state.
      const repeated = await adapter.answerRfi(context(id), delivery, 'answer-1');
      expect(['UNDER_REVIEW', 'ACTIVE']).toContain(repeated.status);
      const active = await statusBecomes(id, 'ACTIVE');
      expect(active).toMatchObject({
        rfi: null,
        requirements: [],
        flags: { idVerification: false, addressVerification: false },
      });
      expect(await adapter.answerRfi(context(id), delivery, 'answer-1')).toMatchObject({ status: 'ACTIVE' });
      expect((await rawCustomer(id)).kycData.documents).toHaveLength(1);
    });

    it("When the desk's applicant lacks values the provider accepts, then they are left out and the provider's RFI asks for them as field items, answered with text and JSON", async () => {
      const created = await adapter.createApplication(
        newApplicant(`kyc-adapter-fields-${Date.now()}@example.com`, {
          address: { street: '1 Raffles Place', city: 'Singapore', postalCode: '048616', state: null, country: 'SGP' },
          investmentProfile: { income: 'x', netWorth: 'y', occupation: 'Analyst', employmentStatus: 'Sabbatical' },
        }),
        'create-fields',
      );
      const id = created.providerApplicationId;
      const sent = (await rawCustomer(id)).kycData;
      expect(sent).toMatchObject({ nationality: 'SG', nationalIdType: 'NATIONAL_ID', nationalIdIssuingCountry: 'SG' });
      expect(sent).not.toHaveProperty('address');
      expect(sent).not.toHaveProperty('employmentStatus');
      expect(sent).not.toHaveProperty('sourceOfFunds');

      const asking = await statusBecomes(id, 'NEEDS_ADDITIONAL_INFORMATION');
      const rfi = asking.rfi;
      if (!rfi) throw new Error('no RFI');
      expect(rfi.title).toBe('The provider needs 4 items');
      const fieldItems = rfi.items.filter((i) => i.kind === 'field' && !i.key.includes('.'));
      expect(fieldItems.map((i) => i.key)).toEqual(['address', 'employmentStatus', 'sourceOfFunds']);
      expect(fieldItems[0]).toEqual({
        kind: 'field',
        key: 'address',
        label: expect.stringContaining('Residential address') as unknown,
        section: null,
        reason: 'MISSING',
        note: null,
        format: null,
      });
      expect(asking.requirements).toContain('The provider needs the residential address (address).');

      // Values the provider cannot take are refused before anything is sent.
      const base = {
        providerRfiId: rfi.providerRfiId,
        text: null,
        files: [answerFile('GOVERNMENT_ID', 'passport.png')],
      };
      const notJson = await refusal(
        adapter.answerRfi(
          context(id),
          { ...base, fields: { ...governmentIdFields(), address: '1 Raffles Place, Singapore' } },
          'a',
        ),
      );
      expect(notJson.kind).toBe('refused');
      expect(notJson.message).toMatch(/address must be a JSON object/);
      const notBoolean = await refusal(
        adapter.answerRfi(context(id), { ...base, fields: { ...governmentIdFields(), isIntermediary: 'maybe' } }, 'a'),
      );
      expect(notBoolean.message).toMatch(/isIntermediary must be true or false/);
      const unknown = await refusal(
        adapter.answerRfi(context(id), { ...base, fields: { ...governmentIdFields(), favouriteColour: 'blue' } }, 'a'),
      );
      expect(unknown.message).toMatch(/no field favouriteColour/);
      const noDetails = await refusal(adapter.answerRfi(context(id), { ...base, fields: {} }, 'a'));
      expect(noDetails.message).toMatch(
        /GOVERNMENT_ID\.number, GOVERNMENT_ID\.issuingCountry, GOVERNMENT_ID\.expirationDate/,
      );
      const nothing = await refusal(
        adapter.answerRfi(context(id), { ...base, text: 'Hello', files: [], fields: {} }, 'a'),
      );
      expect(nothing.message).toMatch(/carries nothing/);
      // The provider's own validation is surfaced as a refusal.
      const badEnum = await refusal(
        adapter.answerRfi(
          context(id),
          { ...base, fields: { ...governmentIdFields(), employmentStatus: 'ASTRONAUT' } },
          'a',
        ),
      );
      expect(badEnum).toMatchObject({ kind: 'refused', status: 400 });
      expect(badEnum.message).toMatch(/BAD_REQUEST: Validation failed: employmentStatus must be one of/);
      expect((await adapter.getApplication(id, 'still')).status).toBe('NEEDS_ADDITIONAL_INFORMATION');

      const address = {
        addressLine1: '1 Raffles Place',
        city: 'Singapore',
        state: 'Central',
        stateCode: 'CR',
        postalCode: '048616',
        country: 'SGP',
        locale: 'en-SG',
      };
      const answered = await adapter.answerRfi(
        context(id),
        {
          ...base,
          fields: {
            ...governmentIdFields(),
            address: JSON.stringify(address),
            employmentStatus: 'self_employed',
            sourceOfFunds: 'BUSINESS',
          },
        },
        'answer-fields',
      );
      expect(answered.status).toBe('UNDER_REVIEW');
      expect((await rawCustomer(id)).kycData).toMatchObject({
        address: { ...address, country: 'SG' },
        employmentStatus: 'SELF_EMPLOYED',
        sourceOfFunds: 'BUSINESS',
      });
      await statusBecomes(id, 'ACTIVE');
    });
  });

  describe('test-rfi', () => {
    it('When the provider also asks for a proof of address, then both are RFI items, flags are raised, and answering both files makes the customer ACTIVE', async () => {
      const created = await adapter.createApplication(newApplicant('test-rfi@example.com'), 'create-rfi');
      const id = created.providerApplicationId;
      const asking = await statusBecomes(id, 'NEEDS_ADDITIONAL_INFORMATION');
      expect(asking.flags).toEqual({
        idVerification: true,
        identificationNumberVerification: false,
        addressVerification: true,
      });
      const rfi = asking.rfi;
      if (!rfi) throw new Error('no RFI');
      expect(rfi.title).toBe('The provider needs 2 items');
      expect(rfi.items.filter((i) => i.kind === 'document')).toEqual([
        {
          kind: 'document',
          key: 'GOVERNMENT_ID',
          label: 'Government-issued photo ID',
          section: null,
          reason: 'MISSING',
          note: `At least one government-issued photo ID is required. Accepted: ${governmentIdTypes}`,
          format: null,
        },
        {
          kind: 'document',
          key: 'PROOF_OF_ADDRESS',
          label: 'Proof of address',
          section: null,
          reason: 'MISSING',
          note: `A proof of address document is required. Accepted: ${proofOfAddressTypes}`,
          format: null,
        },
      ]);
      expect(rfi.items.map((i) => i.key)).toContain('PROOF_OF_ADDRESS.issueDate');
      expect(asking.requirements).toHaveLength(2);

      const answered = await adapter.answerRfi(
        context(id),
        {
          providerRfiId: rfi.providerRfiId,
          text: null,
          fields: { ...governmentIdFields(), 'PROOF_OF_ADDRESS.issueDate': daysAgo(20) },
          files: [answerFile('GOVERNMENT_ID', 'passport.png'), answerFile('PROOF_OF_ADDRESS', 'bill.pdf')],
        },
        'answer-rfi',
      );
      expect(answered.status).toBe('UNDER_REVIEW');
      expect((await rawCustomer(id)).kycData.documents).toEqual([
        {
          type: 'PASSPORT',
          number: 'X9876543',
          issuingCountry: 'GB',
          expirationDate: inYears(3),
          frontImageUrl: images.url('passport.png'),
        },
        { type: 'UTILITY_BILL', issueDate: daysAgo(20), frontImageUrl: images.url('bill.pdf') },
      ]);
      await statusBecomes(id, 'ACTIVE');
    });
  });

  describe('test-rejected', () => {
    it('When the provider rejects, then the snapshot is REJECTED with its reason as the requirement and no RFI', async () => {
      const created = await adapter.createApplication(newApplicant('test-rejected@example.com'), 'create-rejected');
      const rejected = await statusBecomes(created.providerApplicationId, 'REJECTED');
      expect(rejected).toMatchObject({
        rfi: null,
        documents: [],
        flags: { idVerification: false, identificationNumberVerification: false, addressVerification: false },
        requirements: ['Identity could not be verified (sandbox: test-rejected@example.com).'],
      });
      expect(adapter.resubmitRefusal('REJECTED', [])).toMatch(/government-issued photo ID/);
      expect(adapter.resubmitRefusal('REJECTED', [held('PASSPORT', 'passport.png', passportDetails())])).toBeNull();
    });
  });

  describe('Resubmission with held documents', () => {
    it('When the desk holds a passport and an ID card, then one PATCH sends both (alpha-2 countries, back image) and the customer becomes ACTIVE; a repeat answers the state', async () => {
      const created = await adapter.createApplication(newApplicant('test-success@example.com'), 'create-resubmit');
      const id = created.providerApplicationId;
      const asking = await statusBecomes(id, 'NEEDS_ADDITIONAL_INFORMATION');
      const passport = held('PASSPORT', 'passport.png', passportDetails());
      const documents = [
        held('PASSPORT', 'tiny.png', passportDetails()),
        passport,
        held('ID_FRONT', 'id-front.jpg', { number: 'ID-778899', issuingCountry: 'USA', expiresOn: inYears(2) }),
        held('ID_BACK', 'id-back.jpg'),
        held('ID_BACK', 'bill.pdf', {}, { providerDocumentId: null }),
      ];
      expect(adapter.resubmitRefusal(asking.status, documents)).toBeNull();
      const submitted = await adapter.resubmit(context(id, documents), 'resubmit-1');
      expect(submitted).toMatchObject({ status: 'UNDER_REVIEW', rfi: null });
      expect((await rawCustomer(id)).kycData.documents).toEqual([
        {
          type: 'PASSPORT',
          number: 'P12345678',
          issuingCountry: 'US',
          expirationDate: inYears(5),
          frontImageUrl: images.url('passport.png'),
        },
        {
          type: 'NATIONAL_ID_CARD',
          number: 'ID-778899',
          issuingCountry: 'US',
          expirationDate: inYears(2),
          frontImageUrl: images.url('id-front.jpg'),
          backImageUrl: images.url('id-back.jpg'),
        },
      ]);
      const repeated = await adapter.resubmit(context(id, documents), 'resubmit-1');
      expect(['UNDER_REVIEW', 'ACTIVE']).toContain(repeated.status);
      await statusBecomes(id, 'ACTIVE');
      await expect(adapter.resubmit(context(id, documents), 'resubmit-1')).resolves.toMatchObject({ status: 'ACTIVE' });
    });

    it('When the held ID image is one the provider cannot accept, then its next RFI marks the government ID INVALID with its reason', async () => {
      const created = await adapter.createApplication(newApplicant('test-success@example.com'), 'create-tiny');
      const id = created.providerApplicationId;
      await statusBecomes(id, 'NEEDS_ADDITIONAL_INFORMATION');
      await adapter.resubmit(context(id, [held('PASSPORT', 'tiny.png', passportDetails())]), 'resubmit-tiny');
      const asking = await eventually(
        () => adapter.getApplication(id, 'poll'),
        (s) => s.status === 'NEEDS_ADDITIONAL_INFORMATION',
      );
      const item = asking.rfi?.items.find((i) => i.key === 'GOVERNMENT_ID');
      expect(item).toMatchObject({ kind: 'document', reason: 'INVALID' });
      expect(item?.note).toMatch(
        /^The document image could not be accepted \(documents\[0\]\.frontImageUrl: the file is 2048 bytes; files must be at least 100 KB\)\. Accepted: PASSPORT/,
      );
    });

    it('When the held government IDs lack the details the provider requires or have expired, then resubmission is refused before anything is sent', async () => {
      const created = await adapter.createApplication(newApplicant('test-success@example.com'), 'create-incomplete');
      const id = created.providerApplicationId;
      await statusBecomes(id, 'NEEDS_ADDITIONAL_INFORMATION');
      const incomplete = await refusal(
        adapter.resubmit(context(id, [held('PASSPORT', 'passport.png', { number: 'P1' })]), 'r'),
      );
      expect(incomplete.kind).toBe('refused');
      expect(incomplete.message).toBe(
        'No government ID can be sent: The passport has no issuing country, expiry date; the provider requires them',
      );
      const expired = await refusal(
        adapter.resubmit(
          context(id, [
            held('ID_FRONT', 'id-front.jpg', { number: 'ID1', issuingCountry: 'USA', expiresOn: daysAgo(1) }),
          ]),
          'r',
        ),
      );
      expect(expired.message).toBe(`No government ID can be sent: The ID card expired on ${daysAgo(1)}`);
      const none = await refusal(adapter.resubmit(context(id, [held('ID_BACK', 'id-back.jpg')]), 'r'));
      expect(none.message).toMatch(/holds no passport or ID card front/);
      expect((await adapter.getApplication(id, 'still')).status).toBe('NEEDS_ADDITIONAL_INFORMATION');
    });
  });

  describe('Retries', () => {
    let proxy: PatchTroubleProxy;
    let viaProxy: KycAdapter;

    beforeAll(async () => {
      proxy = new PatchTroubleProxy(() => baseUrl);
      await proxy.start();
      viaProxy = new KycAdapter({ baseUrl: () => proxy.base, apiKey, webhookSecret, timeoutMs: 5_000 });
    });

    afterAll(async () => {
      await proxy?.close();
    });

    it("When the answer to a creation's PATCH is lost, then the retry with the desk's record of the customer reuses it instead of creating a second one", async () => {
      proxy.seen.length = 0;
      proxy.mode = 'lose-patch-answer';
      const person = newApplicant('test-success@example.com');
      // The desk's record of the creation (its intake row, in the desk): written as soon as the POST answers.
      const creation = {
        providerApplicationId: null as string | null,
        record: async (id: string) => {
          creation.providerApplicationId = id;
        },
      };
      const lost = await refusal(viaProxy.createApplication(person, 'create-lost', creation));
      expect(lost.kind).toBe('unavailable');
      expect(creation.providerApplicationId).not.toBeNull();
      const retried = await viaProxy.createApplication(person, 'create-lost', creation);
      expect(['UNDER_REVIEW', 'NEEDS_ADDITIONAL_INFORMATION']).toContain(retried.status);
      expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(proxy.seen.filter((r) => r.method === 'PATCH')).toEqual([{ method: 'PATCH', status: 200 }]);
      expect((await rawCustomer(retried.providerApplicationId)).kycData).toMatchObject({
        legalLastName: person.lastName,
      });
    });

    it("When an earlier attempt of a resubmission landed, then the provider's PATCH_NOT_ALLOWED is read as success and the state returned", async () => {
      const created = await adapter.createApplication(newApplicant('test-success@example.com'), 'create-double');
      const id = created.providerApplicationId;
      await statusBecomes(id, 'NEEDS_ADDITIONAL_INFORMATION');
      proxy.seen.length = 0;
      proxy.mode = 'double-patch';
      const submitted = await viaProxy.resubmit(
        context(id, [held('PASSPORT', 'passport.png', passportDetails())]),
        'resubmit-double',
      );
      expect(['UNDER_REVIEW', 'ACTIVE']).toContain(submitted.status);
      expect(proxy.seen.filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([200, 400]);
      await statusBecomes(id, 'ACTIVE');
    });
  });

  describe('Rules and refusals', () => {
    it('When the desk asks whether it may resubmit, then only CREATED, NEEDS_ADDITIONAL_INFORMATION and REJECTED with a held government ID say yes', () => {
      const passport = held('PASSPORT', 'passport.png', passportDetails());
      expect(adapter.resubmitRefusal('CREATED', [held('ID_FRONT', 'id-front.jpg')])).toBeNull();
      expect(adapter.resubmitRefusal('NEEDS_ADDITIONAL_INFORMATION', [passport])).toBeNull();
      expect(adapter.resubmitRefusal('UNDER_REVIEW', [passport])).toBe(
        'The provider is reviewing the KYC data; it takes changes again once it has decided.',
      );
      expect(adapter.resubmitRefusal('ACTIVE', [passport])).toBe(
        'The customer is verified (ACTIVE); there is nothing to submit.',
      );
      const noId =
        'Upload a passport or the front of an ID card first: the provider needs a government-issued photo ID.';
      expect(adapter.resubmitRefusal('NEEDS_ADDITIONAL_INFORMATION', [])).toBe(noId);
      expect(adapter.resubmitRefusal('NEEDS_ADDITIONAL_INFORMATION', [{ ...passport, providerDocumentId: null }])).toBe(
        noId,
      );
      expect(adapter.resubmitRefusal('NEEDS_ADDITIONAL_INFORMATION', [{ ...passport, status: 'REJECTED' }])).toBe(noId);
      expect(adapter.resubmitRefusal('NEEDS_ADDITIONAL_INFORMATION', [held('ID_BACK', 'id-back.jpg')])).toBe(noId);
      expect(adapter.resubmitRefusal('APPROVED', [passport])).toBe(
        'APPROVED is not a status of the generic KYC provider',
      );
    });

    it('When the desk reads the document rules, then IDs and proofs of address are taken as JPG, PNG or PDF of 100 KB to 10 MB with their details; sending a document sends nothing', async () => {
      expect(adapter.resubmitLabel).toBe('Submit KYC data');
      expect(adapter.documentRules('PASSPORT')).toEqual({
        accepted: true,
        contentTypes: ['image/jpeg', 'image/png', 'application/pdf'],
        minBytes: 102_400,
        maxBytes: 10_485_760,
        requiredDetails: ['number', 'issuingCountry', 'expiresOn'],
      });
      expect(adapter.documentRules('ID_FRONT').requiredDetails).toEqual(['number', 'issuingCountry', 'expiresOn']);
      expect(adapter.documentRules('ID_BACK')).toMatchObject({ accepted: true, requiredDetails: [] });
      expect(adapter.documentRules('ADDRESS_VERIFICATION')).toMatchObject({
        accepted: true,
        requiredDetails: ['issueDate'],
      });
      for (const type of ['SELFIE', 'OTHER', 'IDENTIFICATION_NUMBER_VERIFICATION'] as const) {
        expect(adapter.documentRules(type).accepted).toBe(false);
      }
      const passport = held('PASSPORT', 'passport.png', passportDetails(), { providerDocumentId: null });
      await expect(adapter.sendDocument(context('customer_x'), passport, Buffer.alloc(0), 'k')).resolves.toEqual({
        providerDocumentId: `desk-file:${passport.id}`,
      });
      const selfie = await refusal(
        adapter.sendDocument(context('customer_x'), held('SELFIE', 'passport.png'), Buffer.alloc(0), 'k'),
      );
      expect(selfie.kind).toBe('refused');
      await expect(adapter.listAgreements('k')).resolves.toEqual([]);
    });

    it('When the API key is wrong, the customer unknown or the provider unreachable, then calls fail refused or unavailable', async () => {
      const wrongKey = new KycAdapter({ baseUrl: () => baseUrl, apiKey: 'not-the-key', webhookSecret });
      const unauthorised = await refusal(
        wrongKey.createApplication(newApplicant('test-success@example.com'), 'bad-key'),
      );
      expect(unauthorised).toMatchObject({ kind: 'refused', status: 401 });
      expect(unauthorised.message).toMatch(/UNAUTHORIZED: Invalid or expired API key/);
      expect(await refusal(wrongKey.getApplication('customer_000000000000000000000000', 'k'))).toMatchObject({
        kind: 'refused',
        status: 401,
      });
      expect(await refusal(adapter.getApplication('customer_000000000000000000000000', 'k'))).toMatchObject({
        kind: 'refused',
        status: 404,
      });
      const down = new KycAdapter({ baseUrl: () => 'http://127.0.0.1:1', apiKey, webhookSecret, timeoutMs: 2_000 });
      expect(await refusal(down.getApplication('customer_x', 'k'))).toMatchObject({ kind: 'unavailable' });
    });

    it('When countries are converted, then every assigned alpha-3 code maps to a distinct alpha-2 code the provider accepts', () => {
      // ISO 3166-1 assigns 249 codes.
      expect(kycCountryCodes).toHaveLength(249);
      expect(new Set(kycCountryCodes.map(([, alpha2]) => alpha2)).size).toBe(249);
      for (const [alpha3, alpha2] of kycCountryCodes) {
        expect(alpha3).toMatch(/^[A-Z]{3}$/);
        expect(isAlpha2(alpha2)).toBe(true);
      }
      expect([
        toAlpha2('USA'),
        toAlpha2('gbr'),
        toAlpha2('DE'),
        toAlpha2('REU'),
        toAlpha2('XKX'),
        toAlpha2('UK'),
      ]).toEqual(['US', 'GB', 'DE', 'RE', null, null]);
    });
  });

  describe('Webhooks', () => {
    const body = (id: string) =>
      JSON.stringify({
        id,
        type: 'customer.state_changed',
        createdAt: new Date().toISOString(),
        payload: { customerId: 'customer_0123456789abcdef01234567', oldStatus: 'UNDER_REVIEW', newStatus: 'ACTIVE' },
      });
    const signed = (
      raw: string,
      timestamp: number,
      id = (JSON.parse(raw) as { id: string }).id,
      secret = webhookSecret,
    ) => ({
      'x-webhook-id': id,
      'x-webhook-timestamp': String(timestamp),
      'x-webhook-signature': signKycWebhook(secret, String(timestamp), raw),
    });

    it("When an event is signed by the provider's signer within the window, then it is accepted and parsed", () => {
      const now = new Date();
      const raw = body('5f1c7a1e-0000-4000-8000-000000000001');
      const result = adapter.verifyWebhook(signed(raw, Math.floor(now.getTime() / 1000) - 120), Buffer.from(raw), now);
      expect(result).toEqual({
        ok: true,
        event: {
          eventId: '5f1c7a1e-0000-4000-8000-000000000001',
          type: 'customer.state_changed',
          providerApplicationId: 'customer_0123456789abcdef01234567',
          payload: JSON.parse(raw) as unknown,
        },
      });
    });

    it('When an event is forged, stale, altered, unsigned or not an event, then it is refused with a reason', () => {
      const now = new Date();
      const ts = Math.floor(now.getTime() / 1000);
      const raw = body('5f1c7a1e-0000-4000-8000-000000000002');
      const verify = (headers: Record<string, string | string[] | undefined>, bytes = raw) =>
        adapter.verifyWebhook(headers, Buffer.from(bytes), now);
      expect(verify(signed(raw, ts, undefined, 'another-secret'))).toEqual({
        ok: false,
        reason: 'signature does not match',
      });
      expect(verify(signed(raw, ts - 301))).toEqual({ ok: false, reason: 'timestamp outside the accepted window' });
      expect(verify(signed(raw, ts + 301))).toEqual({ ok: false, reason: 'timestamp outside the accepted window' });
      expect(verify(signed(raw, ts), raw.replace('ACTIVE', 'REJECTED'))).toEqual({
        ok: false,
        reason: 'signature does not match',
      });
      const { 'x-webhook-signature': _signature, ...unsigned } = signed(raw, ts);
      expect(verify(unsigned)).toMatchObject({ ok: false, reason: expect.stringMatching(/^missing/) as unknown });
      expect(verify({})).toMatchObject({ ok: false });
      expect(verify({ ...signed(raw, ts), 'x-webhook-timestamp': 'yesterday' })).toEqual({
        ok: false,
        reason: 'malformed x-webhook-timestamp',
      });
      expect(verify(signed(raw, ts, 'another-event-id'))).toEqual({
        ok: false,
        reason: 'x-webhook-id does not match the event id',
      });
      const notEvent = JSON.stringify({ hello: 'world' });
      expect(verify(signed(notEvent, ts, 'x'), notEvent)).toMatchObject({
        ok: false,
        reason: 'body is not a KYC provider event',
        rejected: { reason: 'not_an_event' },
      });
      const tolerant = new KycAdapter({ baseUrl: () => baseUrl, apiKey, webhookSecret, webhookToleranceSeconds: 600 });
      expect(tolerant.verifyWebhook(signed(raw, ts - 500), Buffer.from(raw), now).ok).toBe(true);
      // A header given twice counts once, by its first value.
      const headers = signed(raw, ts);
      expect(verify({ ...headers, 'x-webhook-signature': [headers['x-webhook-signature'], 'other'] }).ok).toBe(true);
    });
  });
});
