import { z } from 'zod';
import {
  type DocumentFlag,
  type DocumentStatus,
  type DocumentType,
  documentFlagLabels,
  documentFlags,
  documentTypeLabels,
} from './documents.js';
import { isPendingProviderAction, providerActionPhaseOf } from './lifecycles/provider-actions.js';
import { isAnswerableRfi, isOpenRfi } from './lifecycles/rfis.js';
import { type ProviderActionKind, type ProviderActionState, providerActionKindLabels } from './provider-actions.js';
import type { RfiOrigin, RfiStatus } from './rfis.js';
import { staffSummarySchema } from './staff.js';

/** An internal review outcome: the desk's own judgement, next to the provider's status. */
export const reviewOutcomes = ['cleared', 'escalated', 'recommend_reject'] as const;
export type ReviewOutcome = (typeof reviewOutcomes)[number];
export const reviewOutcomeLabels: Record<ReviewOutcome, string> = {
  cleared: 'Cleared',
  escalated: 'Escalated',
  recommend_reject: 'Recommend reject',
};

/** The reason codes each outcome may carry. */
export const outcomeReasonCodes: Record<ReviewOutcome, readonly string[]> = {
  cleared: ['documents_verified', 'provider_flags_resolved', 'false_positive_match', 'other'],
  escalated: [
    'possible_sanctions_match',
    'possible_pep',
    'suspected_document_fraud',
    'adverse_media',
    'identity_mismatch',
    'other',
  ],
  recommend_reject: ['confirmed_fraud', 'identity_not_verified', 'sanctions_match', 'prohibited_jurisdiction', 'other'],
};
export const reasonCodeLabels: Record<string, string> = {
  documents_verified: 'Documents verified',
  provider_flags_resolved: 'Provider flags resolved',
  false_positive_match: 'False positive match',
  possible_sanctions_match: 'Possible sanctions match',
  possible_pep: 'Possible politically exposed person',
  suspected_document_fraud: 'Suspected document fraud',
  adverse_media: 'Adverse media',
  identity_mismatch: 'Identity mismatch',
  confirmed_fraud: 'Confirmed fraud',
  identity_not_verified: 'Identity not verified',
  sanctions_match: 'Sanctions match',
  prohibited_jurisdiction: 'Prohibited jurisdiction',
  other: 'Other',
};

/**
 * Whether an outcome says the case is settled, so that recording it while anything on the case
 * is still open takes an explicit override with a reason (refused with 409 otherwise).
 */
export const outcomeNeedsSettledCase: Record<ReviewOutcome, boolean> = {
  // Clearing says the review found nothing left to check: a raised flag, an awaited document, an
  // open RFI or an action still on its way to the provider contradicts it.
  cleared: true,
  // Escalating hands the case to a senior analyst precisely because something is unresolved.
  escalated: false,
  // A recommendation to reject rests on what was found (fraud, a sanctions match, a prohibited
  // jurisdiction); documents or answers still to come do not make it safer, and the provider
  // decides the application either way.
  recommend_reject: false,
};

/** What can still be open on a case when an outcome is recorded. */
export const openReviewItemKinds = ['flag', 'document', 'rfi', 'providerAction'] as const;
export type OpenReviewItemKind = (typeof openReviewItemKinds)[number];
export const openReviewItemKindLabels: Record<OpenReviewItemKind, string> = {
  flag: 'Raised flags',
  document: 'Documents the provider waits for',
  rfi: 'Open RFIs',
  providerAction: 'Provider actions not delivered yet',
};

export interface OpenReviewItem {
  kind: OpenReviewItemKind;
  id: string;
  label: string;
}

/** The parts of a case that say what is still open (the case page's answer has them all). */
export interface CaseOpenFacts {
  flags: Record<DocumentFlag, boolean>;
  documents: readonly { id: string; type: DocumentType; status: DocumentStatus }[];
  rfis: readonly { id: string; origin: RfiOrigin; status: RfiStatus; title: string }[];
  providerActions: readonly { id: string; kind: ProviderActionKind; state: ProviderActionState; gaveUp: boolean }[];
}

/** A document the provider lists while it waits for the file. */
const awaitedDocumentStatus: DocumentStatus = 'PENDING_UPLOAD';

