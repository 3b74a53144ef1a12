import { z } from 'zod';

/** `limit` for every list: 1–200, default 50. */
export const limitSchema = z.coerce
  .number({ error: 'must be a whole number from 1 to 200' })
  .int('must be a whole number from 1 to 200')
  .min(1, 'must be at least 1')
  .max(200, 'must be at most 200')
  .default(50);

/** An opaque keyset cursor as handed out in `nextCursor`. */
export const cursorSchema = z
  .string()
  .max(512, 'is not a cursor this server handed out')
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this server handed out');

export function listResponseSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}
export type ListResponse<T> = { data: T[]; nextCursor: string | null };
