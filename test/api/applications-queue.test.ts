import {
  type ApplicationList,
  type ApplicationSort,
  type ApplicationStats,
  type ApplicationSummary,
  applicationSorts,
  type CustomerSearchResult,
  defaultQueueView,
  type ErrorBody,
  isOpenCase,
  openCaseStages,
  type SortOrder,
  type Stage,
  sortOrders,
  stages,
} from '@desk/shared';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicant, intakeRequest } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';

const demoCount = 400;

/** Walks every page of a query and returns all rows in the order served. */
async function readAllPages(desk: TestDesk, query: string, limit = 37): Promise<ApplicationSummary[]> {
  const rows: ApplicationSummary[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const sep = query ? '&' : '';
    const res: { status: number; body: ApplicationList } = await desk.get<ApplicationList>(
      `/api/applications?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status).toBe(200);
    rows.push(...res.body.data);
    cursor = res.body.nextCursor;
    if (!cursor) return rows;
  }
  throw new Error('paging did not end');
}

async function countAll(desk: TestDesk): Promise<number> {
  const row = await desk.db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The ids of every case in a sort's order, read from the database: applicant = last name, first
 * name (case-insensitive), customer; provider and stage (lifecycle order) then creation; the id last.
 */
async function expectedOrder(
  desk: TestDesk,
  sort: ApplicationSort,
  order: SortOrder,
  onlyStages?: readonly Stage[],
): Promise<string[]> {
  const stageRank = sql<number>`array_position(${sql.val([...stages])}::text[], a.stage)`;
  const keys = {
    createdAt: [sql`a.created_at`],
    updatedAt: [sql`a.updated_at`],
    provider: [sql`a.provider`, sql`a.created_at`],
    stage: [stageRank, sql`a.created_at`],
    applicant: [sql`lower(c.last_name)`, sql`lower(c.first_name)`, sql`c.id`],
  }[sort];
  let query = desk.db
    .selectFrom('applications as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select('a.id');
  if (onlyStages) query = query.where('a.stage', 'in', onlyStages);
  for (const key of [...keys, sql`a.id`]) query = query.orderBy(key, order);
  return (await query.execute()).map((row) => row.id);
}

describe.each(databaseKinds)('review queue on %s database', (kind) => {
  let desk: TestDesk;
  beforeAll(async () => {
    desk = await startTestDesk(kind, { demoCount });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  it('When no filter is given, then every application is served once, oldest first, across keyset pages', async () => {
    const rows = await readAllPages(desk, '');
    const total = await countAll(desk);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.id)).size).toBe(total);
    const expected = await desk.db
      .selectFrom('applications')
      .select('id')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('When sorted by updatedAt descending, then pages follow that order and end with a null cursor', async () => {
    const rows = await readAllPages(desk, 'sort=updatedAt&order=desc', 50);
    const expected = await desk.db
      .selectFrom('applications')
      .select('id')
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('When filtering by stage, provider status and a flag, then only matching rows come back, all of them', async () => {
    const rows = await readAllPages(
      desk,
      'stage=needs_documents&providerStatus=DOCUMENTS_NEEDED&flag=addressVerification',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.stage).toBe('needs_documents');
      expect(row.providerStatus).toBe('DOCUMENTS_NEEDED');
      expect(row.flags.addressVerification).toBe(true);
    }
    const count = await desk.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stage', '=', 'needs_documents')
      .where('flag_address_verification', '=', true)
      .executeTakeFirstOrThrow();
    expect(rows).toHaveLength(count.n);
  });

  it('When two flags are given, then both must be raised', async () => {
    const rows = await readAllPages(desk, 'flag=idVerification&flag=identificationNumberVerification');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.flags.idVerification && row.flags.identificationNumberVerification).toBe(true);
  });

  it('When several stages are given, then rows of any of them come back', async () => {
    const rows = await readAllPages(desk, 'stage=approved&stage=rejected');
    expect(new Set(rows.map((r) => r.stage))).toEqual(new Set(['approved', 'rejected']));
  });

  it('When filtering by assignee, then "none" gives unassigned cases and an id gives that person\'s', async () => {
    const unassigned = await readAllPages(desk, 'assignee=none');
    expect(unassigned.length).toBeGreaterThan(0);
    expect(unassigned.every((r) => r.assignee === null)).toBe(true);
    const someone = await desk.db
      .selectFrom('applications')
      .select('assignee_id')
      .where('assignee_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const theirs = await readAllPages(desk, `assignee=${someone.assignee_id}`);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((r) => r.assignee?.id === someone.assignee_id)).toBe(true);
    expect(unassigned.length + (await readAllPages(desk, 'provider=jiko')).filter((r) => r.assignee).length).toBe(
      await countAll(desk),
    );
  });

  it('When filtering by creation window, then only rows created inside it come back', async () => {
    const from = '2026-10-01T00:00:00Z';
    const to = '2026-10-15';
    const rows = await readAllPages(desk, `createdFrom=${from}&createdTo=${to}`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(new Date(row.createdAt).getTime()).toBeGreaterThanOrEqual(Date.parse(from));
      expect(new Date(row.createdAt).getTime()).toBeLessThan(Date.parse('2026-10-15T00:00:00Z'));
    }
  });

  it('When searching by text, then a name prefix, an email, an application id and a provider id each find the case', async () => {
    const target = await desk.db
      .selectFrom('applications as a')
      .innerJoin('customers as c', 'c.id', 'a.customer_id')
      .select(['a.id', 'a.customer_id', 'a.provider_application_id', 'c.first_name', 'c.last_name', 'c.email'])
      .executeTakeFirstOrThrow();
    const byName = await readAllPages(desk, `q=${encodeURIComponent(target.last_name.slice(0, 4).toUpperCase())}`);
    expect(byName.map((r) => r.id)).toContain(target.id);
    const byFullName = await readAllPages(desk, `q=${encodeURIComponent(`${target.first_name} ${target.last_name}`)}`);
    expect(byFullName.map((r) => r.id)).toContain(target.id);
    const byEmail = await readAllPages(desk, `q=${encodeURIComponent(target.email)}`);
    expect(new Set(byEmail.map((r) => r.applicant.customerId))).toEqual(new Set([target.customer_id]));
    expect(byEmail.map((r) => r.id)).toContain(target.id);
    const byId = await readAllPages(desk, `q=${target.id}`);
    expect(byId.map((r) => r.id)).toEqual([target.id]);
    const byProviderId = await readAllPages(desk, `q=${target.provider_application_id}`);
    expect(byProviderId.map((r) => r.id)).toEqual([target.id]);
    const nobody = await readAllPages(desk, 'q=zzzz%25');
    expect(nobody).toEqual([]);
  });

  it('When the queue is searched with a misspelt name, then it finds the cases of every customer the customer lookup finds', async () => {
    const person = applicant('6', { firstName: 'Perpetua', lastName: 'Winterbottom' });
    const created = await desk.post<{ id: string }>('/api/applications', intakeRequest('fin', person));
    expect(created.status).toBe(201);
    const misspelt = 'Perpetau Wintrebottom';
    const lookup = await desk
      .as('support')
      .get<CustomerSearchResult>(`/api/customers?q=${encodeURIComponent(misspelt)}&limit=50`);
    expect(lookup.status).toBe(200);
    const found = lookup.body.data.map((hit) => hit.id);
    const customerId = (
      await desk.db
        .selectFrom('applications')
        .select('customer_id')
        .where('id', '=', created.body.id)
        .executeTakeFirstOrThrow()
    ).customer_id;
    expect(found).toContain(customerId);
    const rows = await readAllPages(desk, `q=${encodeURIComponent(misspelt)}`);
    expect(rows.map((r) => r.id)).toContain(created.body.id);
    // The same customers, and every case of each.
    expect(new Set(rows.map((r) => r.applicant.customerId))).toEqual(new Set(found));
    const theirCases = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('customer_id', 'in', found)
      .execute();
    expect(rows.map((r) => r.id).sort()).toEqual(theirCases.map((r) => r.id).sort());
    // The counts read the same search.
    const stats = await desk.get<ApplicationStats>(`/api/applications/stats?q=${encodeURIComponent(misspelt)}`);
    expect(stats.body.total).toBe(rows.length);
  });

  it("When the queue's default view is asked for, then it is open work only, oldest first, every open case once", async () => {
    const view = defaultQueueView.stage.map((stage) => `stage=${stage}`).join('&');
    const rows = await readAllPages(desk, `${view}&sort=${defaultQueueView.sort}&order=${defaultQueueView.order}`);
    expect(rows.every((row) => isOpenCase(row.stage))).toBe(true);
    const expected = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', 'in', openCaseStages)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(await countAll(desk));
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  describe.each(applicationSorts)('sorted by %s', (sort) => {
    it.each(sortOrders)(
      'When paged %s, then every case comes once, in that order, with no gap across pages',
      async (order) => {
        const rows = await readAllPages(desk, `sort=${sort}&order=${order}`, 37);
        const expected = await expectedOrder(desk, sort, order);
        expect(rows).toHaveLength(expected.length);
        expect(new Set(rows.map((r) => r.id)).size).toBe(expected.length);
        expect(rows.map((r) => r.id)).toEqual(expected);
      },
    );

    it('When filtered to open work, then paging keeps the order and the filter', async () => {
      const view = openCaseStages.map((stage) => `stage=${stage}`).join('&');
      const rows = await readAllPages(desk, `${view}&sort=${sort}&order=desc`, 23);
      const expected = await expectedOrder(desk, sort, 'desc', openCaseStages);
      expect(rows.map((r) => r.id)).toEqual(expected);
    });
  });

  it('When a cursor was tampered with, or points at no case, then the answer is 400 saying to start again', async () => {
    const encode = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const first = await desk.get<ApplicationList>('/api/applications?limit=3&sort=stage');
    const cursor = first.body.nextCursor ?? '';
    const payload: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const badKey = encode({ ...(payload as object), key: ['nowhere', '2026-01-01T00:00:00.000Z'] });
    const unknownCase = encode({
      scope: 'sort=applicant&order=asc',
      key: [],
      id: '00000000-0000-4000-8000-000000000001',
    });
    for (const [query, why] of [
      [`sort=stage&cursor=${badKey}`, /not a cursor this server handed out; start again from the first page/],
      [`sort=applicant&cursor=${unknownCase}`, /points at a case this desk does not have; start again/],
      [
        `sort=provider&cursor=${cursor}`,
        /belongs to another order \(sort=stage&order=asc, not sort=provider&order=asc\)/,
      ],
    ] as const) {
      const res = await desk.get<ErrorBody>(`/api/applications?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors?.cursor?.[0], query).toMatch(why);
    }
  });

  it('When asking for counts, then stats match the database per stage, per flag and in total', async () => {
    const res = await desk.get<{
      total: number;
      byStage: Record<string, number>;
      byFlag: Record<string, number>;
      aging: Record<string, number>;
    }>('/api/applications/stats');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(await countAll(desk));
    const perStage = await desk.db
      .selectFrom('applications')
      .select(['stage', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('stage')
      .execute();
    for (const { stage, n } of perStage) expect(res.body.byStage[stage]).toBe(n);
    const flagged = await sql<{
      n: number;
    }>`select count(*)::int as n from applications where flag_id_verification`.execute(desk.db);
    expect(res.body.byFlag.idVerification).toBe(flagged.rows[0]?.n);
    const open = perStage.filter((s) => s.stage !== 'approved' && s.stage !== 'rejected').reduce((a, s) => a + s.n, 0);
    expect(Object.values(res.body.aging).reduce((a, n) => a + n, 0)).toBe(open);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['stage=nowhere', 'stage'],
    ['provider=acme', 'provider'],
    ['providerStatus=LOST', 'providerStatus'],
    ['flag=selfie', 'flag'],
    ['assignee=bob', 'assignee'],
    ['createdFrom=yesterday', 'createdFrom'],
    ['createdFrom=2026-10-10&createdTo=2026-10-01', 'createdTo'],
    ['sort=name', 'sort'],
    ['sort=agreementVersion', 'sort'],
    ['sort=applicant&sort=stage', 'sort'],
    ['order=up', 'order'],
    ['cursor=not-a-cursor', 'cursor'],
    ['cursor=%7B%7D', 'cursor'],
    ['colour=blue', 'colour'],
    ['q=', 'q'],
  ])('When the query has %s, then the answer is 400 naming %s', async (query, field) => {
    const res = await desk.get<ErrorBody>(`/api/applications?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(Object.keys(res.body.errors ?? {})).toContain(field);
  });

  it('When a cursor from one sort is used with another, then the answer is 400 naming cursor', async () => {
    const first = await desk.get<ApplicationList>('/api/applications?limit=5');
    expect(first.body.nextCursor).not.toBeNull();
    const res = await desk.get<ErrorBody>(`/api/applications?limit=5&sort=updatedAt&cursor=${first.body.nextCursor}`);
    expect(res.status).toBe(400);
    expect(res.body.errors?.cursor?.[0]).toMatch(/sort=createdAt/);
  });

  it('When asking for "my" cases, then only the signed-in analyst\'s cases come back (and nobody\'s without signing in)', async () => {
    expect((await desk.anonymous.get<ErrorBody>('/api/applications?assignee=me')).status).toBe(401);
    const analyst = desk.as('analyst');
    const someCase = await desk.db
      .selectFrom('applications')
      .select('id')
      .where('stage', '<>', 'approved')
      .limit(1)
      .executeTakeFirstOrThrow();
    await desk.db
      .updateTable('applications')
      .set({ assignee_id: analyst.me.id })
      .where('id', '=', someCase.id)
      .execute();
    const mine = await analyst.get<{ data: { id: string; assignee: { id: string } | null }[] }>(
      '/api/applications?assignee=me&limit=200',
    );
    expect(mine.status).toBe(200);
    expect(mine.body.data.map((a) => a.id)).toEqual([someCase.id]);
    const theirs = await desk.get<{ data: unknown[] }>('/api/applications?assignee=me');
    expect(theirs.body.data).toEqual([]);
  });
});
