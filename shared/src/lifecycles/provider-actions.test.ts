import { describe, expect, it } from 'vitest';
import { providerActionStates } from '../provider-actions.js';
import {
  awaitsAutomaticRetry,
  canRetryProviderAction,
  canTransitionProviderAction,
  inFlightProviderActionPhases,
  isInFlightProviderAction,
  isPendingProviderAction,
  isSettledProviderAction,
  pendingProviderActionPhases,
  providerActionPhaseOf,
  providerActionPhases,
  providerActionPhasesBefore,
  providerActionRetryRefusal,
  providerActionStatesSplitByGaveUp,
  settledProviderActionPhases,
  storedProviderAction,
} from './provider-actions.js';

const moves = (mover?: 'worker' | 'staff') =>
  providerActionPhases.flatMap((from) =>
    providerActionPhases.filter((to) => canTransitionProviderAction(from, to, mover)).map((to) => `${from}→${to}`),
  );

describe('the provider-action lifecycle', () => {
  it('When the worker moves an action, then it sends, retries, gives up or finishes, and nothing else', () => {
    expect(moves('worker')).toEqual([
      'queued→sending',
      'queued→gave_up',
      'sending→sending',
      'sending→retrying',
      'sending→gave_up',
      'sending→done',
      'retrying→sending',
      'retrying→gave_up',
    ]);
  });

  it('When a person moves an action, then the only move is queueing again one that gave up', () => {
    expect(moves('staff')).toEqual(['gave_up→queued']);
    expect(new Set(moves())).toEqual(new Set([...moves('worker'), ...moves('staff')]));
  });

  it('When an action is done, then nothing follows', () => {
    for (const to of providerActionPhases) expect(canTransitionProviderAction('done', to)).toBe(false);
  });

  it('When an action is retrying or waiting, then a person cannot queue it again (only one that gave up)', () => {
    expect(providerActionPhasesBefore('queued')).toEqual(['gave_up']);
    expect(providerActionPhasesBefore('sending', 'worker')).toEqual(['queued', 'sending', 'retrying']);
    expect(providerActionPhasesBefore('done')).toEqual(['sending']);
  });

  it('When pending, settled and in flight are listed, then they follow from the moves', () => {
    expect(pendingProviderActionPhases).toEqual(['queued', 'sending', 'retrying']);
    expect(settledProviderActionPhases).toEqual(['gave_up', 'done']);
    expect(inFlightProviderActionPhases.every((p) => pendingProviderActionPhases.includes(p))).toBe(true);
  });

  it('When a stored action is read, then failed splits by gaveUp and every phase round-trips', () => {
    for (const phase of providerActionPhases) expect(providerActionPhaseOf(storedProviderAction(phase))).toBe(phase);
    expect(providerActionPhaseOf({ state: 'failed', gaveUp: false })).toBe('retrying');
    expect(providerActionPhaseOf({ state: 'failed', gaveUp: true })).toBe('gave_up');
    expect(providerActionStatesSplitByGaveUp).toEqual(['failed']);
    for (const state of providerActionStates) {
      const phases = providerActionPhases.filter((p) => storedProviderAction(p).state === state);
      expect(phases.length).toBeGreaterThan(0);
    }
  });

  it('When actions are classified, then the predicates agree with the phase lists', () => {
    const queued = { state: 'queued', gaveUp: false } as const;
    const sending = { state: 'sending', gaveUp: false } as const;
    const retrying = { state: 'failed', gaveUp: false } as const;
    const gaveUp = { state: 'failed', gaveUp: true } as const;
    const done = { state: 'done', gaveUp: false } as const;
    expect([queued, sending, retrying, gaveUp, done].map(isPendingProviderAction)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect([queued, sending, retrying, gaveUp, done].map(isSettledProviderAction)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    expect([queued, sending, retrying, gaveUp, done].map(isInFlightProviderAction)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect([queued, sending, retrying, gaveUp, done].map(awaitsAutomaticRetry)).toEqual([
      false,
      false,
      true,
      false,
      false,
    ]);
    expect([queued, sending, retrying, gaveUp, done].map(canRetryProviderAction)).toEqual([
      false,
      false,
      false,
      true,
      false,
    ]);
  });

  it('When an action gave up, then a person may retry it, unless it carried an RFI answer the provider refused', () => {
    const retryRefusal = (phase: (typeof providerActionPhases)[number], answerRefused: boolean) =>
      providerActionRetryRefusal({ ...storedProviderAction(phase), answerRefused });
    expect(providerActionPhases.map((phase) => retryRefusal(phase, false))).toEqual(
      providerActionPhases.map((phase) => (phase === 'gave_up' ? null : 'not_given_up')),
    );
    expect(retryRefusal('gave_up', true)).toBe('answer_refused');
    expect(retryRefusal('done', true)).toBe('not_given_up');
  });
});
