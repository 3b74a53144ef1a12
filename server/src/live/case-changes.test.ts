import { describeCaseEvent } from '@desk/shared';
import { describe, expect, it } from 'vitest';
import { actorOf, describeChange } from './case-changes.js';

describe('case changes in words', () => {
  it('When the stage moves, then the change names both stages; when only the status moves, both statuses', () => {
    const base = { source: 'provider_webhook', requestedBy: null, reason: null };
    expect(
      describeChange(
        'application.status_changed',
        { ...base, from: 'MANUAL_REVIEW', to: 'REJECTED', fromStage: 'manual_review', toStage: 'rejected' },
        null,
      ),
    ).toBe('Stage changed from Manual review to Rejected');
    expect(
      describeChange(
        'application.status_changed',
        { ...base, from: 'CREATED', to: 'SUBMITTED', fromStage: 'provider_review', toStage: 'provider_review' },
        null,
      ),
    ).toBe('Provider status changed from CREATED to SUBMITTED');
  });

  it('When a case is assigned, unassigned or given an outcome, then the words say to whom or which', () => {
    expect(describeChange('application.assigned', { from: null, to: 'x' }, 'Ana')).toBe('Case assigned to Ana');
    expect(describeChange('application.assigned', { from: 'x', to: null }, null)).toBe('Case unassigned');
    expect(
      describeChange(
        'application.outcome_recorded',
        { outcome: 'cleared', reasonCode: 'documents_verified', resolvesEscalation: false },
        null,
      ),
    ).toBe('Review outcome recorded: Cleared');
  });

  it('When a provider changes flags, documents or RFIs without the status, then the words name each change', () => {
    const none = {
      source: 'provider_poll',
      flagsRaised: [],
      flagsCleared: [],
      documentsListed: [],
      documentsChanged: [],
      rfiOpened: false,
      rfisClosed: 0,
      requirementsChanged: false,
      providerCustomerIdChanged: false,
    };
    expect(
      describeChange('application.provider_update_applied', { ...none, flagsRaised: ['idVerification'] }, null),
    ).toBe('ID verification flag raised');
    expect(
      describeChange(
        'application.provider_update_applied',
        {
          ...none,
          flagsCleared: ['idVerification', 'addressVerification'],
          documentsListed: [{ type: 'ADDRESS_VERIFICATION', status: 'PENDING_UPLOAD' }],
          documentsChanged: [{ documentId: 'd', type: 'PASSPORT', from: 'UPLOADED', to: 'REJECTED' }],
          rfiOpened: true,
          rfisClosed: 2,
        },
        null,
      ),
    ).toBe(
      'ID verification and Address verification flags cleared, Address verification requested, Passport rejected, an RFI opened, 2 RFIs closed',
    );
  });

  it('When a provider refuses an RFI answer, then the words name the version and leave the provider to the actor', () => {
    const data = { answerId: 'a', version: 2, deliveryActionId: 'd', fields: ['basic_info.phone'] };
    expect(describeChange('rfi.answer_refused', data, null)).toBe('RFI answer 2 refused');
    expect(
      describeCaseEvent({
        change: describeChange('rfi.answer_refused', data, null),
        by: actorOf('provider:fin', null, null),
      }),
    ).toBe('RFI answer 2 refused by Fin.com');
  });

  it("When an action's data is not of its shape, then the catalogue's label is used", () => {
    expect(describeChange('application.status_changed', { from: 1 }, null)).toBe('Provider status changed');
    expect(describeChange('application.claimed', {}, null)).toBe('Case claimed');
  });

  it('When the actor is a member, a provider or the desk, then it reads as their name', () => {
    expect(actorOf('ana@desk', 'id-1', 'Ana')).toEqual({ kind: 'staff', name: 'Ana', staffId: 'id-1' });
    expect(actorOf('provider:fin', null, null)).toEqual({ kind: 'provider', name: 'Fin.com', staffId: null });
    expect(actorOf('provider:nobody', null, null)).toEqual({ kind: 'system', name: 'the desk', staffId: null });
    expect(actorOf('system', null, null)).toEqual({ kind: 'system', name: 'the desk', staffId: null });
  });
});
