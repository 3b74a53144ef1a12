/**
 * Support lookup: one search finds a customer by name (prefix and misspelt), email (exact and
 * prefix), phone (as typed), last four of the identification number (through its keyed hash),
 * application id and provider ids; the customer page shows every application.
 */

import type { NewApplicant } from '@desk/server';
import type { CustomerDetail, CustomerSearchResult, ErrorBody } from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

type Known = {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  applicationId: string;
  providerApplicationId: string;
  last4: string;
  /** The digits before the last four: never shown. */
  firstFive: string;
};

describe.each(databaseKinds)('customer lookup on %s database', (kind) => {
  let desk: TestDesk;
  let known: Known;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount: 150 });
    const row = await desk.db
      .selectFrom('customers as c')
      .innerJoin('applications as a', 'a.customer_id', 'c.id')
      .select([
        'c.id',
        'c.first_name',
        'c.last_name',
        'c.email',
        'c.phone',
        'c.identification_number_sealed',
        'c.identification_number_key_id',
        'a.id as applicationId',
        'a.provider_application_id as providerApplicationId',
      ])
      .where('a.provider', '=', 'jiko')
      .orderBy('c.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const clear = desk.pii.open({
      sealed: row.identification_number_sealed ?? '',
      keyId: row.identification_number_key_id ?? '',
    });
    known = { ...row, last4: clear.slice(-4), firstFive: clear.replace(/\D/g, '').slice(0, 5) };
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const search = (q: string, as = desk.as('support')) =>
    as.get<CustomerSearchResult & ErrorBody>(`/api/customers?q=${encodeURIComponent(q)}`);
  const top = async (q: string) => (await search(q)).body.data[0];
  /** A customer come in through intake (Jiko), with a name the demo data never uses. */
  const intake = async (firstName: string, lastName: string, overrides: Partial<NewApplicant> = {}) => {
    const created = await desk.post<{ id: string }>(
      '/api/applications',
      intakeRequest('jiko', applicant('5', { firstName, lastName, ...overrides })),
    );
    expect(created.status).toBe(201);
    return (
      await desk.db
        .selectFrom('applications')
        .select('customer_id')
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow()
    ).customer_id;
  };
  const ids = async (q: string) => (await search(q)).body.data.map((h) => h.id);

  it('When searching by exact keys, then the customer comes first, matched on that key', async () => {
    expect(await top(known.applicationId)).toMatchObject({ id: known.id, matchedOn: 'application_id' });
    expect(await top(known.id)).toMatchObject({ id: known.id, matchedOn: 'customer_id' });
    expect(await top(known.providerApplicationId)).toMatchObject({ id: known.id });
    expect(await top(known.email.toUpperCase())).toMatchObject({ id: known.id, matchedOn: 'email' });
    const hit = await top(known.email);
    expect(hit?.applications.map((a) => a.id)).toContain(known.applicationId);
  });

  it('When searching by phone as people type it, then the customer is found', async () => {
    const digits = known.phone.replace(/\D/g, ''); // 1AAA555NNNN
    const national = digits.slice(1);
    for (const typed of [
      known.phone,
      `+1 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`,
      national,
      `${national.slice(0, 3)}.${national.slice(3, 6)}.${national.slice(6)}`,
    ]) {
      expect(await ids(typed), typed).toContain(known.id);
    }
  });

  it('When searching by the last four of the identification number, then the match goes through the keyed hash', async () => {
    const result = await search(known.last4);
    const hit = result.body.data.find((h) => h.id === known.id);
    expect(hit?.matchedOn).toBe('last4');
    // Every last-four hit really has those last four.
    for (const h of result.body.data.filter((d) => d.matchedOn === 'last4')) {
      const row = await desk.db
        .selectFrom('customers')
        .select(['identification_number_sealed', 'identification_number_key_id'])
        .where('id', '=', h.id)
        .executeTakeFirstOrThrow();
      expect(
        desk.pii
          .open({ sealed: row.identification_number_sealed ?? '', keyId: row.identification_number_key_id ?? '' })
          .slice(-4),
      ).toBe(known.last4);
    }
    expect(JSON.stringify(result.body)).not.toMatch(/identification/i);
  });

  it('When searching by name, prefix or misspelt, then the customer is found and ranked sensibly', async () => {
    const full = `${known.first_name} ${known.last_name}`;
    expect(await ids(full)).toContain(known.id);
    expect(await ids(full.slice(0, full.length - 2))).toContain(known.id);
    expect(await ids(known.last_name)).toContain(known.id);
    // Two letters swapped and one dropped in the last name.
    const last = known.last_name;
    const misspelt = `${known.first_name} ${last.length > 4 ? `${last.slice(0, 1)}${last.slice(2, 3)}${last.slice(1, 2)}${last.slice(4)}` : `${last}x`}`;
    const fuzzy = await search(misspelt);
    expect(
      fuzzy.body.data.map((h) => h.id),
      misspelt,
    ).toContain(known.id);
  });

  it('When a name has near namesakes, then exact name prefixes rank above the misspelt ones', async () => {
    // Names the demo data never uses: the two exact ones and three near ones are all there is.
    const exact = [await intake('Ottoline', 'Quarrington'), await intake('Ottoline', 'Quarringtonne')];
    const near = [
      await intake('Ottoline', 'Quarringdon'),
      await intake('Ottilie', 'Quarrington'),
      await intake('Otteline', 'Quarington'),
    ];

    const hits = (await search('Ottoline Quarrington')).body.data;
    const rankOf = (id: string) => hits.findIndex((h) => h.id === id);
    for (const id of exact) expect(hits[rankOf(id)]?.matchedOn).toBe('name_prefix');
    for (const id of near) expect(hits[rankOf(id)]?.matchedOn).toBe('name_fuzzy');
    expect(Math.max(...exact.map(rankOf))).toBeLessThan(Math.min(...near.map(rankOf)));
    // Across the whole answer: once the fuzzy hits begin, no prefix hit follows.
    const ranks = hits.map((h) => h.matchedOn);
    expect(ranks.slice(ranks.indexOf('name_fuzzy'))).not.toContain('name_prefix');
  });

  it('When a customer with a name never seen before comes in, then misspellings of it find them, either way round', async () => {
    const person = applicant('5', { firstName: 'Wilhelmina', lastName: 'Featherstonehaugh' });
    const created = await desk.post<{ id: string }>('/api/applications', intakeRequest('jiko', person));
    expect(created.status).toBe(201);
    const customerId = (
      await desk.db
        .selectFrom('applications')
        .select('customer_id')
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow()
    ).customer_id;
    for (const typed of [
      'Wilhelmnia Featherstonhaugh',
      'featherstonehaug wilhelmina',
      'Featherstonhaugh',
      'Wilhemina',
    ]) {
      const hit = (await search(typed)).body.data.find((h) => h.id === customerId);
      expect(hit, typed).toMatchObject({ matchedOn: 'name_fuzzy' });
      expect(hit?.score, typed).toBeGreaterThanOrEqual(0.3);
    }
    // Nothing near that name: no fuzzy hit for it.
    expect(await ids('Zbigniew Quackenbush')).not.toContain(customerId);
  });

  it('When several customers match, then the exact name comes before a longer name, that before a similar one, and the latest application breaks ties', async () => {
    const older = await intake('Peregrine', 'Thistlewood', { dateOfBirth: '1971-05-03' });
    const newer = await intake('Peregrine', 'Thistlewood', { dateOfBirth: '1984-11-20' });
    const longer = await intake('Peregrine', 'Thistlewoodson');
    const similar = await intake('Peregrin', 'Thistlewood');

    const result = await search('Peregrine Thistlewood');
    expect(result.status).toBe(200);
    const order = result.body.data.map((h) => h.id).filter((id) => [older, newer, longer, similar].includes(id));
    expect(order).toEqual([newer, older, longer, similar]);
    expect(result.body.data.slice(0, 3).map((h) => [h.matchedOn, h.score])).toEqual([
      ['name_prefix', 1],
      ['name_prefix', 1],
      ['name_prefix', expect.any(Number)],
    ]);
    expect(result.body.data[2]?.score).toBeLessThan(1);
    expect(result.body.data.find((h) => h.id === similar)?.matchedOn).toBe('name_fuzzy');
    // Two customers bear that very name: the answer says so, and what would tell them apart.
    expect(result.body.ambiguous).toMatchObject({ matches: 2, orMore: false, add: ['date_of_birth', 'last4'] });
    expect(result.body.ambiguous?.hint).toMatch(/^2 customers match this equally well: add the date of birth/);

    // A birth year or a date of birth typed with the name (or its start, or a misspelling) singles one out.
    for (const typed of [
      'Peregrine Thistlewood 1971',
      '1971-05-03 peregrine thistlewood',
      'Peregrine Thistlew 5/3/1971',
      'Peregrine Thistelwood 1971',
    ]) {
      const narrowed = await search(typed);
      expect(narrowed.status, typed).toBe(200);
      expect(
        narrowed.body.data.map((h) => h.id),
        typed,
      ).toEqual([older]);
      expect(narrowed.body.ambiguous, typed).toBeNull();
    }
    expect((await search('Peregrine Thistlewood 1990')).body.data).toEqual([]);
  });

  it('When the last four come with a name, then they single the customer out', async () => {
    const number = (last4: string) => `5${String(Date.now()).slice(-4)}${last4}`;
    const id = await intake('Marigold', 'Featherby', { identificationNumber: number('6789') });
    const other = await intake('Marigold', 'Featherby', { identificationNumber: number('1234') });
    for (const typed of [
      'Featherby 6789',
      '6789 marigold featherby',
      'Marigold Feath 6789',
      'Marigold Featherbey 6789',
    ]) {
      const result = await search(typed);
      expect(result.status, typed).toBe(200);
      expect(
        result.body.data.map((h) => h.id),
        typed,
      ).toEqual([id]);
      expect(result.body.ambiguous, typed).toBeNull();
    }
    expect(await ids('Featherby 1234')).toEqual([other]);
  });

  it('When the term cannot single anyone out, then the answer says so and what to add', async () => {
    // The last four alone, however many customers bear them.
    const lastFour = await search(known.last4);
    expect(lastFour.body.data.map((h) => h.id)).toContain(known.id);
    expect(lastFour.body.ambiguous).toMatchObject({ add: ['name'], orMore: false });
    expect(lastFour.body.ambiguous?.matches).toBe(lastFour.body.data.filter((h) => h.matchedOn === 'last4').length);
    expect(lastFour.body.ambiguous?.hint).toMatch(/last four alone cannot single out a customer .*add the name/);

    // A first name several customers share (in their emails too, as the demo data has them).
    const common = await desk.db
      .selectFrom('customers')
      .select((eb) => ['first_name', eb.fn.countAll<string>().as('n')])
      .where(sql<string>`lower(email)`, 'like', sql<string>`lower(first_name) || '.%'`)
      .groupBy('first_name')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    expect(Number(common.n)).toBeGreaterThan(1);
    const firstName = await search(common.first_name);
    expect(firstName.body.ambiguous?.matches).toBeGreaterThanOrEqual(Number(common.n));
    expect(firstName.body.ambiguous?.add).toEqual(['date_of_birth', 'last4']);

    // The start of an email several share: more of it helps too.
    const emailStart = await search(`${common.first_name.toLowerCase()}.`);
    expect(emailStart.body.data[0]?.matchedOn).toBe('email_prefix');
    expect(emailStart.body.ambiguous?.matches).toBeGreaterThanOrEqual(Number(common.n));
    expect(emailStart.body.ambiguous?.add).toEqual(['email', 'date_of_birth', 'last4']);
    expect(emailStart.body.ambiguous?.hint).toMatch(/could be meant: add more of the email/);

    // A whole local part that starts another's too ("quill.pen", "quill.pen7").
    const pens = [
      await intake('Quentin', 'Quillpen', { email: 'quill.pen@example.com' }),
      await intake('Quincy', 'Quillpen', { email: 'quill.pen7@example.com' }),
    ];
    const localPart = await search('quill.pen');
    expect(localPart.body.data.map((h) => h.id)).toEqual(pens);
    expect(localPart.body.ambiguous).toMatchObject({ matches: 2, add: ['email', 'date_of_birth', 'last4'] });

    // One customer, found by a key only they have: nothing to say.
    expect((await search(known.email)).body.ambiguous).toBeNull();
    expect((await search(known.applicationId)).body.ambiguous).toBeNull();
  });

  it('When a term mixes words, dates and digits oddly, then it is answered or refused, never a server error', async () => {
    for (const q of [
      'smith 1987 1987 1987',
      'smith 1987-02-30',
      'smith 13/45/1987',
      'smith 0000',
      'smith 1899 2999',
      '% 1987',
      '_ 1234',
      "o'brien 1987-03-14 2001",
      'a 1987',
      '1987-03-14',
      '1234 5678',
      `${'x '.repeat(60)}1987`,
      `${'1987 '.repeat(39)}a`,
      'james.smith1 1987',
      'smith@ 1987',
      '\\ 1987',
      'smith 1987\u0000',
    ]) {
      const res = await search(q);
      expect([200, 400], q).toContain(res.status);
      if (res.status === 200) expect(Array.isArray(res.body.data), q).toBe(true);
    }
  });

  it('When searching by the start of an email, then the customer is found', async () => {
    const local = known.email.split('@')[0] ?? '';
    expect(await ids(local.slice(0, Math.max(4, local.length - 2)))).toContain(known.id);
  });

  it('When the term is short, empty or the limit is wrong, then the answers are bounded and clear', async () => {
    expect((await search('ab')).body.data).toEqual([]);
    const empty = await desk.as('support').get<ErrorBody>('/api/customers?q=');
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.errors ?? {})).toEqual(['q']);
    const limited = await desk.as('support').get<CustomerSearchResult>('/api/customers?q=a%20b%20c&limit=3');
    expect(limited.body.data.length).toBeLessThanOrEqual(3);
    expect((await desk.as('support').get<ErrorBody>('/api/customers?q=x&limit=500')).status).toBe(400);
    expect((await desk.anonymous.get('/api/customers?q=smith')).status).toBe(401);
  });

  it('When support or an analyst opens the customer page, then the number shows its last four and nothing more', async () => {
    for (const role of ['support', 'analyst', 'auditor'] as const) {
      const res = await desk.as(role).get<CustomerDetail>(`/api/customers/${known.id}`);
      expect(res.status, role).toBe(200);
      expect(res.body.identificationNumberMasked, role).toBe(`•••-••-${known.last4}`);
      // The rest of the number appears nowhere in the answer.
      expect(JSON.stringify(res.body)).not.toContain(known.firstFive);
    }
  });

  it('When the customer record was written after their first application (seeding, imports), then "customer since" is that application\'s date', async () => {
    const row = await desk.db
      .selectFrom('customers as c')
      .innerJoin('applications as a', 'a.customer_id', 'c.id')
      .select((eb) => ['c.id', 'c.created_at', eb.fn.min('a.created_at').as('first_application')])
      .groupBy(['c.id', 'c.created_at'])
      .having((eb) => eb(eb.fn.min('a.created_at'), '<', eb.ref('c.created_at')))
      .executeTakeFirstOrThrow();
    const res = await desk.as('support').get<CustomerDetail>(`/api/customers/${row.id}`);
    expect(res.status).toBe(200);
    expect(res.body.customerSince).toBe(new Date(row.first_application).toISOString());
    expect(res.body.customerSince).toBe(res.body.applications.map((a) => a.createdAt).sort()[0]);
    expect(Date.parse(res.body.customerSince)).toBeLessThan(Date.parse(res.body.createdAt));
  });

  it('When the customer page is opened, then it shows the profile masked, every application, RFIs and recent changes', async () => {
    const res = await desk.as('support').get<CustomerDetail>(`/api/customers/${known.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: known.id, email: known.email });
    expect(res.body.applications.map((a) => a.id)).toContain(known.applicationId);
    const app = res.body.applications.find((a) => a.id === known.applicationId);
    expect(app?.provider).toBe('jiko');
    if (app?.stage === 'approved') expect(['OPEN', 'CLOSED', 'FROZEN', 'PENDING']).toContain(app.accountStatus);
    else expect(app?.accountStatus).toBeNull();
    expect(res.body.recentStatusChanges.length).toBeGreaterThan(0);
    expect(res.body.recentStatusChanges.every((c) => c.applicationId === known.applicationId)).toBe(true);
    expect((await desk.as('support').get('/api/customers/00000000-0000-4000-8000-000000000001')).status).toBe(404);
    expect((await desk.as('support').get('/api/customers/nope')).status).toBe(400);
  });
});
