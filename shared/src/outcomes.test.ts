import { describe, expect, it } from 'vitest';
import { type CaseOpenFacts, openReviewItems, openReviewItemsByKind, outcomeNeedsSettledCase } from './outcomes.js';

const noFlags = { idVerification: false, identificationNumberVerification: false, addressVerification: false };
const settled: CaseOpenFacts = { flags: noFlags, documents: [], rfis: [], providerActions: [] };

describe('open review items', () => {
  it('When nothing is raised, awaited, asked or on its way, then nothing is open', () => {
    expect(
      openReviewItems({
        flags: noFlags,
        documents: [{ id: 'd1', type: 'ID_FRONT', status: 'ACCEPTED' }],
        rfis: [{ id: 'r1', origin: 'internal', status: 'closed', title: 'Payslip' }],
        providerActions: [
          { id: 'a1', kind: 'reapply', state: 'done', gaveUp: false },
          // Given up: nothing happens to it on its own any more (a person may retry it).
          { id: 'a2', kind: 'refresh', state: 'failed', gaveUp: true },
        ],
      }),
    ).toEqual([]);
  });

  it('When flags are raised, a document is awaited, RFIs are open and actions pending, then each is listed, by kind', () => {
    const items = openReviewItems({
      ...settled,
      flags: { ...noFlags, idVerification: true },
      documents: [
        { id: 'd1', type: 'SELFIE', status: 'PENDING_UPLOAD' },
        { id: 'd2', type: 'ID_FRONT', status: 'UPLOADED' },
      ],
      rfis: [
        { id: 'r1', origin: 'provider', status: 'open', title: 'Phone number' },
        { id: 'r2', origin: 'provider', status: 'answered', title: 'Employer' },
      ],
      providerActions: [
        { id: 'a1', kind: 'upload_document', state: 'queued', gaveUp: false },
        { id: 'a2', kind: 'reapply', state: 'failed', gaveUp: false },
      ],
    });
    expect(items.map((item) => [item.kind, item.id, item.label])).toEqual([
      ['flag', 'idVerification', 'ID verification flag raised'],
      ['document', 'd1', 'Selfie awaited by the provider'],
      ['rfi', 'r1', 'RFI “Phone number” waits for its answer'],
      ['rfi', 'r2', 'RFI “Employer” answered, not closed'],
      ['providerAction', 'a1', 'Upload document — queued'],
      ['providerAction', 'a2', 'Re-apply — retrying'],
    ]);
    expect(openReviewItemsByKind(items).map(([kind, labels]) => [kind, labels.length])).toEqual([
      ['flag', 1],
      ['document', 1],
      ['rfi', 2],
      ['providerAction', 2],
    ]);
  });

  it('When an outcome clears the case, then it needs a settled case; escalating and recommending a reject do not', () => {
    expect(outcomeNeedsSettledCase).toEqual({ cleared: true, escalated: false, recommend_reject: false });
  });
});
