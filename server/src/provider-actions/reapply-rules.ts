/**
 * When a case may be re-applied (the provider's resubmission), defined once: the case page
 * offers the button from it, and the re-apply request is refused (409) by it. Pure: the
 * caller supplies the provider's rules, the status, the documents and the kinds of the
 * case's pending provider actions (the shared provider-action lifecycle says what pending is).
 */
import type { ProviderActionKind, ProviderStatus } from '@desk/shared';
import type { ProviderAdapter } from '../providers/provider-adapter.js';

export type ReapplyRefusal =
  /** A re-apply of the case is still on its way. */
  | { kind: 'reapply_pending' }
  /** Documents are still on their way: they would be missing from the resubmission. */
  | { kind: 'uploads_pending' }
  /** The provider's status rules refuse it, in the provider's words. */
  | { kind: 'provider'; reason: string };

export function reapplyRefusal(input: {
  adapter: Pick<ProviderAdapter, 'resubmitRefusal'>;
  status: ProviderStatus;
  documents: Parameters<ProviderAdapter['resubmitRefusal']>[1];
  pendingKinds: readonly ProviderActionKind[];
}): ReapplyRefusal | null {
  if (input.pendingKinds.includes('reapply')) return { kind: 'reapply_pending' };
  if (input.pendingKinds.includes('upload_document')) return { kind: 'uploads_pending' };
  const reason = input.adapter.resubmitRefusal(input.status, input.documents);
  return reason === null ? null : { kind: 'provider', reason };
}

/** Why the case page does not offer re-apply. */
export function reapplyRefusalReason(refusal: ReapplyRefusal): string {
  switch (refusal.kind) {
    case 'reapply_pending':
      return 'A resubmission is already on its way to the provider.';
    case 'uploads_pending':
      return 'Wait until the documents on their way have reached the provider.';
    case 'provider':
      return refusal.reason;
  }
}

/** The 409 a re-apply request is refused with. */
export function reapplyRefusalMessage(refusal: ReapplyRefusal, status: ProviderStatus): string {
  switch (refusal.kind) {
    case 'reapply_pending':
      return 'A re-apply is already on its way to the provider';
    case 'uploads_pending':
      return 'Documents are still on their way to the provider; re-apply once they have arrived';
    case 'provider':
      return `Cannot re-apply while ${status}: ${refusal.reason}`;
  }
}
