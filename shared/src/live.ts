/**
 * Live updates: what the desk pushes over its event stream (`GET /api/events`,
 * Server-Sent Events). Each `case` event names a case that changed, what changed and who
 * changed it; its SSE `id` is the position in the audit trail, so a client that reconnects
 * with `Last-Event-ID` is sent what it missed. A `reset` event says the gap was too long to
 * replay: reload what is shown.
 */
import { z } from 'zod';

/** The SSE event names the stream sends. */
export const liveEventNames = ['case', 'reset'] as const;
export type LiveEventName = (typeof liveEventNames)[number];

/** Who made a change: a staff member (by name), a provider, or the desk itself. */
export const liveActorSchema = z.object({
  kind: z.enum(['staff', 'provider', 'system']),
  /** What people read: the member's name, the provider's name, or "the desk". */
  name: z.string(),
  /** The member's id, so a page can tell its own changes from a colleague's. */
  staffId: z.string().nullable(),
});
export type LiveActor = z.infer<typeof liveActorSchema>;

export const caseEventSchema = z
  .object({
    applicationId: z.uuid(),
    /** The case's version as the event was read (a page holding this version or later is current). */
    version: z.number().int(),
    /** The audit action behind the change. */
    action: z.string(),
    /** What changed, in words ("Stage changed from Needs documents to In review", "Case claimed"). */
    change: z.string(),
    by: liveActorSchema,
    at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'CaseEvent' });
export type CaseEvent = z.infer<typeof caseEventSchema>;

export const liveResetSchema = z
  .object({
    /** Why the missed events are not replayed. */
    reason: z.string(),
  })
  .meta({ id: 'LiveReset' });
export type LiveReset = z.infer<typeof liveResetSchema>;

/**
 * Where to resume: a browser's EventSource sends the `Last-Event-ID` header when it reconnects
 * by itself; a client that opens a new stream after a failure names the last id here instead
 * (the header wins when both are sent).
 */
export const liveEventsQuerySchema = z.strictObject({
  lastEventId: z
    .string()
    .regex(/^\d{1,15}$/, 'must be the id of an event this stream sent')
    .optional(),
});

/** How a case event reads to a person: "Stage changed from … to … by Jiko". */
export function describeCaseEvent(event: Pick<CaseEvent, 'change' | 'by'>): string {
  return `${event.change} by ${event.by.name}`;
}
