import { z } from 'zod';
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

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

export const newOutcomeSchema = z
  .strictObject({
    outcome: z.enum(reviewOutcomes),
    reasonCode: z.string().min(1, 'is required').max(64),
    note: z.string().trim().min(1, 'is required').max(4000, 'must be at most 4000 characters'),
    version: z.number({ error: 'is required (the version you last saw)' }).int(),
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
    actor: staffSummarySchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Outcome' });
export type Outcome = z.infer<typeof outcomeSchema>;
