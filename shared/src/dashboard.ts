import { z } from 'zod';
import { agingBuckets } from './applications.js';
import { providerSchema, stageSchema } from './providers.js';

/** Queue health at a glance: the senior analyst's landing page. */
export const dashboardSchema = z
  .object({
    generatedAt: z.iso.datetime(),
    /** Open and closed cases per stage and provider. */
    byStageProvider: z.array(z.object({ stage: stageSchema, provider: providerSchema, count: z.int() })),
    /** Open cases by age since creation. */
    aging: z.object(
      Object.fromEntries(agingBuckets.map((b) => [b, z.int()])) as Record<(typeof agingBuckets)[number], z.ZodInt>,
    ),
    /** Service levels of open cases, per stage that has one. */
    sla: z.array(z.object({ stage: stageSchema, breached: z.int(), dueSoon: z.int(), onTrack: z.int() })),
    /** Open RFIs by when they are due. */
    rfisByDue: z.object({ overdue: z.int(), today: z.int(), next7Days: z.int(), later: z.int(), answered: z.int() }),
    /** Per UTC day, the last 14 days: cases created, approved and rejected. */
    throughput: z.array(z.object({ day: z.iso.date(), created: z.int(), approved: z.int(), rejected: z.int() })),
    /** Cases whose latest internal outcome is an escalation (waiting for a second senior analyst). */
    openEscalations: z.int(),
    unassignedWorkable: z.int(),
  })
  .meta({ id: 'Dashboard' });
export type Dashboard = z.infer<typeof dashboardSchema>;
