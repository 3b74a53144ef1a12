import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import type { Stage } from '@desk/shared';
import { describe, expect, it } from 'vitest';
import { outcomeTagOf } from '../../fin/customer-rules.js';
import { requiredKycFields } from '../../kyc/kyc-data.js';
import { demoStaff } from '../demo-data.js';
import {
  allocateStatuses,
  demoPdf,
  demoPng,
  generateProviderDemo,
  kycStatusMix,
  type ProviderDemo,
  type ProviderDemoContext,
} from './index.js';

const day = 24 * 60 * 60 * 1000;
const now = new Date('2026-11-01T12:00:00Z');
const staff = demoStaff(42);
const jikoCases = Array.from({ length: 60 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  created_at: new Date(now.getTime() - (60 - i) * day),
}));
const ctx: ProviderDemoContext = { seed: 3, now, perProvider: 40, staff, jikoCases };
const time = (value: Date | string | undefined | null) => new Date(value ?? 0).getTime();

/**
 * The documented mix for 40 cases per provider (index.ts: Fin.com INCOMPLETE 20 %, REVIEWING
 * 10 %, ACTION_REQUIRED 20 %, ON_HOLD 25 %, APPROVED 15 %, REJECTED 10 %; KYC CREATED 10 %,
 * UNDER_REVIEW 15 %, NEEDS_ADDITIONAL_INFORMATION 40 %, ACTIVE 25 %, REJECTED 10 %), counted out.
 */
