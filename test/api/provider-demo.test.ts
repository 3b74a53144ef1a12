/**
 * The provider demo on a running desk: Fin.com and generic KYC cases and RFIs in every state,
 * served by the API, and known to the built-in sandboxes exactly as the desk shows them, so
 * that refreshing, attaching and answering on a demo case work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  finStatuses,
  kycStatuses,
  stageOf,
  type ApplicationDetail,
  type ApplicationList,
  type ApplicationSummary,
  type Provider,
  type Rfi,
  type RfiList,
} from '@desk/shared';
import { seedProviderDemo } from '@desk/sandboxes';
import { eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { answerRfi, realFile } from '../support/uploads.js';

const day = 24 * 60 * 60 * 1000;

type FinCustomerAnswer = { data: { id: string; status: string; rfi: { id: string; status: string } | null } };
type KycCustomerAnswer = { id: string; status: string; updatedAt: string };

describe.each(databaseKinds)('provider demo on %s database', (kind) => {
  let desk: TestDesk;
  let seeded: { fin: number; kyc: number; rfis: number };
  beforeAll(async () => {
    // The Jiko demo first: its staff and open cases get RFIs too.
    desk = await startTestDesk(kind, { demoCount: 60 });
    seeded = await seedProviderDemo(desk.db, { now: new Date(), seed: 3, pii: desk.pii });
  });
  afterAll(async () => {
    await desk?.stop();
  });

  async function cases(provider: Provider): Promise<ApplicationSummary[]> {
    const res = await desk.get<ApplicationList>(`/api/applications?provider=${provider}&limit=200`);
    expect(res.status).toBe(200);
    return res.body.data;
  }
  async function rfis(query: string): Promise<Rfi[]> {
    const rows: Rfi[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: RfiList } = await desk.get<RfiList>(`/api/rfis?${query}&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      rows.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return rows;
  }
  const detail = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  const openRfiOf = async (applicationId: string) => {
    const [rfi, ...others] = await rfis(`status=open&applicationId=${applicationId}`);
    expect(others).toEqual([]);
    if (!rfi) throw new Error(`no open RFI on ${applicationId}`);
    return rfi;
  };
  const finCustomer = async (id: string) => {
    const res = await fetch(`${desk.url}/sandbox/fin/v2/customers/${id}`, { headers: { Authorization: 'Bearer fin-sandbox-token' } });
    expect(res.status).toBe(200);
    return ((await res.json()) as FinCustomerAnswer).data;
  };
  const kycCustomer = async (id: string) => {
    const res = await fetch(`${desk.url}/sandbox/kyc/api/v1/customers/${id}`, { headers: { Authorization: 'Bearer kyc-sandbox-api-key' } });
    expect(res.status).toBe(200);
    return (await res.json()) as KycCustomerAnswer;
  };
  /** Waits until the case has no provider action in flight and the check passes. */
  const settled = (id: string, check: (c: ApplicationDetail) => boolean, timeoutMs = 20_000) =>
    eventually(
      () => detail(id),
      (c) => c.providerActions.every((a) => a.state === 'done' || (a.state === 'failed' && a.gaveUp)) && check(c),
      timeoutMs,
    );

  it('When the demo is seeded, then both providers get their cases, and seeding again does nothing', async () => {
    expect(seeded).toMatchObject({ fin: 40, kyc: 40 });
    expect(seeded.rfis).toBeGreaterThan(40);
    expect(await seedProviderDemo(desk.db, { now: new Date(), seed: 3, pii: desk.pii })).toEqual({ fin: 0, kyc: 0, rfis: 0 });
    expect(await cases('fin')).toHaveLength(40);
  });

  it.each([
    ['fin', finStatuses],
    ['kyc', kycStatuses],
  ] as const)('When the queue is filtered to %s, then every status of the provider appears with its stage', async (provider, statuses) => {
    const rows = await cases(provider);
    expect(rows).toHaveLength(40);
    for (const row of rows) expect(row.stage).toBe(stageOf(provider, row.providerStatus));
    expect(new Set(rows.map((r) => r.providerStatus))).toEqual(new Set(statuses));
  });

  it('When the RFI queue is read by status, then provider RFIs are open (some overdue), and answered and closed RFIs exist', async () => {
    const open = await rfis('status=open');
    const providerOpen = open.filter((r) => r.origin === 'provider');
    expect(providerOpen).toHaveLength(26);
    expect(providerOpen.some((r) => r.overdue)).toBe(true);
    expect(providerOpen.some((r) => !r.overdue)).toBe(true);
    for (const r of providerOpen.filter((x) => x.overdue)) expect(Date.now() - Date.parse(r.createdAt)).toBeGreaterThan(5 * day);
    expect(open.some((r) => r.origin === 'internal' && r.overdue)).toBe(true);
    expect(new Set(providerOpen.map((r) => r.provider))).toEqual(new Set(['fin', 'kyc']));

    const answered = await rfis('status=answered');
    expect(answered.length).toBeGreaterThan(0);
    for (const r of answered) expect(r.answers).toHaveLength(1);

    const closed = await rfis('status=closed');
    expect(closed.some((r) => r.origin === 'provider' && r.provider === 'fin' && r.answers.length === 1)).toBe(true);
    expect(closed.some((r) => r.origin === 'provider' && r.provider === 'kyc' && r.answers.length === 1)).toBe(true);
    expect(closed.some((r) => r.origin === 'internal')).toBe(true);
    const withFiles = closed.flatMap((r) => r.answers.flatMap((a) => a.documents));
    expect(withFiles.length).toBeGreaterThan(0);
    expect([...open, ...answered, ...closed].some((r) => r.assignee !== null)).toBe(true);
  });

  it('When a Fin.com case is ON_HOLD, then the sandbox holds the same RFI open, and a refresh changes nothing', async () => {
    const held = (await cases('fin')).find((c) => c.providerStatus === 'ON_HOLD');
    if (!held) throw new Error('no ON_HOLD case');
    const rfi = await openRfiOf(held.id);
    expect(rfi).toMatchObject({ origin: 'provider', provider: 'fin', title: 'Fin.com needs 3 items' });
    const customer = await finCustomer(held.providerApplicationId);
    expect(customer.status).toBe('ON_HOLD');
    expect(customer.rfi?.id).toBe(rfi.providerRfiId);

    const before = await detail(held.id);
    expect(before.consent.versionReleasedAt).not.toBeNull();
    expect((await desk.post(`/api/applications/${held.id}/refresh`)).status).toBe(202);
    const after = await settled(held.id, (c) => c.providerActions.length === before.providerActions.length + 1);
    expect(after.providerActions.every((a) => a.state === 'done')).toBe(true);
    expect({ ...after, providerActions: [], updatedAt: '' }).toEqual({ ...before, providerActions: [], updatedAt: '' });
    expect(await openRfiOf(held.id)).toEqual(rfi);
  });

  it('When a KYC case needs information, then the sandbox agrees on the RFI id, and a refresh changes nothing', async () => {
    const asking = (await cases('kyc')).find((c) => c.providerStatus === 'NEEDS_ADDITIONAL_INFORMATION');
    if (!asking) throw new Error('no NEEDS_ADDITIONAL_INFORMATION case');
    const rfi = await openRfiOf(asking.id);
    expect(rfi.items.find((i) => i.kind === 'document')).toMatchObject({ key: 'GOVERNMENT_ID', label: 'Government-issued photo ID', reason: 'MISSING' });
    const customer = await kycCustomer(asking.providerApplicationId);
    expect(customer.status).toBe('NEEDS_ADDITIONAL_INFORMATION');
    expect(`${customer.id}:${customer.updatedAt}`).toBe(rfi.providerRfiId);

    const before = await detail(asking.id);
    expect((await desk.post(`/api/applications/${asking.id}/refresh`)).status).toBe(202);
    const after = await settled(asking.id, (c) => c.providerActions.length === before.providerActions.length + 1);
    expect({ ...after, providerActions: [], updatedAt: '' }).toEqual({ ...before, providerActions: [], updatedAt: '' });
    expect(await openRfiOf(asking.id)).toEqual(rfi);
  });

  it('When a Fin.com ON_HOLD RFI is answered at the desk, then Fin.com reviews again and approves, and the RFI closes', async () => {
    const held = (await cases('fin')).filter((c) => c.providerStatus === 'ON_HOLD')[1];
    if (!held) throw new Error('no second ON_HOLD case');
    const rfi = await openRfiOf(held.id);
    const fields: Record<string, string> = {};
    for (const item of rfi.items.filter((i) => i.kind === 'field')) {
      if (item.key.endsWith('.expiry_date')) fields[item.key] = new Date(Date.now() + 5 * 365 * day).toISOString().slice(0, 10);
      else if (item.key === 'basic_info.phone') fields[item.key] = '+14155550123';
      else fields[item.key] = 'Salary from employment';
    }
    const files = Object.fromEntries(
      rfi.items.filter((i) => i.kind === 'document').map((i) => [i.key, { blob: realFile('application/pdf'), name: 'new-id.pdf' }]),
    );
    const res = await answerRfi(desk, rfi.id, { fields, files });
    expect(res.status).toBe(201);
    const after = await settled(held.id, (c) => c.providerStatus === 'APPROVED');
    // The review may be decided before the desk looks again: REVIEWING need not be seen.
    expect(after.statusHistory.at(-1)?.fromStatus).toMatch(/^(REVIEWING|ON_HOLD)$/);
    expect(after.rfis.find((r) => r.id === rfi.id)?.status).toBe('closed');
  });

  it('When a Fin.com ACTION_REQUIRED case attaches its documents again, then Fin.com reviews and approves it', async () => {
    const asked = (await cases('fin')).find((c) => c.providerStatus === 'ACTION_REQUIRED');
    if (!asked) throw new Error('no ACTION_REQUIRED case');
    const before = await detail(asked.id);
    expect(before.actions.reapply.allowed).toBe(true);
    expect(before.providerRequirements.length).toBe(2);
    expect((await desk.post(`/api/applications/${asked.id}/reapply`)).status).toBe(202);
    const after = await settled(asked.id, (c) => c.providerStatus === 'APPROVED');
    expect(after.statusHistory.at(-1)?.fromStatus).toMatch(/^(REVIEWING|ACTION_REQUIRED)$/);
  });

  it('When a KYC request for a government ID is answered at the desk, then the provider reviews the file and activates the customer', async () => {
    const asking = (await cases('kyc')).filter((c) => c.providerStatus === 'NEEDS_ADDITIONAL_INFORMATION')[1];
    if (!asking) throw new Error('no second NEEDS_ADDITIONAL_INFORMATION case');
    const rfi = await openRfiOf(asking.id);
    const fields: Record<string, string> = {};
    for (const item of rfi.items.filter((i) => i.kind === 'field')) {
      if (item.key.endsWith('.number')) fields[item.key] = '912345678';
      else if (item.key.endsWith('.issuingCountry')) fields[item.key] = 'US';
      else if (item.key.endsWith('.expirationDate')) fields[item.key] = new Date(Date.now() + 5 * 365 * day).toISOString().slice(0, 10);
      else if (item.key.endsWith('.issueDate')) fields[item.key] = new Date(Date.now() - 10 * day).toISOString().slice(0, 10);
      else throw new Error(`unexpected field ${item.key}`);
    }
    const files = Object.fromEntries(
      rfi.items.filter((i) => i.kind === 'document').map((i) => [i.key, { blob: realFile('image/png', 120 * 1024), name: `${i.key}.png` }]),
    );
    const res = await answerRfi(desk, rfi.id, { fields, files });
    expect(res.status).toBe(201);
    const after = await settled(asking.id, (c) => c.providerStatus === 'ACTIVE');
    expect(after.statusHistory.at(-1)?.fromStatus).toMatch(/^(UNDER_REVIEW|NEEDS_ADDITIONAL_INFORMATION)$/);
    expect(after.rfis.find((r) => r.id === rfi.id)?.status).toBe('closed');
  });
});
