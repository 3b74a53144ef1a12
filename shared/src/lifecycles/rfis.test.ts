import { describe, expect, it } from 'vitest';
import { rfiOrigins, rfiStatuses } from '../rfis.js';
import {
  answerableRfiStatuses,
  awaitsProviderReview,
  canTransitionRfi,
  isAnswerableRfi,
  isOpenRfi,
  isOverdueRfi,
  isRefusedRfi,
  openRfiStatuses,
  rfiCloseRefusal,
  rfiCloseRefusalMessage,
  rfiCloseRefusals,
  rfiStatusesBefore,
  rfiStatusesClosableBy,
} from './rfis.js';

describe('the RFI lifecycle', () => {
  it('When an RFI moves, then an answer may be refused and answered again, and anything open may close', () => {
    const allowed = rfiStatuses.flatMap((from) =>
      rfiStatuses.filter((to) => canTransitionRfi(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'open→answered',
      'open→closed',
      'answered→refused',
      'answered→closed',
      'refused→answered',
      'refused→closed',
    ]);
  });

  it('When an RFI is closed, then nothing follows and no status repeats itself', () => {
    for (const to of rfiStatuses) expect(canTransitionRfi('closed', to)).toBe(false);
    for (const status of rfiStatuses) expect(canTransitionRfi(status, status)).toBe(false);
  });

  it('When the open and answerable statuses are listed, then they follow from the moves', () => {
    expect(openRfiStatuses).toEqual(['open', 'answered', 'refused']);
    expect(answerableRfiStatuses).toEqual(['open', 'refused']);
    expect(rfiStatusesBefore('refused')).toEqual(['answered']);
    expect(rfiStatusesBefore('open')).toEqual([]);
    expect(rfiStatuses.filter(isOpenRfi)).toEqual(openRfiStatuses);
    expect(rfiStatuses.filter(isAnswerableRfi)).toEqual(answerableRfiStatuses);
  });

  it('When an RFI is past its due time, then it is overdue only while it waits for its answer', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    const past = new Date('2026-01-10T11:59:59Z');
    expect(isOverdueRfi({ status: 'open', dueAt: past }, now)).toBe(true);
    expect(isOverdueRfi({ status: 'open', dueAt: now }, now)).toBe(false);
    expect(isOverdueRfi({ status: 'refused', dueAt: past }, now)).toBe(true);
    expect(isOverdueRfi({ status: 'answered', dueAt: past }, now)).toBe(false);
    expect(isOverdueRfi({ status: 'closed', dueAt: past }, now)).toBe(false);
  });

  it('When staff close an RFI, then a provider RFI stays open until the provider moves on, and a closed one stays closed', () => {
    expect(rfiCloseRefusal({ origin: 'provider', status: 'open' }, 'staff')).toBe('awaiting_answer');
    expect(rfiCloseRefusal({ origin: 'provider', status: 'refused' }, 'staff')).toBe('awaiting_answer');
    expect(rfiCloseRefusal({ origin: 'provider', status: 'answered' }, 'staff')).toBe('awaiting_provider');
    expect(rfiCloseRefusal({ origin: 'internal', status: 'open' }, 'staff')).toBeNull();
    expect(rfiCloseRefusal({ origin: 'internal', status: 'answered' }, 'staff')).toBeNull();
    for (const origin of rfiOrigins)
      expect(rfiCloseRefusal({ origin, status: 'closed' }, 'staff')).toBe('already_closed');
  });

  it('When the provider moves on, then it closes its own open RFIs, answered, refused or not, and never an internal one', () => {
    expect(rfiStatusesClosableBy('provider', 'provider')).toEqual(['open', 'answered', 'refused']);
    expect(rfiStatusesClosableBy('provider', 'internal')).toEqual([]);
    expect(rfiStatusesClosableBy('staff', 'provider')).toEqual([]);
    expect(rfiStatusesClosableBy('staff', 'internal')).toEqual(['open', 'answered', 'refused']);
    expect(rfiCloseRefusal({ origin: 'internal', status: 'open' }, 'provider')).toBe('not_the_providers');
  });

  it('When whatever closes an RFI is allowed to, then the move to closed is allowed too', () => {
    for (const origin of rfiOrigins)
      for (const closer of ['staff', 'provider'] as const)
        for (const status of rfiStatusesClosableBy(closer, origin))
          expect(canTransitionRfi(status, 'closed')).toBe(true);
  });

  it('When a provider RFI is answered, then it awaits the provider; otherwise it does not', () => {
    expect(awaitsProviderReview({ origin: 'provider', status: 'answered' })).toBe(true);
    expect(awaitsProviderReview({ origin: 'provider', status: 'open' })).toBe(false);
    expect(awaitsProviderReview({ origin: 'provider', status: 'refused' })).toBe(false);
    expect(isRefusedRfi({ status: 'refused' })).toBe(true);
    expect(isRefusedRfi({ status: 'answered' })).toBe(false);
    expect(awaitsProviderReview({ origin: 'provider', status: 'closed' })).toBe(false);
    expect(awaitsProviderReview({ origin: 'internal', status: 'answered' })).toBe(false);
  });

  it('When staff may not close an RFI, then the reason is said in words, naming the provider whose RFI stays open', () => {
    for (const refusal of rfiCloseRefusals) expect(rfiCloseRefusalMessage(refusal, 'Fin.com')).not.toBe('');
    expect(rfiCloseRefusalMessage('awaiting_answer', 'Fin.com')).toMatch(/^Fin\.com's RFI is still open/);
    expect(rfiCloseRefusalMessage('awaiting_provider', 'Fin.com')).toMatch(/answer is with Fin\.com/);
  });
});
