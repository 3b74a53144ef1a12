import { z } from 'zod';
import { requirementStates } from './document-rules.js';
import { documentFlagSchema, documentFlags, documentStatusSchema, documentTypeSchema } from './documents.js';
import { instantQuerySchema } from './instants.js';
import { openCaseStages } from './lifecycles/cases.js';
import { outcomeSchema } from './outcomes.js';
import { cursorSchema, limitSchema, listResponseSchema } from './pagination.js';
import { caseActionsSchema, providerActionSchema } from './provider-actions.js';
import { providerSchema, providerStatusSchema, type Stage, stageSchema, stages } from './providers.js';
import { rfiOrigins, rfiStatuses } from './rfis.js';
import { staffSummarySchema } from './staff.js';
import { noteSchema, slaSchema, slaStates } from './workflow.js';

/** A query parameter that may be given once or repeated (`?flag=a&flag=b`). */
function oneOrMany<T extends z.ZodEnum>(item: T) {
  const error = `must be one of: ${item.options.join(', ')}`;
  return z.union([item, z.array(item)], { error }).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));
}

export const assigneeFilterSchema = z.union([z.literal('me'), z.literal('none'), z.uuid()], {
  error: 'must be "me", "none" or a staff id',
});

/**
 * The queue's sort keys, each an indexed order with the id as its last, unique tiebreak:
 * applicant (last name, first name), provider and stage (lifecycle order) then creation,
 * creation, last update.
 */
export const applicationSorts = ['applicant', 'provider', 'stage', 'createdAt', 'updatedAt'] as const;
export type ApplicationSort = (typeof applicationSorts)[number];
export const sortOrders = ['asc', 'desc'] as const;
export type SortOrder = (typeof sortOrders)[number];

/**
 * What the review queue opens on: open work (every stage of an open case), oldest first. The
 * API's own defaults stay "every case, oldest first"; the queue asks for this view.
 */
export const defaultQueueView = {
  stage: openCaseStages,
  sort: 'createdAt',
  order: 'asc',
} as const satisfies { stage: readonly Stage[]; sort: ApplicationSort; order: SortOrder };

/** Filters shared by the queue and its counts. */
const queueFilterShape = {
  provider: oneOrMany(providerSchema).optional(),
  providerStatus: oneOrMany(providerStatusSchema).optional(),
  flag: oneOrMany(documentFlagSchema).optional(),
  assignee: assigneeFilterSchema.optional(),
  createdFrom: instantQuerySchema.optional(),
  createdTo: instantQuerySchema.optional(),
  q: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  /** Service level of the stage the case is in: breached, due soon, on track. */
  sla: oneOrMany(z.enum(slaStates)).optional(),
};

const creationWindowIsOrdered = {
  check: (q: { createdFrom?: Date | undefined; createdTo?: Date | undefined }) =>
    !q.createdFrom || !q.createdTo || q.createdFrom <= q.createdTo,
  params: { path: ['createdTo'], message: 'must not be before createdFrom' },
};

export const applicationListQuerySchema = z
  .strictObject({
    ...queueFilterShape,
    stage: oneOrMany(stageSchema).optional(),
    sort: z.enum(applicationSorts).default('createdAt'),
    order: z.enum(sortOrders).default('asc'),
    limit: limitSchema,
    cursor: cursorSchema.optional(),
  })
  .refine(creationWindowIsOrdered.check, creationWindowIsOrdered.params);
export type ApplicationListQuery = z.output<typeof applicationListQuerySchema>;

/**
 * Counts take the queue's filters except the stage (so every stage chip shows its count under
 * the other filters) and nothing about paging or order.
 */
export const applicationStatsQuerySchema = z
  .strictObject(queueFilterShape)
  .refine(creationWindowIsOrdered.check, creationWindowIsOrdered.params);
export type ApplicationStatsQuery = z.output<typeof applicationStatsQuerySchema>;

export const documentFlagsSchema = z
  .object(
    Object.fromEntries(documentFlags.map((f) => [f, z.boolean()])) as Record<
      (typeof documentFlags)[number],
      z.ZodBoolean
    >,
  )
  .meta({ id: 'DocumentFlags' });