const statusCounts: Record<string, Record<string, number>> = {
  fin: { INCOMPLETE: 8, REVIEWING: 4, ACTION_REQUIRED: 8, ON_HOLD: 10, APPROVED: 6, REJECTED: 4 },
  kyc: { CREATED: 4, UNDER_REVIEW: 6, NEEDS_ADDITIONAL_INFORMATION: 16, ACTIVE: 10, REJECTED: 4 },
};
/** The stage each native status is worked in, written out for these two providers. */
const stages: Record<string, Record<string, Stage>> = {
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
const countBy = (values: string[]) => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

function rfisOf(demo: ProviderDemo, applicationId: string) {
  return demo.rfis.filter((r) => r.application_id === applicationId);
}
function itemsOf(demo: ProviderDemo, rfiId: string) {
  return demo.rfiItems
    .filter((i) => i.rfi_id === rfiId)
    .sort((a, b) => a.position - b.position)
    .map(({ kind, key, label, section, reason, note }) => ({ kind, key, label, section, reason, note }));
}

describe('provider demo', () => {
  const demo = generateProviderDemo(ctx);
  const finApps = demo.applications.filter((a) => a.provider === 'fin');
  const kycApps = demo.applications.filter((a) => a.provider === 'kyc');
  const finById = new Map(demo.fin.customers.map((c) => [c.id, c]));
  const kycById = new Map(demo.kyc.map((c) => [c.id, c]));

  it('When generated twice with the same seed and time, then every row is the same; another seed differs', () => {
    // Files compared by digest: a deep comparison of their bytes is slow.
    const comparable = (d: ProviderDemo) => ({
      ...d,
      rfiAnswerDocuments: d.rfiAnswerDocuments.map(({ bytes, ...rest }) => ({
        ...rest,
        bytes: createHash('sha256').update(bytes).digest('hex'),
      })),
    });
    expect(comparable(generateProviderDemo(ctx))).toEqual(comparable(demo));
    const other = generateProviderDemo({ ...ctx, seed: 4 });
    expect(other.customers.map((c) => c.email)).not.toEqual(demo.customers.map((c) => c.email));
  });

  it('When statuses are allocated, then each provider gets the documented mix exactly and every stage follows from its status', () => {
    expect(countBy(finApps.map((a) => a.provider_status))).toEqual(statusCounts.fin);
    expect(countBy(kycApps.map((a) => a.provider_status))).toEqual(statusCounts.kyc);
    // Largest remainder: the counts always add up to the number asked for.
    expect(allocateStatuses(kycStatusMix, 7)).toHaveLength(7);
    for (const app of demo.applications) expect(app.stage).toBe(stages[app.provider]?.[app.provider_status]);
    const customers = new Map(demo.customers.map((c) => [c.id, c]));
    for (const app of demo.applications) {
      const customer = customers.get(app.customer_id);
      expect(customer?.country).toBe('USA');
      expect(customer?.identificationNumber).toMatch(/^\d{9}$/);
      expect(customer?.state).toMatch(/^[A-Z]{2}$/);
      expect(demo.agreements.some((a) => a.provider === app.provider && a.version === app.agreement_version)).toBe(
        true,
      );
    }
  });

  it('When histories are read in order, then each starts where the provider starts, chains, ends at the status and stays in the last month', () => {
    for (const app of demo.applications) {
      const history = demo.history.filter((h) => h.application_id === app.id);
      expect(history[0]).toMatchObject({
        from_status: null,
        to_status: app.provider === 'fin' ? 'INCOMPLETE' : 'CREATED',
      });
      for (let i = 1; i < history.length; i++) {
        expect(history[i]?.from_status).toBe(history[i - 1]?.to_status);
        expect(time(history[i]?.at)).toBeGreaterThanOrEqual(time(history[i - 1]?.at));
        expect(['provider_response', 'provider_webhook']).toContain(history[i]?.source);
      }
      expect(history.at(-1)?.to_status).toBe(app.provider_status);
      expect(time(history.at(-1)?.at)).toBe(time(app.provider_observed_at));
      expect(time(history.at(-1)?.at)).toBeLessThanOrEqual(now.getTime());
      expect(time(history[0]?.at)).toBeGreaterThan(now.getTime() - 35 * day);
    }
  });

  it('When the Fin.com sandbox rows are read, then they match the desk and their tags and counters make the next review behave', () => {
    expect(demo.fin.customers).toHaveLength(40);
    for (const app of finApps) {
      const row = finById.get(app.provider_application_id);
      expect(row?.status).toBe(app.provider_status);
      expect(row?.email).toBe(demo.customers.find((c) => c.id === app.customer_id)?.email);
      if (!row) continue;
      const tag = outcomeTagOf(row.email);
      switch (row.status) {
        case 'INCOMPLETE':
          expect(row.reviews_decided).toBe(0);
          break;
        case 'REVIEWING':
          expect(row.reviews_decided).toBe(0);
          expect(time(row.decision_due_at) - now.getTime()).toBeGreaterThanOrEqual(10 * 60_000);
          expect(time(row.decision_due_at) - now.getTime()).toBeLessThanOrEqual(6 * 3600_000);
          break;
        case 'ACTION_REQUIRED':
          expect([tag, row.reviews_decided]).toEqual(['action_required', 1]);
          expect(row.required_actions?.map((a) => a.category)).toEqual(['IDENTITY_DOCUMENT', 'SELFIE']);
          expect(app.flag_id_verification).toBe(true);
          break;
        case 'ON_HOLD':
          expect([tag, row.reviews_decided]).toEqual(['on_hold', 1]);
          break;
        case 'REJECTED':
          expect([tag, row.reviews_decided]).toEqual(['rejected', 1]);
          expect(row.rejection_reason).toBeTruthy();
          break;
        case 'APPROVED':
          expect(row.reviews_decided === 2 ? tag === 'on_hold' : tag === null && row.reviews_decided === 1).toBe(true);
          break;
      }
      if (row.status !== 'REVIEWING') expect(row.decision_due_at).toBeNull();
      if (row.status !== 'INCOMPLETE') {
        const attach = demo.fin.attachments.find((a) => a.customer_id === row.id);
        expect(attach?.status).toBe('processed');
        const uris = [
          ...(attach?.documents.identifying_documents ?? []),
          ...(attach?.documents.address_documents ?? []),
        ].flatMap((d) => d.files.map((f) => f.uri));
        for (const uri of uris)
          expect(demo.fin.files.some((f) => f.uri === uri && f.customer_id === row.id)).toBe(true);
        expect(
          demo.documents
            .filter((d) => d.application_id === app.id)
            .map((d) => d.provider_document_id)
            .sort(),
        ).toEqual([...uris].sort());
      }
    }
  });

  it('When a Fin.com case is ON_HOLD, then the sandbox RFI asks for a MISSING field, an INVALID field and an EXPIRED document, and the desk holds it open item for item', () => {
    const held = finApps.filter((a) => a.provider_status === 'ON_HOLD');
    expect(held.length).toBe(10);
    for (const app of held) {
      const sandboxRfi = demo.fin.rfis.find(
        (r) => r.customer_id === app.provider_application_id && r.status === 'OPEN',
      );
      const [rfi, ...others] = rfisOf(demo, app.id);
      expect(others).toEqual([]);
      expect(rfi).toMatchObject({
        origin: 'provider',
        status: 'open',
        provider_rfi_id: sandboxRfi?.id,
        title: 'Fin.com needs 3 items',
        closed_at: null,
      });
      expect(time(rfi?.due_at) - time(rfi?.created_at)).toBe(5 * day);
      expect(time(rfi?.created_at)).toBe(time(sandboxRfi?.created_at));
      // The sandbox's on-hold RFI (README, Fin.com sandbox): three items, one of each reason.
      const identity = sandboxRfi?.sections.find((s) => s.section === 'identifying_documents')?.documents[0]
        ?.document_type;
      expect(identity).toMatch(/^(PASSPORT|NATIONAL_ID|DRIVERS_LICENSE|RESIDENCE_PERMIT)$/);
      expect(
        (sandboxRfi?.sections ?? []).flatMap((s) => [
          ...s.fields.map((f) => `${s.section}.${f.field} ${f.status}`),
          ...s.documents.map((d) => `${s.section}.${d.document_type} ${d.status}`),
        ]),
      ).toEqual([
        'basic_info.phone INVALID',
        'financial_profile.source_of_funds_description MISSING',
        `identifying_documents.${identity} EXPIRED`,
      ]);
      const items = itemsOf(demo, rfi?.id ?? '');
      const expected = (sandboxRfi?.sections ?? []).flatMap((s) => [
        ...s.fields.map((f) => ({
          kind: 'field',
          key: `${s.section}.${f.field}`,
          section: s.section,
          reason: f.status,
          note: f.description,
        })),
        ...s.documents.flatMap((d) => [
          {
            kind: 'document',
            key: `${s.section}.${d.document_type}`,
            section: s.section,
            reason: d.status,
            note: d.description,
          },
          ...(d.document_type === 'SELFIE'
            ? []
            : [
                {
                  kind: 'field',
                  key: `${s.section}.${d.document_type}.expiry_date`,
                  section: s.section,
                  reason: d.status,
                },
              ]),
        ]),
      ]);
      expect(items).toMatchObject(expected);
      expect(items).toHaveLength(expected.length);
      const documentItem = items.find((i) => i.kind === 'document');
      expect(items.find((i) => i.key === `${documentItem?.key}.expiry_date`)?.label).toBe(
        `${documentItem?.label} expiry date (YYYY-MM-DD)`,
      );
    }
  });

  it('When a KYC case needs information, then the desk RFI id is the customer id with its updatedAt and the items ask for a government ID', () => {
    const asking = kycApps.filter((a) => a.provider_status === 'NEEDS_ADDITIONAL_INFORMATION');
    expect(asking).toHaveLength(16);
    let withProofOfAddress = 0;
    for (const app of asking) {
      const row = kycById.get(app.provider_application_id);
      expect(row).toMatchObject({
        status: 'NEEDS_ADDITIONAL_INFORMATION',
        rfi_count: 1,
        review_round: 1,
        required_fields: [],
      });
      if (!row) continue;
      expect(Object.keys(row.kyc_data).sort()).toEqual([...requiredKycFields].sort());
      const [rfi, ...others] = rfisOf(demo, app.id);
      expect(others).toEqual([]);
      expect(rfi).toMatchObject({
        origin: 'provider',
        status: 'open',
        provider_rfi_id: `${row.id}:${row.updated_at.toISOString()}`,
      });
      expect(rfi?.title).toBe(
        `The provider needs ${row.required_documents.length} item${row.required_documents.length === 1 ? '' : 's'}`,
      );
      const documents = itemsOf(demo, rfi?.id ?? '').filter((i) => i.kind === 'document');
      // What the sandbox asks for is what the desk's RFI asks for, by the provider's categories.
      expect(documents.map((d) => d.key)).toEqual(row.required_documents.map((d) => d.category));
      expect(row.required_documents[0]?.category).toBe('GOVERNMENT_ID');
      expect(documents[0]).toMatchObject({
        key: 'GOVERNMENT_ID',
        label: 'Government-issued photo ID',
        section: null,
        reason: 'MISSING',
      });
      expect(documents[0]?.note).toContain(
        'Accepted: PASSPORT, DRIVERS_LICENSE, NATIONAL_ID_CARD, RESIDENCE_PERMIT, STATE_ID_CARD',
      );
      if (documents.some((d) => d.key === 'PROOF_OF_ADDRESS')) {
        withProofOfAddress++;
        expect(documents[1]).toMatchObject({ label: 'Proof of address', reason: 'MISSING' });
      }
      expect(app.flag_id_verification).toBe(true);
    }
    expect(withProofOfAddress).toBeGreaterThan(0);
    expect(withProofOfAddress).toBeLessThan(asking.length);
    for (const row of demo.kyc.filter((c) => c.status === 'UNDER_REVIEW')) {
      expect(time(row.review_due_at) - now.getTime()).toBeGreaterThanOrEqual(10 * 60_000);
      expect(row.kyc_data.documents).toBeUndefined();
    }
    for (const row of demo.kyc.filter((c) => c.status !== 'UNDER_REVIEW')) expect(row.review_due_at).toBeNull();
  });

  it('When open provider RFIs are counted, then about a third are overdue, raised 6 to 12 days ago', () => {
    const open = demo.rfis.filter((r) => r.origin === 'provider' && r.status === 'open');
    expect(open).toHaveLength(26);
    const overdue = open.filter((r) => time(r.due_at) < now.getTime());
    expect(overdue.length / open.length).toBeGreaterThan(0.25);
    expect(overdue.length / open.length).toBeLessThan(0.45);
    for (const r of overdue) {
      expect(now.getTime() - time(r.created_at)).toBeGreaterThanOrEqual(6 * day);
      expect(now.getTime() - time(r.created_at)).toBeLessThanOrEqual(12 * day);
    }
  });

  it('When a case moved on after an RFI, then its closed RFI has an answer with real files the sandbox received', () => {
    const closed = demo.rfis.filter((r) => r.origin === 'provider' && r.status === 'closed');
    const byApp = new Map(demo.applications.map((a) => [a.id, a]));
    expect(closed.filter((r) => byApp.get(r.application_id)?.provider === 'fin').length).toBeGreaterThan(0);
    expect(closed.filter((r) => byApp.get(r.application_id)?.provider === 'kyc').length).toBeGreaterThan(0);
    for (const rfi of closed) {
      const app = byApp.get(rfi.application_id);
      expect(['APPROVED', 'ACTIVE']).toContain(app?.provider_status);
      expect(time(rfi.closed_at)).toBeGreaterThan(time(rfi.created_at));
      const answer = demo.rfiAnswers.find((a) => a.rfi_id === rfi.id);
      if (!answer) continue; // resolved by a resubmitted document instead
      const documents = demo.rfiAnswerDocuments.filter((d) => d.answer_id === answer.id);
      expect(documents.length).toBeGreaterThan(0);
      for (const d of documents) {
        expect(createHash('sha256').update(d.bytes).digest('hex')).toBe(d.sha256);
        if (d.content_type === 'application/pdf') expect(d.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        else expect(d.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
        if (app?.provider === 'kyc') expect(d.size_bytes).toBeGreaterThanOrEqual(100 * 1024);
        if (app?.provider === 'fin')
          expect(
            demo.fin.files.some((f) => f.sha256 === d.sha256 && f.customer_id === app.provider_application_id),
          ).toBe(true);
      }
      const fields = JSON.parse(answer.field_values) as Record<string, string>;
      const fieldKeys = itemsOf(demo, rfi.id)
        .filter((i) => i.kind === 'field')
        .map((i) => i.key);
      expect(Object.keys(fields).sort()).toEqual(fieldKeys.sort());
      expect(demo.providerActions.some((p) => p.rfi_answer_id === answer.id && p.state === 'done')).toBe(true);
      if (app?.provider === 'fin') {
        const sandbox = demo.fin.rfis.find((r) => r.id === rfi.provider_rfi_id);
        expect(sandbox?.status).toBe('ANSWERED');
        expect(sandbox?.answer?.fields['basic_info.phone']).toBe(fields['basic_info.phone']);
      }
    }
    for (const row of demo.kyc.filter((c) => c.status === 'ACTIVE')) {
      expect(row.kyc_data.documents?.some((d) => d.type === 'PASSPORT')).toBe(true);
      expect([row.rfi_count, row.review_round]).toEqual([1, 2]);
    }
  });

  it('When internal RFIs are made, then they sit on the open Jiko cases given, in every state, some overdue and assigned to staff', () => {
    const internal = demo.rfis.filter((r) => r.origin === 'internal');
    const jikoIds = new Set(jikoCases.map((c) => c.id));
    expect(internal.every((r) => jikoIds.has(r.application_id) && r.provider_rfi_id === null)).toBe(true);
    expect(new Set(internal.map((r) => r.application_id)).size).toBe(internal.length);
    expect(new Set(internal.map((r) => r.status))).toEqual(new Set(['open', 'answered', 'closed']));
    expect(internal.some((r) => r.status === 'open' && time(r.due_at) < now.getTime())).toBe(true);
    expect(internal.some((r) => r.status === 'open' && time(r.due_at) > now.getTime())).toBe(true);
    for (const r of internal.filter((x) => x.status !== 'open'))
      expect(demo.rfiAnswers.some((a) => a.rfi_id === r.id)).toBe(true);
    for (const r of internal)
      expect(time(r.created_at)).toBeGreaterThan(time(jikoCases.find((c) => c.id === r.application_id)?.created_at));
    const staffIds = new Set(staff.map((s) => s.id));
    expect(demo.rfis.filter((r) => r.assignee_id !== null && staffIds.has(r.assignee_id ?? '')).length).toBeGreaterThan(
      5,
    );
    expect(
      generateProviderDemo({ ...ctx, jikoCases: [], staff: [] }).rfis.every(
        (r) => r.origin === 'provider' && r.assignee_id === null,
      ),
    ).toBe(true);
  });

  it('When ids are drawn, then none repeats across rows and providers', () => {
    const ids = [
      ...demo.customers.map((c) => c.id),
      ...demo.applications.map((a) => a.id),
      ...demo.applications.map((a) => a.provider_application_id),
      ...demo.rfis.map((r) => r.id),
      ...demo.fin.files.map((f) => f.uri),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('When demo files are made, then the PDF cross-references and the PNG chunks are well formed', () => {
    const pdf = demoPdf(['Passport (scan)', 'Second line']).toString('latin1');
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...pdf.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    for (const [i, offset] of offsets.entries()) {
      expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    }

    const png = demoPng(30, 20, [100, 150, 200]);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([30, 20]);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('latin1')).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe((1 + 30 * 3) * 20);
    expect(demoPng(240, 160, [1, 2, 3], true).length).toBeGreaterThan(100 * 1024);
  });
});
