import { describe, expect, it } from 'vitest';
import { reapplyRefusal, reapplyRefusalMessage, reapplyRefusalReason } from './reapply-rules.js';

const allowing = { resubmitRefusal: () => null };
const refusing = { resubmitRefusal: () => 'the provider is reviewing it' };
const base = { status: 'PENDING' as const, documents: [] };

describe('re-apply preconditions', () => {
  it('When nothing is pending and the provider allows it, then re-apply is allowed', () => {
    expect(reapplyRefusal({ ...base, adapter: allowing, pendingKinds: ['refresh', 'answer_rfi'] })).toBeNull();
  });

  it('When a re-apply is pending, then that is the reason, before uploads and the provider', () => {
    const refusal = reapplyRefusal({ ...base, adapter: refusing, pendingKinds: ['upload_document', 'reapply'] });
    expect(refusal).toEqual({ kind: 'reapply_pending' });
  });

  it('When documents are still on their way, then re-apply waits for them', () => {
    const refusal = reapplyRefusal({ ...base, adapter: refusing, pendingKinds: ['upload_document'] });
    expect(refusal).toEqual({ kind: 'uploads_pending' });
  });

  it("When the provider's rules refuse it, then its words are the reason", () => {
    const refusal = reapplyRefusal({ ...base, adapter: refusing, pendingKinds: [] });
    expect(refusal).toEqual({ kind: 'provider', reason: 'the provider is reviewing it' });
    if (!refusal) return;
    expect(reapplyRefusalReason(refusal)).toBe('the provider is reviewing it');
    expect(reapplyRefusalMessage(refusal, 'SUBMITTED')).toBe(
      'Cannot re-apply while SUBMITTED: the provider is reviewing it',
    );
  });

  it('When a refusal is told, then the case page and the refused request each have their wording', () => {
    expect(reapplyRefusalReason({ kind: 'reapply_pending' })).toBe(
      'A resubmission is already on its way to the provider.',
    );
    expect(reapplyRefusalMessage({ kind: 'uploads_pending' }, 'PENDING')).toBe(
      'Documents are still on their way to the provider; re-apply once they have arrived',
    );
  });
});
