/**
 * The provider demo on a running desk: Fin.com and generic KYC cases and RFIs in every state,
 * served by the API, and known to the built-in sandboxes exactly as the desk shows them, so
 * that refreshing, attaching and answering on a demo case work.
 *
 * Every expectation comes from outside the demo code: the counts and rules the README and the
 * demo's documentation promise, written out here; the sandboxes, asked over HTTP as the
 * adapters ask them; and what a refresh from the sandbox brings.
 */

import { createHash } from 'node:crypto';
import { seedProviderDemo } from '@desk/sandboxes';
import type {
  ApplicationDetail,
  ApplicationList,
  ApplicationStats,
  ApplicationSummary,
  Provider,
  Rfi,
  RfiList,
  Stage,
} from '@desk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/applicants.js';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { answerRfi, realFile } from '../support/uploads.js';

const day = 24 * 60 * 60 * 1000;
const perProvider = 40;

/**
 * The documented status mix of 40 cases per provider (Fin.com INCOMPLETE 20 %, REVIEWING 10 %,
 * ACTION_REQUIRED 20 %, ON_HOLD 25 %, APPROVED 15 %, REJECTED 10 %; KYC CREATED 10 %,
 * UNDER_REVIEW 15 %, NEEDS_ADDITIONAL_INFORMATION 40 %, ACTIVE 25 %, REJECTED 10 %).
 */
const statusMix: Record<'fin' | 'kyc', Record<string, number>> = {
  fin: { INCOMPLETE: 8, REVIEWING: 4, ACTION_REQUIRED: 8, ON_HOLD: 10, APPROVED: 6, REJECTED: 4 },
  kyc: { CREATED: 4, UNDER_REVIEW: 6, NEEDS_ADDITIONAL_INFORMATION: 16, ACTIVE: 10, REJECTED: 4 },
};
/** The stage each native status is worked in (the desk's stage table, for these two providers). */
const stageOf: Record<'fin' | 'kyc', Record<string, Stage>> = {
  fin: {
    INCOMPLETE: 'intake',
    REVIEWING: 'provider_review',
    ACTION_REQUIRED: 'needs_documents',
    ON_HOLD: 'rfi',
    APPROVED: 'approved',
    REJECTED: 'rejected',
  },
  kyc: {
    CREATED: 'intake',
    UNDER_REVIEW: 'provider_review',
    NEEDS_ADDITIONAL_INFORMATION: 'rfi',
    ACTIVE: 'approved',
    REJECTED: 'rejected',
  },
};
/** The Fin.com sandbox's first review, by the tag in the email's local part (README). */
const finTagOf = (email: string) => /\+(rejected|action_required|on_hold)@/.exec(email)?.[1] ?? null;

type FinRfiWire = {
  id: string;
  status: string;
  sections: {
    section: string;
    fields: { field: string; status: string }[];
    documents: { document_type: string; status: string }[];
  }[];
};
type FinCustomerWire = {
  id: string;
  status: string;
  basic_info: { email: string };
  required_actions: { category: string }[] | null;
  rejection_reason: string | null;
  rfi: FinRfiWire | null;
};
type KycCustomerWire = {
  id: string;
  status: string;
  email: string;
  updatedAt: string;
  requiredFields: string[];
  requiredDocuments: { category: string }[];
  rejectionReason: string | null;
};

const countBy = <T>(rows: T[], key: (row: T) => string) => {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[key(row)] = (counts[key(row)] ?? 0) + 1;
  return counts;
};

