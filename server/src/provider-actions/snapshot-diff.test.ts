import { describe, expect, it } from 'vitest';
import type { ProviderRfi, ProviderSnapshot } from '../providers/provider-adapter.js';
import { diffSnapshot, type ProviderAnswer, type StoredCase } from './snapshot-diff.js';

const observedBefore = new Date('2026-03-01T10:00:00Z');
const observedNow = new Date('2026-03-02T09:00:00Z');
const now = new Date('2026-03-02T09:00:01Z');
const noFlags = { idVerification: false, identificationNumberVerification: false, addressVerification: false };

function stored(overrides: Partial<StoredCase> = {}): StoredCase {
  return {
    application: {
      id: 'app-1',
      provider: 'fin',
      providerStatus: 'REVIEWING',
      stage: 'provider_review',
      flags: noFlags,
      providerCustomerId: 'cus-1',
      providerObservedAt: observedBefore,
      requirements: [],
    },
    documents: [{ id: 'doc-1', type: 'PASSPORT', status: 'UPLOADED', providerDocumentId: 'pd-1' }],
    providerRfis: [],
    ...overrides,
  };
}

/** What the provider says when nothing changed since `stored()`. */
function snapshot(overrides: Partial<ProviderSnapshot> = {}): ProviderSnapshot {
  return {
    providerApplicationId: 'fin-app-1',
    status: 'REVIEWING',
    flags: noFlags,
    providerCustomerId: 'cus-1',
    documents: [{ providerDocumentId: 'pd-1', type: 'PASSPORT', status: 'UPLOADED' }],
    requirements: [],
    rfi: null,
    ...overrides,
  };
}

function answer(snap: ProviderSnapshot, overrides: Partial<Omit<ProviderAnswer, 'snapshot'>> = {}): ProviderAnswer {
  return { snapshot: snap, observedAt: observedNow, source: 'provider_webhook', actorId: null, ...overrides };
}

function rfi(id: string): ProviderRfi {
  return {
    providerRfiId: id,
    title: 'More information',
    raisedAt: new Date('2026-03-02T08:00:00Z'),
    dueAt: null,
    items: [
      {
        kind: 'field',
        key: 'personal.occupation',
        label: 'Occupation',
        section: null,
        reason: null,
        note: null,
        format: 'latin_text',
      },
    ],
  };
}

/** The diff of an answer that is not stale (fails the test otherwise). */
function writesOf(diff: ReturnType<typeof diffSnapshot>) {
  if (diff.stale) throw new Error('expected the answer to apply');
  return diff;
}