/**
 * What is still open on a case, in `openReviewItemKinds` order: raised flags, documents the
 * provider waits for, RFIs not closed (`isOpenRfi`) and provider actions the worker has yet to
 * deliver (`isPendingProviderAction`).
 */
export function openReviewItems(facts: CaseOpenFacts): OpenReviewItem[] {
  const flags = documentFlags
    .filter((flag) => facts.flags[flag])
    .map((flag): OpenReviewItem => ({ kind: 'flag', id: flag, label: `${documentFlagLabels[flag]} flag raised` }));
  const documents = facts.documents
    .filter((document) => document.status === awaitedDocumentStatus)
    .map(
      (document): OpenReviewItem => ({
        kind: 'document',
        id: document.id,
        label: `${documentTypeLabels[document.type]} awaited by the provider`,
      }),
    );
  const rfis = facts.rfis
    .filter((rfi) => isOpenRfi(rfi.status))
    .map(
      (rfi): OpenReviewItem => ({
        kind: 'rfi',
        id: rfi.id,
        label: `RFI “${rfi.title}” ${isAnswerableRfi(rfi.status) ? 'waits for its answer' : 'answered, not closed'}`,
      }),
    );
  const actions = facts.providerActions.filter(isPendingProviderAction).map(
    (action): OpenReviewItem => ({
      kind: 'providerAction',
      id: action.id,
      label: `${providerActionKindLabels[action.kind]} — ${providerActionPhaseOf(action)}`,
    }),
  );
  return [...flags, ...documents, ...rfis, ...actions];
}

/** The open items of a case by kind, each kind once and only when it has items. */
export function openReviewItemsByKind(items: readonly OpenReviewItem[]): [OpenReviewItemKind, string[]][] {
  return openReviewItemKinds
    .map((kind): [OpenReviewItemKind, string[]] => [
      kind,
      items.filter((item) => item.kind === kind).map((item) => item.label),
    ])
    .filter(([, labels]) => labels.length > 0);
}

export const outcomeOverrideSchema = z.strictObject({
  reason: z
    .string({ error: 'is required: say why the outcome is recorded with items still open' })
    .trim()
    .min(1, 'is required: say why the outcome is recorded with items still open')
    .max(1000, 'must be at most 1000 characters'),
});
export type OutcomeOverride = z.infer<typeof outcomeOverrideSchema>;

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

export const newOutcomeSchema = z
  .strictObject({
    outcome: z.enum(reviewOutcomes),
    reasonCode: z.string().min(1, 'is required').max(64),
    note: z.string().trim().min(1, 'is required').max(4000, 'must be at most 4000 characters'),
    version: z.number({ error: 'is required (the version you last saw)' }).int(),
    /**
     * Record the outcome although the case still has open items (`openReviewItems`), saying why.
     * Needed only for an outcome that says the case is settled (`outcomeNeedsSettledCase`).
     */
    override: outcomeOverrideSchema.optional(),
  })
  .refine((v) => outcomeReasonCodes[v.outcome].includes(v.reasonCode), {
    path: ['reasonCode'],
    error: (issue) => {
      const input = issue.input as { outcome?: ReviewOutcome } | undefined;
      const codes = input?.outcome ? outcomeReasonCodes[input.outcome] : [];
      return `must be one of: ${codes.join(', ')}`;
    },
    // Checked even when other fields are bad (so every bad field is named), once the two it
    // compares are themselves valid — and only on an object: a body of another JSON type (an
    // array, a string) fails as a whole with no issue under `outcome`, and has no fields to read.
    when: (payload) =>
      isPlainObject(payload.value) &&
      payload.issues.every((i) => i.path?.[0] !== 'outcome' && i.path?.[0] !== 'reasonCode'),
  });
export type NewOutcome = z.infer<typeof newOutcomeSchema>;

export const outcomeSchema = z
  .object({
    id: z.uuid(),
    outcome: z.enum(reviewOutcomes),
    reasonCode: z.string(),
    note: z.string(),
    /** Why it was recorded with items still open; null when nothing was overridden. */
    overrideReason: z.string().nullable(),
    actor: staffSummarySchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Outcome' });
export type Outcome = z.infer<typeof outcomeSchema>;