describe.each(databaseKinds)('provider demo on %s database', (kind) => {
  let desk: TestDesk;
  let seeded: { fin: number; kyc: number; rfis: number };
  /** The queue and the RFIs as they were right after seeding, before any test acted on them. */
  let asSeeded: {
    fin: ApplicationSummary[];
    kyc: ApplicationSummary[];
    open: Rfi[];
    answered: Rfi[];
    closed: Rfi[];
    stats: Record<'fin' | 'kyc', ApplicationStats>;
  };
  /** Cases a test below has acted on (answered, re-applied): no longer as seeded. */
  const touched = new Set<string>();

  async function cases(provider: Provider): Promise<ApplicationSummary[]> {
    const res = await desk.get<ApplicationList>(`/api/applications?provider=${provider}&limit=200`);
    expect(res.status).toBe(200);
    return res.body.data;
  }
  async function rfis(query: string): Promise<Rfi[]> {
    const rows: Rfi[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: RfiList } = await desk.get<RfiList>(
        `/api/rfis?${query}&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      rows.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return rows;
  }

  beforeAll(async () => {
    // The Jiko demo first: its staff and open cases get RFIs too.
    desk = await startTestDesk(kind, { demoCount: 60 });
    seeded = await seedProviderDemo(desk.db, { now: new Date(), seed: 3, pii: desk.pii });
    asSeeded = {
      fin: await cases('fin'),
      kyc: await cases('kyc'),
      open: await rfis('status=open'),
      answered: await rfis('status=answered'),
      closed: await rfis('status=closed'),
      stats: {
        fin: (await desk.get<ApplicationStats>('/api/applications/stats?provider=fin')).body,
        kyc: (await desk.get<ApplicationStats>('/api/applications/stats?provider=kyc')).body,
      },
    };
  });
  afterAll(async () => {
    await desk?.stop();
  });

  const detail = async (id: string) => (await desk.get<ApplicationDetail>(`/api/applications/${id}`)).body;
  const openRfiOf = async (applicationId: string) => {
    const [rfi, ...others] = await rfis(`status=open&applicationId=${applicationId}`);
    expect(others).toEqual([]);
    if (!rfi) throw new Error(`no open RFI on ${applicationId}`);
    return rfi;
  };
  const finCustomer = async (id: string) => {
    const res = await fetch(`${desk.url}/sandbox/fin/v2/customers/${id}`, {
      headers: { Authorization: 'Bearer fin-sandbox-token' },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: FinCustomerWire }).data;
  };
  const kycCustomer = async (id: string) => {
    const res = await fetch(`${desk.url}/sandbox/kyc/api/v1/customers/${id}`, {
      headers: { Authorization: 'Bearer kyc-sandbox-api-key' },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as KycCustomerWire;
  };
  /** Waits until the case has no provider action in flight and the check passes. */
  const settled = (id: string, check: (c: ApplicationDetail) => boolean, timeoutMs = 20_000) =>
    eventually(
      () => detail(id),
      (c) => c.providerActions.every((a) => a.state === 'done' || (a.state === 'failed' && a.gaveUp)) && check(c),
      timeoutMs,
    );
  /** Seeded cases of a status that no test has acted on. */
  const untouched = (provider: 'fin' | 'kyc', status: string) =>
    asSeeded[provider].filter((c) => c.providerStatus === status && !touched.has(c.id));
  /** A seeded case of a status for a test to act on (and no other test to rely on). */
  const take = (provider: 'fin' | 'kyc', status: string) => {
    const [taken] = untouched(provider, status);
    if (!taken) throw new Error(`no ${provider} case left in ${status}`);
    touched.add(taken.id);
    return taken;
  };

  it('When the demo is seeded, then each provider has its 40 cases in the documented mix of statuses and stages, and seeding again does nothing', async () => {
    expect(seeded).toMatchObject({ fin: perProvider, kyc: perProvider });
    for (const provider of ['fin', 'kyc'] as const) {
      const rows = asSeeded[provider];
      expect(rows).toHaveLength(perProvider);
      expect(countBy(rows, (r) => r.providerStatus)).toEqual(statusMix[provider]);
      for (const row of rows) expect(row.stage).toBe(stageOf[provider][row.providerStatus]);
      // The queue's own counts agree.
      const stats = asSeeded.stats[provider];
      expect(stats.total).toBe(perProvider);
      const expectedStages = countBy(
        Object.entries(statusMix[provider]).flatMap(([status, n]) =>
          Array.from({ length: n }, () => stageOf[provider][status] ?? ''),
        ),
        (s) => s,
      );
      expect(Object.fromEntries(Object.entries(stats.byStage).filter(([, n]) => n > 0))).toEqual(expectedStages);
    }
    expect(await seedProviderDemo(desk.db, { now: new Date(), seed: 3, pii: desk.pii })).toEqual({
      fin: 0,
      kyc: 0,
      rfis: 0,
    });
    expect(await cases('fin')).toHaveLength(perProvider);
    expect(await cases('kyc')).toHaveLength(perProvider);
  });

  it('When a Fin.com or KYC demo case lists an uploaded document, then it opens as a stored specimen whose bytes are the ones the list describes', async () => {
    let opened = 0;
    for (const provider of ['fin', 'kyc'] as const) {
      for (const row of asSeeded[provider]) {
        for (const document of (await detail(row.id)).documents.filter((d) => d.status === 'UPLOADED')) {
          expect(document.viewable).toBe(true);
          const res = await desk.fetch(`/api/applications/${row.id}/documents/${document.id}/content`);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toBe(document.contentType);
          const bytes = Buffer.from(await res.arrayBuffer());
          expect(bytes.length).toBe(document.sizeBytes);
          expect(createHash('sha256').update(bytes).digest('hex')).toBe(document.sha256);
          opened++;
        }
      }
    }
    // Every Fin.com case past INCOMPLETE attached an identity document and a proof of address.
    expect(opened).toBeGreaterThanOrEqual(2 * asSeeded.fin.filter((c) => c.providerStatus !== 'INCOMPLETE').length);
  });

  it('When the RFI queue is read by status, then each case awaiting an answer has its provider RFI open (about a third overdue), and answered and closed RFIs exist', async () => {
    const { open, answered, closed } = asSeeded;
    const providerOpen = open.filter((r) => r.origin === 'provider');
    // One open provider RFI per case in the RFI stage: Fin.com ON_HOLD and KYC NEEDS_ADDITIONAL_INFORMATION.
    expect(countBy(providerOpen, (r) => r.provider)).toEqual({
      fin: statusMix.fin.ON_HOLD,
      kyc: statusMix.kyc.NEEDS_ADDITIONAL_INFORMATION,
    });
    const inRfiStage = [...asSeeded.fin, ...asSeeded.kyc].filter((c) => c.stage === 'rfi').map((c) => c.id);
    expect(providerOpen.map((r) => r.applicationId).sort()).toEqual(inRfiStage.sort());
    const overdue = providerOpen.filter((r) => r.overdue);
    expect(overdue.length / providerOpen.length).toBeGreaterThan(0.25);
    expect(overdue.length / providerOpen.length).toBeLessThan(0.45);
    // A provider RFI is due five days after it was raised.
    for (const r of providerOpen) expect(Date.parse(r.dueAt) - Date.parse(r.createdAt)).toBe(5 * day);
    for (const r of overdue) expect(Date.now() - Date.parse(r.createdAt)).toBeGreaterThan(5 * day);
    expect(open.some((r) => r.origin === 'internal' && r.overdue)).toBe(true);
    expect(open.some((r) => r.origin === 'internal' && !r.overdue)).toBe(true);

    expect(answered.length).toBeGreaterThan(0);
    for (const r of answered) expect(r.answers).toHaveLength(1);

    for (const provider of ['fin', 'kyc'] as const) {
      expect(closed.some((r) => r.origin === 'provider' && r.provider === provider && r.answers.length === 1)).toBe(
        true,
      );
    }
    expect(closed.some((r) => r.origin === 'internal')).toBe(true);
    expect(closed.flatMap((r) => r.answers.flatMap((a) => a.documents)).length).toBeGreaterThan(0);
    expect([...open, ...answered, ...closed].some((r) => r.assignee !== null)).toBe(true);
  });

  it('When demo cases of every status are refreshed from their sandbox, then nothing changes: status, stage, flags, requests and RFIs are what was seeded', async () => {
    // The desk delivers one action at a time: three cases of each status (first, middle and
    // last in the queue) keep this short; the open RFIs of all the others are compared with
    // their sandbox over HTTP below.
    const all = (['fin', 'kyc'] as const).flatMap((provider) =>
      Object.keys(statusMix[provider]).flatMap((status) => {
        const of = untouched(provider, status);
        return [...new Set([of[0], of[Math.floor(of.length / 2)], of.at(-1)])].filter((c) => c !== undefined);
      }),
    );
    expect(all.length).toBeGreaterThanOrEqual(30);
    const before = await Promise.all(all.map(({ id }) => detail(id)));
    const asked = await Promise.all(all.map(({ id }) => desk.post(`/api/applications/${id}/refresh`)));
    expect(asked.map((r) => r.status)).toEqual(all.map(() => 202));
    for (const was of before) {
      const after = await settled(was.id, (c) => c.providerActions.length === was.providerActions.length + 1, 60_000);
      const added = after.providerActions.filter((a) => !was.providerActions.some((b) => b.id === a.id));
      expect(added).toEqual([expect.objectContaining({ kind: 'refresh', state: 'done' })]);
      expect({ ...after, providerActions: [], updatedAt: '' }).toEqual({ ...was, providerActions: [], updatedAt: '' });
    }
  }, 120_000);

  it('When a Fin.com case is ON_HOLD, then the sandbox holds its RFI open asking for a MISSING field, an INVALID field and an EXPIRED identity document, item for item as on the desk', async () => {
    const held = untouched('fin', 'ON_HOLD');
    expect(held.length).toBeGreaterThan(0);
    for (const c of held) {
      const customer = await finCustomer(c.providerApplicationId);
      expect(customer.status).toBe('ON_HOLD');
      expect(finTagOf(customer.basic_info.email)).toBe('on_hold');
      const sandboxRfi = customer.rfi;
      expect(sandboxRfi?.status).toBe('OPEN');
      const asked = (sandboxRfi?.sections ?? []).flatMap((s) => [
        ...s.fields.map((f) => ({ key: `${s.section}.${f.field}`, status: f.status })),
        ...s.documents.map((d) => ({ key: `${s.section}.${d.document_type}`, status: d.status })),
      ]);
      const identity = asked.find((a) => a.key.startsWith('identifying_documents.'))?.key ?? 'identifying_documents.?';
      expect(asked).toEqual([
        { key: 'basic_info.phone', status: 'INVALID' },
        { key: 'financial_profile.source_of_funds_description', status: 'MISSING' },
        { key: identity, status: 'EXPIRED' },
      ]);

      const rfi = await openRfiOf(c.id);
      expect(rfi).toMatchObject({
        origin: 'provider',
        provider: 'fin',
        providerRfiId: sandboxRfi?.id,
        title: 'Fin.com needs 3 items',
      });
      // Fin.com's items under the desk's keys: `section.field`, `section.DOCUMENT_TYPE`, and
      // the new document's expiry date as `section.DOCUMENT_TYPE.expiry_date`.
      expect(rfi.items.map(({ kind, key, section, reason }) => ({ kind, key, section, reason }))).toEqual([
        { kind: 'field', key: 'basic_info.phone', section: 'basic_info', reason: 'INVALID' },
        {
          kind: 'field',
          key: 'financial_profile.source_of_funds_description',
          section: 'financial_profile',
          reason: 'MISSING',
        },
        { kind: 'document', key: identity, section: 'identifying_documents', reason: 'EXPIRED' },
        { kind: 'field', key: `${identity}.expiry_date`, section: 'identifying_documents', reason: 'EXPIRED' },
      ]);
    }
  });

  it('When a Fin.com case needs action, is rejected or approved, then the sandbox agrees and the email tag explains it', async () => {
    for (const c of untouched('fin', 'ACTION_REQUIRED')) {
      const customer = await finCustomer(c.providerApplicationId);
      expect(customer.status).toBe('ACTION_REQUIRED');
      expect(finTagOf(customer.basic_info.email)).toBe('action_required');
      expect(customer.required_actions?.map((a) => a.category)).toEqual(['IDENTITY_DOCUMENT', 'SELFIE']);
      const onDesk = await detail(c.id);
      expect(onDesk.providerRequirements).toHaveLength(2);
      expect(onDesk.actions.reapply.allowed).toBe(true);
    }
    for (const c of untouched('fin', 'REJECTED')) {
      const customer = await finCustomer(c.providerApplicationId);
      expect(customer.status).toBe('REJECTED');
      expect(finTagOf(customer.basic_info.email)).toBe('rejected');
      expect(customer.rejection_reason).toBeTruthy();
    }
    const approved = untouched('fin', 'APPROVED');
    const tags = await Promise.all(
      approved.map(async (c) => {
        const customer = await finCustomer(c.providerApplicationId);
        expect(customer.status).toBe('APPROVED');
        return finTagOf(customer.basic_info.email);
      }),
    );
    // Approved on the first review (no tag), or on the review after an answered RFI.
    expect(new Set(tags)).toEqual(new Set([null, 'on_hold']));
    for (const c of untouched('fin', 'INCOMPLETE'))
      expect((await finCustomer(c.providerApplicationId)).status).toBe('INCOMPLETE');
    for (const c of untouched('fin', 'REVIEWING'))
      expect((await finCustomer(c.providerApplicationId)).status).toBe('REVIEWING');
  });

  it('When a KYC case needs information, then the sandbox asks for a government ID (some also a proof of address), and the desk RFI is the customer at its updatedAt asking the same', async () => {
    const asking = untouched('kyc', 'NEEDS_ADDITIONAL_INFORMATION');
    expect(asking.length).toBeGreaterThan(0);
    let withProofOfAddress = 0;
    for (const c of asking) {
      const customer = await kycCustomer(c.providerApplicationId);
      expect(customer.status).toBe('NEEDS_ADDITIONAL_INFORMATION');
      const categories = customer.requiredDocuments.map((d) => d.category);
      expect(categories[0]).toBe('GOVERNMENT_ID');
      expect(categories.slice(1)).toEqual(categories.length > 1 ? ['PROOF_OF_ADDRESS'] : []);
      if (categories.includes('PROOF_OF_ADDRESS')) withProofOfAddress++;

      const rfi = await openRfiOf(c.id);
      expect(rfi).toMatchObject({
        origin: 'provider',
        provider: 'kyc',
        providerRfiId: `${customer.id}:${customer.updatedAt}`,
      });
      const documents = rfi.items.filter((i) => i.kind === 'document');
      expect(documents.map((d) => d.key)).toEqual(categories);
      expect(documents.map((d) => d.reason)).toEqual(categories.map(() => 'MISSING'));
      expect(documents[0]?.label).toBe('Government-issued photo ID');
      for (const field of customer.requiredFields)
        expect(rfi.items.some((i) => i.kind === 'field' && i.key === field)).toBe(true);
    }
    expect(withProofOfAddress).toBeGreaterThan(0);
    expect(withProofOfAddress).toBeLessThan(asking.length);
    for (const status of ['CREATED', 'UNDER_REVIEW', 'ACTIVE', 'REJECTED']) {
      for (const c of untouched('kyc', status))
        expect((await kycCustomer(c.providerApplicationId)).status).toBe(status);
    }
  });

  it('When a Fin.com ON_HOLD RFI is answered at the desk, then Fin.com reviews again and approves, and the RFI closes', async () => {
    const held = take('fin', 'ON_HOLD');
    const rfi = await openRfiOf(held.id);
    const fields: Record<string, string> = {};
    for (const item of rfi.items.filter((i) => i.kind === 'field')) {
      if (item.key.endsWith('.expiry_date'))
        fields[item.key] = new Date(Date.now() + 5 * 365 * day).toISOString().slice(0, 10);
      else if (item.key === 'basic_info.phone') fields[item.key] = '+14155550123';
      else fields[item.key] = 'Salary from employment';
    }
    const files = Object.fromEntries(
      rfi.items
        .filter((i) => i.kind === 'document')
        .map((i) => [i.key, { blob: realFile('application/pdf'), name: 'new-id.pdf' }]),
    );
    const res = await answerRfi(desk, rfi.id, { fields, files });
    expect(res.status).toBe(201);
    const after = await settled(held.id, (c) => c.providerStatus === 'APPROVED');
    // The review may be decided before the desk looks again: REVIEWING need not be seen.
    expect(after.statusHistory.at(-1)?.fromStatus).toMatch(/^(REVIEWING|ON_HOLD)$/);
    expect(after.rfis.find((r) => r.id === rfi.id)?.status).toBe('closed');
    expect((await finCustomer(held.providerApplicationId)).status).toBe('APPROVED');
  });

  it('When a Fin.com ACTION_REQUIRED case attaches its documents again, then Fin.com reviews and approves it', async () => {
    const asked = take('fin', 'ACTION_REQUIRED');
    const before = await detail(asked.id);
    expect(before.actions.reapply.allowed).toBe(true);
    expect((await desk.post(`/api/applications/${asked.id}/reapply`)).status).toBe(202);
    const after = await settled(asked.id, (c) => c.providerStatus === 'APPROVED');
    expect(after.statusHistory.at(-1)?.fromStatus).toMatch(/^(REVIEWING|ACTION_REQUIRED)$/);
    expect((await finCustomer(asked.providerApplicationId)).status).toBe('APPROVED');
  });

  it('When a KYC request for a government ID is answered at the desk, then the provider reviews the file and activates the customer', async () => {
    const asking = take('kyc', 'NEEDS_ADDITIONAL_INFORMATION');
    const rfi = await openRfiOf(asking.id);
    const fields: Record<string, string> = {};
    for (const item of rfi.items.filter((i) => i.kind === 'field')) {
      if (item.key.endsWith('.number')) fields[item.key] = '912345678';
      else if (item.key.endsWith('.issuingCountry')) fields[item.key] = 'US';
      else if (item.key.endsWith('.expirationDate'))
        fields[item.key] = new Date(Date.now() + 5 * 365 * day).toISOString().slice(0, 10);
      else if (item.key.endsWith('.issueDate'))
        fields[item.key] = new Date(Date.now() - 10 * day).toISOString().slice(0, 10);
      else throw new Error(`unexpected field ${item.key}`);
    }
    const files = Object.fromEntries(
      rfi.items
        .filter((i) => i.kind === 'document')
        .map((i) => [i.key, { blob: realFile('image/png', 120 * 1024), name: `${i.key}.png` }]),
    );
    const res = await answerRfi(desk, rfi.id, { fields, files });
    expect(res.status).toBe(201);
    const after = await settled(asking.id, (c) => c.providerStatus === 'ACTIVE');
    expect(after.statusHistory.at(-1)?.fromStatus).toMatch(/^(UNDER_REVIEW|NEEDS_ADDITIONAL_INFORMATION)$/);
    expect(after.rfis.find((r) => r.id === rfi.id)?.status).toBe('closed');
    expect((await kycCustomer(asking.providerApplicationId)).status).toBe('ACTIVE');
  });
});
