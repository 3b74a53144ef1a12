import { describe, expect, it } from 'vitest';
import {
  afterUpload,
  applyOutcome,
  isStillRequested,
  noFlags,
  requestedDocumentTypes,
  resolveRefusal,
} from './sandbox-rules.js';

const flags = (id: boolean, number: boolean, address: boolean) => ({
  idVerification: id,
  identificationNumberVerification: number,
  addressVerification: address,
});

describe('Jiko sandbox table', () => {
  it.each([
    ['210000000', 'DOCUMENTS_NEEDED', flags(true, false, false)],
    ['220000000', 'DOCUMENTS_NEEDED', flags(false, true, false)],
    ['230000000', 'DOCUMENTS_NEEDED', flags(false, false, true)],
    ['240000000', 'DOCUMENTS_NEEDED', flags(true, true, false)],
    ['200000000', 'DOCUMENTS_NEEDED', flags(true, true, true)],
    ['270000000', 'DOCUMENTS_NEEDED', flags(true, true, true)],
    ['300000000', 'MANUAL_REVIEW', noFlags],
    ['400000000', 'APPROVED', noFlags],
    ['500000000', 'REJECTED', noFlags],
    ['999999999', 'MANUAL_REVIEW', noFlags],
    ['100000000', 'MANUAL_REVIEW', noFlags],
  ] as const)('When %s applies from CREATED, then it goes %s', (ssn, status, expected) => {
    expect(applyOutcome(ssn, 'CREATED')).toEqual({ ok: true, status, flags: expected });
  });

  it('When a 2*1 number re-applies from PENDING, then it goes to manual review; any other 2** is approved', () => {
    expect(applyOutcome('211000000', 'PENDING')).toMatchObject({ ok: true, status: 'MANUAL_REVIEW' });
    expect(applyOutcome('231999999', 'PENDING')).toMatchObject({ ok: true, status: 'MANUAL_REVIEW' });
    expect(applyOutcome('212000000', 'PENDING')).toMatchObject({ ok: true, status: 'APPROVED' });
    expect(applyOutcome('240000000', 'PENDING')).toMatchObject({ ok: true, status: 'APPROVED' });
  });

  it.each(['SUBMITTED', 'DOCUMENTS_NEEDED', 'MANUAL_REVIEW', 'APPROVED', 'REJECTED'] as const)(
    'When the application is %s, then apply is refused with a reason',
    (status) => {
      const outcome = applyOutcome('400000000', status);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.reason.length).toBeGreaterThan(10);
    },
  );

  it('When the last raised flag clears, then DOCUMENTS_NEEDED becomes PENDING on its own', () => {
    const start = flags(true, true, false);
    const partial = afterUpload('DOCUMENTS_NEEDED', start, ['ID_FRONT', 'ID_BACK', 'SELFIE']);
    expect(partial).toEqual({ status: 'DOCUMENTS_NEEDED', flags: flags(false, true, false) });
    const done = afterUpload('DOCUMENTS_NEEDED', partial.flags, ['IDENTIFICATION_NUMBER_VERIFICATION']);
    expect(done).toEqual({ status: 'PENDING', flags: noFlags });
  });

  it('When a document arrives outside DOCUMENTS_NEEDED, then the status does not move', () => {
    expect(afterUpload('MANUAL_REVIEW', noFlags, ['OTHER'])).toEqual({ status: 'MANUAL_REVIEW', flags: noFlags });
  });

  it('When flags are raised, then one document per requirement is listed, SELFIE standing for SELFIE or PASSPORT', () => {
    expect(requestedDocumentTypes(flags(true, true, true))).toEqual([
      'ID_FRONT',
      'ID_BACK',
      'SELFIE',
      'IDENTIFICATION_NUMBER_VERIFICATION',
      'ADDRESS_VERIFICATION',
    ]);
    expect(requestedDocumentTypes(flags(false, false, true))).toEqual(['ADDRESS_VERIFICATION']);
    expect(requestedDocumentTypes(noFlags)).toEqual([]);
  });

  it('When a PASSPORT arrives, then the listed SELFIE is no longer requested while ID_BACK still is', () => {
    const raised = flags(true, false, false);
    expect(isStillRequested('SELFIE', raised, ['ID_FRONT'])).toBe(true);
    expect(isStillRequested('SELFIE', raised, ['ID_FRONT', 'PASSPORT'])).toBe(false);
    expect(isStillRequested('ID_BACK', raised, ['ID_FRONT', 'PASSPORT'])).toBe(true);
    expect(isStillRequested('ADDRESS_VERIFICATION', raised, [])).toBe(false);
  });

  it('When an operator resolves, then only MANUAL_REVIEW is accepted', () => {
    expect(resolveRefusal('MANUAL_REVIEW')).toBeNull();
    for (const status of ['CREATED', 'SUBMITTED', 'DOCUMENTS_NEEDED', 'PENDING', 'APPROVED', 'REJECTED'] as const) {
      expect(resolveRefusal(status)).toMatch(/MANUAL_REVIEW/);
    }
  });
});