describe('diffSnapshot', () => {
  it('When nothing changed, then only the observation is recorded', () => {
    const diff = writesOf(diffSnapshot(stored(), answer(snapshot()), now));
    expect(diff).toEqual({
      stale: false,
      applicationId: 'app-1',
      at: now,
      observation: { observedAt: observedNow, requirements: [] },
      application: null,
      statusChange: null,
      documents: { add: [], setStatus: [] },
      rfi: null,
      update: null,
    });
  });

  it('When the answer was asked for before the last one applied, then it is stale and changes nothing', () => {
    const older = new Date(observedBefore.getTime() - 1);
    expect(diffSnapshot(stored(), answer(snapshot({ status: 'APPROVED' }), { observedAt: older }), now)).toEqual({
      stale: true,
    });
  });

  it('When the answer was asked for at the same instant as the last one, or the case was never observed, then it applies', () => {
    expect(diffSnapshot(stored(), answer(snapshot(), { observedAt: observedBefore }), now).stale).toBe(false);
    const neverObserved = stored();
    neverObserved.application.providerObservedAt = null;
    expect(diffSnapshot(neverObserved, answer(snapshot(), { observedAt: new Date(0) }), now).stale).toBe(false);
  });

  it('When the status changes, then a history row names its source and the stage moves with the fields', () => {
    const diff = writesOf(
      diffSnapshot(
        stored(),
        answer(snapshot({ status: 'ACTION_REQUIRED' }), {
          source: 'provider_response',
          actorId: 'staff-1',
          reason: 'asked',
        }),
        now,
      ),
    );
    expect(diff.statusChange).toEqual({
      fromStatus: 'REVIEWING',
      toStatus: 'ACTION_REQUIRED',
      fromStage: 'provider_review',
      toStage: 'needs_documents',
      at: now,
      source: 'provider_response',
      actorId: 'staff-1',
      reason: 'asked',
    });
    expect(diff.application).toEqual({
      providerStatus: 'ACTION_REQUIRED',
      stage: 'needs_documents',
      flags: noFlags,
      providerCustomerId: 'cus-1',
      stageEnteredAt: now,
    });
  });

  it('When the status changes without a reason, then the history row has none', () => {
    const diff = writesOf(diffSnapshot(stored(), answer(snapshot({ status: 'APPROVED' })), now));
    expect(diff.statusChange?.reason).toBeNull();
    expect(diff.statusChange?.source).toBe('provider_webhook');
    expect(diff.application?.stage).toBe('approved');
  });

  it('When only a flag is raised, then the fields change (and the version with them) without a history row', () => {
    const flags = { ...noFlags, addressVerification: true };
    const diff = writesOf(diffSnapshot(stored(), answer(snapshot({ flags })), now));
    expect(diff.statusChange).toBeNull();
    expect(diff.application).toEqual({
      providerStatus: 'REVIEWING',
      stage: 'provider_review',
      flags,
      providerCustomerId: 'cus-1',
      stageEnteredAt: null,
    });
  });

  it('When each flag is cleared in turn, then each one alone is a change', () => {
    const allRaised = { idVerification: true, identificationNumberVerification: true, addressVerification: true };
    const base = stored();
    base.application.flags = allRaised;
    for (const flag of Object.keys(allRaised) as (keyof typeof allRaised)[]) {
      const diff = writesOf(diffSnapshot(base, answer(snapshot({ flags: { ...allRaised, [flag]: false } })), now));
      expect(diff.application?.flags[flag]).toBe(false);
    }
    expect(writesOf(diffSnapshot(base, answer(snapshot({ flags: allRaised })), now)).application).toBeNull();
  });

  it("When the provider's customer id appears, then the fields change", () => {
    const base = stored();
    base.application.providerCustomerId = null;
    const diff = writesOf(diffSnapshot(base, answer(snapshot({ providerCustomerId: 'cus-9' })), now));
    expect(diff.application?.providerCustomerId).toBe('cus-9');
    expect(diff.statusChange).toBeNull();
  });

  it('When the provider asks for something, then its words are recorded with the observation', () => {
    const requirements = ['Proof of address', 'Occupation'];
    const diff = writesOf(diffSnapshot(stored(), answer(snapshot({ requirements })), now));
    expect(diff.observation).toEqual({ observedAt: observedNow, requirements });
    expect(diff.application).toBeNull();
  });

  it('When the provider lists a document the desk does not hold, then it is added without a file', () => {
    const documents: ProviderSnapshot['documents'] = [
      { providerDocumentId: 'pd-1', type: 'PASSPORT', status: 'UPLOADED' },
      { providerDocumentId: 'pd-2', type: 'ADDRESS_VERIFICATION', status: 'PENDING_UPLOAD' },
    ];
    const diff = writesOf(diffSnapshot(stored(), answer(snapshot({ documents })), now));
    expect(diff.documents).toEqual({
      add: [{ providerDocumentId: 'pd-2', type: 'ADDRESS_VERIFICATION', status: 'PENDING_UPLOAD' }],
      setStatus: [],
    });
  });

  it('When the provider reports another status for a document it knows, then the desk takes it', () => {
    const documents: ProviderSnapshot['documents'] = [
      { providerDocumentId: 'pd-1', type: 'PASSPORT', status: 'REJECTED' },
    ];
    const diff = writesOf(diffSnapshot(stored(), answer(snapshot({ documents })), now));
    expect(diff.documents).toEqual({ add: [], setStatus: [{ id: 'doc-1', status: 'REJECTED' }] });
  });

  it('When the provider no longer lists a document, then the desk keeps it as it is (nothing is removed)', () => {
    const held = stored({
      documents: [
        { id: 'doc-1', type: 'PASSPORT', status: 'UPLOADED', providerDocumentId: 'pd-1' },
        { id: 'doc-2', type: 'ADDRESS_VERIFICATION', status: 'ACCEPTED', providerDocumentId: 'pd-2' },
      ],
    });
    const diff = writesOf(diffSnapshot(held, answer(snapshot({ documents: [] })), now));
    expect(diff.documents).toEqual({ add: [], setStatus: [] });
  });

  it('When the provider opens an RFI the desk does not have, then it is created and nothing closes', () => {
    const open = rfi('rfi-1');
    const diff = writesOf(diffSnapshot(stored(), answer(snapshot({ status: 'ON_HOLD', rfi: open })), now));
    expect(diff.rfi).toEqual({ open, create: open, close: [] });
    expect(diff.statusChange?.toStage).toBe('rfi');
  });

  it('When the provider still reports the RFI the desk holds (open or answered), then the RFIs do not change', () => {
    for (const status of ['open', 'answered'] as const) {
      const held = stored({ providerRfis: [{ providerRfiId: 'rfi-1', status }] });
      expect(writesOf(diffSnapshot(held, answer(snapshot({ rfi: rfi('rfi-1') })), now)).rfi).toBeNull();
    }
  });

  it('When the provider stops reporting an RFI the desk holds open or answered, then it closes', () => {
    const held = stored({
      providerRfis: [
        { providerRfiId: 'rfi-1', status: 'answered' },
        { providerRfiId: 'rfi-2', status: 'open' },
        { providerRfiId: 'rfi-0', status: 'closed' },
      ],
    });
    const diff = writesOf(diffSnapshot(held, answer(snapshot()), now));
    expect(diff.rfi).toEqual({ open: null, create: null, close: ['rfi-1', 'rfi-2'] });
  });

  it('When the provider moves on to a new RFI, then the old one closes and the new one is created', () => {
    const held = stored({ providerRfis: [{ providerRfiId: 'rfi-1', status: 'answered' }] });
    const next = rfi('rfi-2');
    const diff = writesOf(diffSnapshot(held, answer(snapshot({ rfi: next })), now));
    expect(diff.rfi).toEqual({ open: next, create: next, close: ['rfi-1'] });
  });

  it('When the provider reports an RFI the desk has already closed, then it is not created again', () => {
    const held = stored({ providerRfis: [{ providerRfiId: 'rfi-1', status: 'closed' }] });
    expect(writesOf(diffSnapshot(held, answer(snapshot({ rfi: rfi('rfi-1') })), now)).rfi).toBeNull();
  });

  it('When the provider answers with a status that is not its own, then the diff refuses it', () => {
    expect(() => diffSnapshot(stored(), answer(snapshot({ status: 'MANUAL_REVIEW' })), now)).toThrow(
      'fin status MANUAL_REVIEW has no stage',
    );
  });

  it('When the same inputs are diffed twice, then the results are equal and the inputs untouched', () => {
    const held = stored({ providerRfis: [{ providerRfiId: 'rfi-1', status: 'open' }] });
    const said = answer(snapshot({ status: 'ACTION_REQUIRED', rfi: rfi('rfi-2') }));
    const before = structuredClone({ held, said });
    const first = diffSnapshot(held, said, now);
    expect(diffSnapshot(held, said, now)).toEqual(first);
    expect({ held, said }).toEqual(before);
  });
  it('When only the status changes, then there is nothing else to sum up for the trail', () => {
    const diff = writesOf(diffSnapshot(stored(), answer(snapshot({ status: 'APPROVED' })), now));
    expect(diff.statusChange).not.toBeNull();
    expect(diff.update).toBeNull();
  });

  it('When flags, documents, RFIs and what the provider asks for change, then the trail is told which, without values', () => {
    const held = stored({ providerRfis: [{ providerRfiId: 'rfi-0', status: 'open' }] });
    const diff = writesOf(
      diffSnapshot(
        held,
        answer(
          snapshot({
            flags: { ...noFlags, idVerification: true },
            documents: [
              { providerDocumentId: 'pd-1', type: 'PASSPORT', status: 'REJECTED' },
              { providerDocumentId: 'pd-2', type: 'ADDRESS_VERIFICATION', status: 'PENDING_UPLOAD' },
            ],
            rfi: rfi('rfi-1'),
            requirements: ['Proof of address'],
          }),
        ),
        now,
      ),
    );
    expect(diff.update).toEqual({
      flagsRaised: ['idVerification'],
      flagsCleared: [],
      documentsListed: [{ type: 'ADDRESS_VERIFICATION', status: 'PENDING_UPLOAD' }],
      documentsChanged: [{ documentId: 'doc-1', type: 'PASSPORT', from: 'UPLOADED', to: 'REJECTED' }],
      rfiOpened: true,
      rfisClosed: 1,
      requirementsChanged: true,
      providerCustomerIdChanged: false,
    });
  });

  it('When the case was never observed (its creation), then nothing is summed up for the trail', () => {
    const neverObserved = stored();
    neverObserved.application.providerObservedAt = null;
    const diff = writesOf(
      diffSnapshot(neverObserved, answer(snapshot({ flags: { ...noFlags, addressVerification: true } })), now),
    );
    expect(diff.application?.flags.addressVerification).toBe(true);
    expect(diff.update).toBeNull();
  });
});
