import { describe, expect, it } from 'vitest';
import { rfiOrigins, rfiStatuses } from '../rfis.js';
import {
  answerableRfiStatuses,
  awaitsProviderReview,
  canTransitionRfi,
  isAnswerableRfi,
  isOpenRfi,
  isOverdueRfi,
  openRfiStatuses,
  rfiCloseRefusal,
  rfiStatusesBefore,
  rfiStatusesClosableBy,
} from './rfis.js';

describe('the RFI lifecycle', () => {
  it('When an RFI moves, then only open → answered, open → closed and answered → closed are allowed', () => {
    const allowed = rfiStatuses.flatMap((from) =>
      rfiStatuses.filter((to) => canTransitionRfi(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual(['open→answered', 'open→closed', 'answered→closed']);
  });

  it('When an RFI is closed, then nothing follows and no status repeats itself', () => {
    for (const to of rfiStatuses) expect(canTransitionRfi('closed', to)).toBe(false);
    for (const status of rfiStatuses) expect(canTransitionRfi(status, status)).toBe(false);
  });

  it('When the open and answerable statuses are listed, then they follow from the moves', () => {
    expect(openRfiStatuses).toEqual(['open', 'answered']);
    expect(answerableRfiStatuses).toEqual(['open']);
    expect(rfiStatusesBefore('open')).toEqual([]);
    expect(rfiStatuses.filter(isOpenRfi)).toEqual(openRfiStatuses);
    expect(rfiStatuses.filter(isAnswerableRfi)).toEqual(answerableRfiStatuses);
  });

  it('When an RFI is past its due time, then it is overdue only while it waits for its answer', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    const past = new Date('2026-01-10T11:59:59Z');
    expect(isOverdueRfi({ status: 'open', dueAt: past }, now)).toBe(true);
    expect(isOverdueRfi({ status: 'open', dueAt: now }, now)).toBe(false);
    expect(isOverdueRfi({ status: 'answered', dueAt: past }, now)).toBe(false);
    expect(isOverdueRfi({ status: 'closed', dueAt: past }, now)).toBe(false);
  });

  it('When staff close an RFI, then an open provider RFI waits for its answer and a closed one stays closed', () => {
    expect(rfiCloseRefusal({ origin: 'provider', status: 'open' }, 'staff')).toBe('awaiting_answer');
    expect(rfiCloseRefusal({ origin: 'provider', status: 'answered' }, 'staff')).toBeNull();
    expect(rfiCloseRefusal({ origin: 'internal', status: 'open' }, 'staff')).toBeNull();
    expect(rfiCloseRefusal({ origin: 'internal', status: 'answered' }, 'staff')).toBeNull();
    for (const origin of rfiOrigins)
      expect(rfiCloseRefusal({ origin, status: 'closed' }, 'staff')).toBe('already_closed');
  });

  it('When the provider moves on, then it closes its own open RFIs, answered or not, and never an internal one', () => {
    expect(rfiStatusesClosableBy('provider', 'provider')).toEqual(['open', 'answered']);
    expect(rfiStatusesClosableBy('provider', 'internal')).toEqual([]);
    expect(rfiStatusesClosableBy('staff', 'provider')).toEqual(['answered']);
    expect(rfiStatusesClosableBy('staff', 'internal')).toEqual(['open', 'answered']);
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
    expect(awaitsProviderReview({ origin: 'provider', status: 'closed' })).toBe(false);
    expect(awaitsProviderReview({ origin: 'internal', status: 'answered' })).toBe(false);
  });
});
