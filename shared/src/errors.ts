import { z } from 'zod';

/** The closed set of error codes the API answers with. */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'stale_version',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'rate_limited',
  'provider_unavailable',
  /** The desk itself cannot serve yet (starting up). */
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorBodySchema = z
  .object({
    message: z.string(),
    code: z.enum(errorCodes),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Turns zod issues into `{ "field.path": ["message", …] }`, prefixed with where they came from. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // Name each unknown field rather than the object that holds it.
      for (const key of issue.keys) {
        const path = [prefix, ...issue.path.map(String), key].filter(Boolean).join('.');
        (out[path] ??= []).push('is not a known field');
      }
      continue;
    }
    const path = issue.path.map(String).join('.');
    const key = [prefix, path].filter(Boolean).join('.') || prefix || '(body)';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
