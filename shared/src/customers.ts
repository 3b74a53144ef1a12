import { z } from 'zod';
import { providerSchema, providerStatusSchema, stageSchema } from './providers.js';

const maskedGroups = '•••-••-';

/** An identification number masked but for its last four digits (`•••-••-1234`), or all masked. */
export function maskedIdentificationNumberOf(lastFour: string | null): string {
  return `${maskedGroups}${lastFour !== null && /^\d{4}$/.test(lastFour) ? lastFour : '••••'}`;
}

export const revealableFields = ['identificationNumber'] as const;
export type RevealableField = (typeof revealableFields)[number];

export const revealRequestSchema = z.strictObject({
  field: z.enum(revealableFields),
  reason: z
    .string()
    .trim()
    .min(10, 'must say why, in at least 10 characters')
    .max(500, 'must be at most 500 characters'),
});
export type RevealRequest = z.infer<typeof revealRequestSchema>;

export const revealResponseSchema = z
  .object({ field: z.enum(revealableFields), value: z.string() })
  .meta({ id: 'Reveal' });
export type RevealResponse = z.infer<typeof revealResponseSchema>;

export const customerIdParamsSchema = z.object({ id: z.uuid('must be a UUID') });

export const customerSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 50' })
    .int('must be a whole number from 1 to 50')
    .min(1, 'must be at least 1')
    .max(50, 'must be at most 50')
    .default(20),
});
export type CustomerSearchQuery = z.output<typeof customerSearchQuerySchema>;

/** What a search term was matched on, best first. */
export const customerMatchKinds = [
  'application_id',
  'customer_id',
  'provider_id',
  'email',
  'phone',
  'last4',
  'name_prefix',
  'email_prefix',
  'name_fuzzy',
] as const;
export type CustomerMatchKind = (typeof customerMatchKinds)[number];

export const customerApplicationBriefSchema = z.object({
  id: z.uuid(),
  provider: providerSchema,
  providerApplicationId: z.string(),
  providerStatus: providerStatusSchema,
  stage: stageSchema,
  createdAt: z.iso.datetime(),
});

export const customerHitSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    phone: z.string(),
    matchedOn: z.enum(customerMatchKinds),
    /** 0–1, higher is better (1 for exact keys). */
    score: z.number(),
    applications: z.array(customerApplicationBriefSchema),
  })
  .meta({ id: 'CustomerHit' });
export type CustomerHit = z.infer<typeof customerHitSchema>;

/** What a support agent can add to a term that matches several customers equally well. */
export const customerLookupRefinements = ['name', 'email', 'date_of_birth', 'last4'] as const;
export type CustomerLookupRefinement = (typeof customerLookupRefinements)[number];

/**
 * Said when the term cannot single anyone out: the last four alone, or several customers
 * matching as the first answer does (a common name, a short prefix).
 */
export const customerSearchAmbiguitySchema = z
  .object({
    /**
     * Customers matching as the first answer does, among those the lookup gathered: bearing the
     * same whole key, or matched by the same part of one (prefix, misspelling).
     */
    matches: z.number().int(),
    /** The lookup stopped gathering at its bound: more customers may match as well. */
    orMore: z.boolean(),
    /** What to add to the term, most useful first. */
    add: z.array(z.enum(customerLookupRefinements)),
    /** The same, said for the person typing. */
    hint: z.string(),
  })
  .meta({ id: 'CustomerSearchAmbiguity' });
export type CustomerSearchAmbiguity = z.infer<typeof customerSearchAmbiguitySchema>;

export const customerSearchResultSchema = z
  .object({
    data: z.array(customerHitSchema),
    /** Null when the first answer stands alone. */
    ambiguous: customerSearchAmbiguitySchema.nullable(),
    nextCursor: z.null(),
  })
  .meta({ id: 'CustomerSearchResult' });
export type CustomerSearchResult = z.infer<typeof customerSearchResultSchema>;

export const accountStatuses = ['OPEN', 'CLOSED', 'FROZEN', 'PENDING'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export const customerDetailSchema = z
  .object({
    id: z.uuid(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    phone: z.string(),
    dateOfBirth: z.iso.date(),
    address: z.object({
      street: z.string(),
      city: z.string(),
      postalCode: z.string(),
      state: z.string().nullable(),
      country: z.string(),
    }),
    /**
     * `•••-••-1234` for whoever may look customers up by the last four (the customer search's
     * permission), `•••-••-••••` otherwise or when no number is on file.
     */
    identificationNumberMasked: z.string(),
    /** When the desk first heard of this customer: their first application's creation. */
    customerSince: z.iso.datetime(),
    /** When the customer's record was written (imports and demo seeding write it later). */
    createdAt: z.iso.datetime(),
    applications: z.array(
      customerApplicationBriefSchema.extend({
        /** The provider account's status where the provider reports one (Jiko). */
        accountStatus: z.enum(accountStatuses).nullable(),
        assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
      }),
    ),
    openRfis: z.array(
      z.object({
        id: z.uuid(),
        applicationId: z.uuid(),
        title: z.string(),
        status: z.enum(['open', 'answered']),
        dueAt: z.iso.datetime(),
        overdue: z.boolean(),
      }),
    ),
    recentStatusChanges: z.array(
      z.object({
        applicationId: z.uuid(),
        provider: providerSchema,
        fromStatus: providerStatusSchema.nullable(),
        toStatus: providerStatusSchema,
        toStage: stageSchema,
        at: z.iso.datetime(),
        source: z.string(),
      }),
    ),
  })
  .meta({ id: 'CustomerDetail' });
export type CustomerDetail = z.infer<typeof customerDetailSchema>;
