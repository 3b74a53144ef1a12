import { z } from 'zod';

export const revealableFields = ['identificationNumber'] as const;
export type RevealableField = (typeof revealableFields)[number];

export const revealRequestSchema = z.strictObject({
  field: z.enum(revealableFields),
  reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(500, 'must be at most 500 characters'),
});
export type RevealRequest = z.infer<typeof revealRequestSchema>;

export const revealResponseSchema = z.object({ field: z.enum(revealableFields), value: z.string() }).meta({ id: 'Reveal' });
export type RevealResponse = z.infer<typeof revealResponseSchema>;

export const customerIdParamsSchema = z.object({ id: z.uuid('must be a UUID') });
