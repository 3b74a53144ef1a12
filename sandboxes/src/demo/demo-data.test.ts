import { documentStatuses, jikoStatuses, stageOf } from '@desk/shared';
import { describe, expect, it } from 'vitest';
import { demoAgreements, demoStaff, generateBatch } from './demo-data.js';

const now = new Date('2026-11-01T12:00:00Z');
const ctx = { seed: 42, now, staff: demoStaff(42), agreements: demoAgreements(now) };

describe('demo data', () => {
  const batch = generateBatch(ctx, 0, 600);

  it('When generated twice with the same seed, then the data is identical, whatever the batch size', () => {
    const again = [generateBatch(ctx, 0, 250), generateBatch(ctx, 250, 350)];
    expect(again.flatMap((b) => b.applications)).toEqual(batch.applications);
    expect(again.flatMap((b) => b.history)).toEqual(batch.history);
  });

  it('When 600 applications are made, then every Jiko status and every document status appears', () => {
    expect(new Set(batch.applications.map((a) => a.provider_status))).toEqual(new Set(jikoStatuses));
    expect(new Set(batch.documents.map((d) => d.status))).toEqual(new Set(documentStatuses));
  });

  it('When cases need documents, then every combination of raised flags appears', () => {
    const combos = new Set(
      batch.applications
        .filter((a) => a.provider_status === 'DOCUMENTS_NEEDED')
        .map(
          (a) =>
            `${a.flag_id_verification}/${a.flag_identification_number_verification}/${a.flag_address_verification}`,
        ),
    );
    expect(combos.size).toBe(7);
    const flagged = batch.applications.filter(
      (a) => a.flag_id_verification || a.flag_identification_number_verification || a.flag_address_verification,
    );
    expect(flagged.every((a) => a.provider_status === 'DOCUMENTS_NEEDED')).toBe(true);
  });

  it('When histories are read in order, then each starts at CREATED, chains from → to, and ends at the current status', () => {
    for (const app of batch.applications) {
      const history = batch.history.filter((h) => h.application_id === app.id);
      expect(history[0]?.from_status).toBeNull();
      expect(history[0]?.to_status).toBe('CREATED');
      for (let i = 1; i < history.length; i++) {
        expect(history[i]?.from_status).toBe(history[i - 1]?.to_status);
        expect(new Date(history[i]?.at ?? 0).getTime()).toBeGreaterThanOrEqual(
          new Date(history[i - 1]?.at ?? 0).getTime(),
        );
      }
      expect(history.at(-1)?.to_status).toBe(app.provider_status);
      expect(app.stage).toBe(stageOf('jiko', app.provider_status));
    }
  });

  it('When the sandbox table decides, then prefixes lead where the guide says', () => {
    const customers = new Map(batch.customers.map((c) => [c.id, c.identificationNumber]));
    for (const app of batch.applications) {
      const ssn = customers.get(app.customer_id) ?? '';
      if (app.provider_status === 'APPROVED')
        expect(ssn[0] === '4' || (ssn[0] === '2' && ssn[2] !== '1') || /^[370]/.test(ssn)).toBe(true);
      if (app.provider_status === 'DOCUMENTS_NEEDED' || app.provider_status === 'PENDING') expect(ssn[0]).toBe('2');
      if (app.provider_customer_id) expect(app.provider_status).toBe('APPROVED');
    }
  });

  it('When consent is recorded, then several agreement versions appear and some were already superseded', () => {
    expect(new Set(batch.applications.map((a) => a.agreement_version)).size).toBeGreaterThanOrEqual(3);
  });

  it('When many applications are generated, then no id is ever repeated', () => {
    const many = generateBatch(ctx, 0, 20_000);
    const ids = [
      ...many.customers.map((c) => c.id),
      ...many.applications.map((a) => a.id),
      ...many.applications.map((a) => a.provider_application_id),
      ...many.documents.map((d) => d.provider_document_id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
