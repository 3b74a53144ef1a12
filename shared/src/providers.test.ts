import { describe, expect, it } from 'vitest';
import { providerStatusesByProvider, providers, stageOf, stages } from './providers.js';

describe('stageOf', () => {
  it.each([
    ['jiko', 'CREATED', 'intake'],
    ['jiko', 'SUBMITTED', 'provider_review'],
    ['jiko', 'DOCUMENTS_NEEDED', 'needs_documents'],
    ['jiko', 'PENDING', 'ready_to_reapply'],
    ['jiko', 'MANUAL_REVIEW', 'manual_review'],
    ['jiko', 'APPROVED', 'approved'],
    ['jiko', 'REJECTED', 'rejected'],
    ['fin', 'INCOMPLETE', 'intake'],
    ['fin', 'REVIEWING', 'provider_review'],
    ['fin', 'ACTION_REQUIRED', 'needs_documents'],
    ['fin', 'ON_HOLD', 'rfi'],
    ['fin', 'APPROVED', 'approved'],
    ['fin', 'REJECTED', 'rejected'],
    ['kyc', 'CREATED', 'intake'],
    ['kyc', 'UNDER_REVIEW', 'provider_review'],
    ['kyc', 'NEEDS_ADDITIONAL_INFORMATION', 'rfi'],
    ['kyc', 'ACTIVE', 'approved'],
    ['kyc', 'REJECTED', 'rejected'],
  ] as const)('When %s says %s, then the stage is %s', (provider, status, stage) => {
    expect(stageOf(provider, status)).toBe(stage);
  });

  it('When every status of every provider is mapped, then each lands on a known stage', () => {
    for (const provider of providers) {
      for (const status of providerStatusesByProvider[provider]) expect(stages).toContain(stageOf(provider, status));
    }
  });

  it('When a status belongs to another provider, then there is no stage', () => {
    expect(stageOf('jiko', 'ON_HOLD')).toBeNull();
    expect(stageOf('fin', 'PENDING')).toBeNull();
    expect(stageOf('kyc', 'APPROVED')).toBeNull();
    expect(stageOf('jiko', 'approved')).toBeNull();
  });
});
