/**
 * The analyst's day: claiming and assigning cases, "next case", notes, saved filters, and the
 * service levels each stage is held to.
 */
import { z } from 'zod';
import { providerSchema, type Stage, stageSchema } from './providers.js';
import { staffSummarySchema } from './staff.js';

/**
 * How long a case may sit in a stage before it breaches its service level (hours); null: the
 * stage waits on someone else (the provider) or is over, and has no desk SLA.
 */
export const stageSlaHours: Record<Stage, number | null> = {
  intake: 4,
  provider_review: null,
  needs_documents: 72,
  ready_to_reapply: 24,
  manual_review: 24,
  rfi: 120,
  approved: null,
  rejected: null,
};

/** Stages where the desk has work to do: what "next case" hands out. */
export const workableStages: readonly Stage[] = [
  'intake',
  'needs_documents',
  'ready_to_reapply',
  'manual_review',
  'rfi',
];

/** When a case entered `stage` at `enteredAt`, the moment its SLA runs out (null: none). */
export function slaDueAt(stage: Stage, enteredAt: Date): Date | null {
  const hours = stageSlaHours[stage];
  return hours === null ? null : new Date(enteredAt.getTime() + hours * 3_600_000);
}

export const slaStates = ['breached', 'due_soon', 'on_track'] as const;
export type SlaState = (typeof slaStates)[number];
/** "Due soon": within this share of the stage's SLA from its end. */
export const slaDueSoonShare = 0.25;

export function slaStateOf(stage: Stage, enteredAt: Date, now: Date): SlaState | null {
  const due = slaDueAt(stage, enteredAt);
  const hours = stageSlaHours[stage];
  if (!due || hours === null) return null;
  const left = due.getTime() - now.getTime();
  if (left <= 0) return 'breached';
  return left <= hours * 3_600_000 * slaDueSoonShare ? 'due_soon' : 'on_track';
}

export const slaSchema = z
  .object({ dueAt: z.iso.datetime(), state: z.enum(slaStates) })
  .nullable()
  .meta({ id: 'Sla' });

export const assignRequestSchema = z.strictObject({
  /** null unassigns. */
  assigneeId: z.uuid('must be a staff id').nullable(),
  /** Take the case from whoever holds it (otherwise a held case is a 409). */
  reassign: z.boolean().optional(),
});
export type AssignRequest = z.infer<typeof assignRequestSchema>;

/** What "next case" may be narrowed to (a JSON body; none means any workable case). */
export const nextCaseRequestSchema = z
  .strictObject({
    stage: stageSchema.optional(),
    provider: providerSchema.optional(),
  })
  .meta({ id: 'NextCaseRequest' });
export type NextCaseRequest = z.infer<typeof nextCaseRequestSchema>;

export const newNoteSchema = z.strictObject({
  body: z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10,000 characters'),
});
export type NewNote = z.infer<typeof newNoteSchema>;

export const noteSchema = z
  .object({ id: z.uuid(), body: z.string(), author: staffSummarySchema, createdAt: z.iso.datetime() })
  .meta({ id: 'Note' });
export type Note = z.infer<typeof noteSchema>;

export const savedFilterSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** The queue's query string, e.g. `stage=manual_review&provider=jiko`. */
    query: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'SavedFilter' });
export type SavedFilter = z.infer<typeof savedFilterSchema>;

export const newSavedFilterSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  query: z
    .string()
    .max(2000, 'must be at most 2000 characters')
    .refine((q) => !q.startsWith('?'), 'must not start with "?"'),
});
export type NewSavedFilter = z.infer<typeof newSavedFilterSchema>;

export const savedFilterIdParamsSchema = z.object({ id: z.uuid('must be a UUID') });