export const applicationSummarySchema = z
  .object({
    id: z.uuid(),
    provider: providerSchema,
    providerApplicationId: z.string(),
    providerStatus: providerStatusSchema,
    stage: stageSchema,
    flags: documentFlagsSchema,
    applicant: z.object({
      customerId: z.uuid(),
      name: z.string(),
      email: z.string(),
    }),
    assignee: staffSummarySchema.nullable(),
    /** When the case entered its current stage; its service level runs from here. */
    stageEnteredAt: z.iso.datetime(),
    sla: slaSchema,
    agreementVersion: z.string(),
    version: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ApplicationSummary' });
export type ApplicationSummary = z.infer<typeof applicationSummarySchema>;

export const applicationListSchema = listResponseSchema(applicationSummarySchema).meta({ id: 'ApplicationList' });
export type ApplicationList = z.infer<typeof applicationListSchema>;

export const addressSchema = z.object({
  street: z.string(),
  city: z.string(),
  postalCode: z.string(),
  state: z.string().nullable(),
  country: z.string(),
});

export const applicantSchema = z.object({
  customerId: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phone: z.string(),
  dateOfBirth: z.iso.date(),
  address: addressSchema,
  /** Never the clear value: `•••-••-••••` (see `POST /api/customers/:id/reveal`). */
  identificationNumberMasked: z.string(),
});

export const consentSchema = z.object({
  agreementVersion: z.string(),
  consentedAt: z.iso.datetime(),
  versionReleasedAt: z.iso.datetime().nullable(),
  /** The newest agreement version released at or before the consent instant. */
  latestVersionAtConsent: z.string().nullable(),
  wasLatestAtConsent: z.boolean(),
});

/**
 * The case provider's document flags (`providerDocumentRules`), each with its requirements:
 * `anyOf` the options that meet one (each option needs all its types: a passport, or ID front
 * + ID back), how far the documents go (`documentChecklist`), and which of its types are held.
 */
export const flagChecklistSchema = z.array(
  z.object({
    flag: documentFlagSchema,
    raised: z.boolean(),
    requirements: z.array(
      z.object({
        anyOf: z.array(z.array(documentTypeSchema)),
        state: z.enum(requirementStates),
        held: z.array(documentTypeSchema),
      }),
    ),
  }),
);

export const applicationDocumentSchema = z.object({
  id: z.uuid(),
  type: documentTypeSchema,
  status: documentStatusSchema,
  contentType: z.string().nullable(),
  sizeBytes: z.int().nullable(),
  sha256: z.string().nullable(),
  fileName: z.string().nullable(),
  /** False while an upload from the desk waits to be delivered to the provider. */
  atProvider: z.boolean(),
  uploadedBy: staffSummarySchema.nullable(),
  /** When the file was stored at the desk; null for a document requested but not uploaded. */
  uploadedAt: z.iso.datetime().nullable(),
  /** The desk holds the file's bytes: its content can be opened (`getDocumentContent`). */
  viewable: z.boolean(),
  /** When the document was first listed (requested by the provider, or uploaded). */
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ApplicationDocument = z.infer<typeof applicationDocumentSchema>;

export const documentIdParamsSchema = z.object({
  id: z.uuid('must be a UUID'),
  documentId: z.uuid('must be a UUID'),
});

/** Who or what caused a status change. */
export const statusChangeSources = [
  'provider_response',
  'provider_webhook',
  'provider_poll',
  'staff',
  'import',
] as const;
export type StatusChangeSource = (typeof statusChangeSources)[number];
export const statusChangeSourceLabels: Record<StatusChangeSource, string> = {
  provider_response: 'Provider response',
  provider_webhook: 'Provider webhook',
  provider_poll: 'Provider poll',
  staff: 'Staff',
  import: 'Import',
};

export const statusChangeSchema = z.object({
  id: z.uuid(),
  fromStatus: providerStatusSchema.nullable(),
  toStatus: providerStatusSchema,
  fromStage: stageSchema.nullable(),
  toStage: stageSchema,
  at: z.iso.datetime(),
  source: z.enum(statusChangeSources),
  actor: staffSummarySchema.nullable(),
  reason: z.string().nullable(),
});
export type StatusChange = z.infer<typeof statusChangeSchema>;

export const applicationDetailSchema = applicationSummarySchema
  .omit({ applicant: true })
  .extend({
    providerCustomerId: z.string().nullable(),
    applicant: applicantSchema,
    consent: consentSchema,
    checklist: flagChecklistSchema,
    documents: z.array(applicationDocumentSchema),
    statusHistory: z.array(statusChangeSchema),
    providerActions: z.array(providerActionSchema),
    /** What the provider asks for before it can go on, in its words. */
    providerRequirements: z.array(z.string()),
    /** Every RFI on the case, newest first. */
    rfis: z.array(
      z.object({
        id: z.uuid(),
        origin: z.enum(rfiOrigins),
        status: z.enum(rfiStatuses),
        title: z.string(),
        dueAt: z.iso.datetime(),
        overdue: z.boolean(),
        createdAt: z.iso.datetime(),
        /** When it was last answered (null: not yet). */
        answeredAt: z.iso.datetime().nullable(),
        closedAt: z.iso.datetime().nullable(),
      }),
    ),
    actions: caseActionsSchema,
    /** Internal review outcomes, newest first (the first being `escalated` means four-eyes applies). */
    outcomes: z.array(outcomeSchema),
    /** Notes on the case, newest first. */
    notes: z.array(noteSchema),
  })
  .meta({ id: 'ApplicationDetail' });
export type ApplicationDetail = z.infer<typeof applicationDetailSchema>;

export const applicationIdParamsSchema = z.object({ id: z.uuid('must be a UUID') });

export const agingBuckets = ['lt1d', 'd1to3', 'd3to7', 'd7to30', 'gt30d'] as const;
export type AgingBucket = (typeof agingBuckets)[number];
export const agingBucketLabels: Record<AgingBucket, string> = {
  lt1d: '< 1 day',
  d1to3: '1–3 days',
  d3to7: '3–7 days',
  d7to30: '7–30 days',
  gt30d: '> 30 days',
};

export const applicationStatsSchema = z
  .object({
    total: z.int(),
    byStage: z.object(Object.fromEntries(stages.map((s) => [s, z.int()])) as Record<(typeof stages)[number], z.ZodInt>),
    byFlag: z.object(
      Object.fromEntries(documentFlags.map((f) => [f, z.int()])) as Record<(typeof documentFlags)[number], z.ZodInt>,
    ),
    /** Open (not approved or rejected) applications by age since creation. */
    aging: z.object(
      Object.fromEntries(agingBuckets.map((b) => [b, z.int()])) as Record<(typeof agingBuckets)[number], z.ZodInt>,
    ),
  })
  .meta({ id: 'ApplicationStats' });
export type ApplicationStats = z.infer<typeof applicationStatsSchema>;
