import { z } from 'zod';
import { printableKey } from './text.js';

/** The closed set of error codes the API answers with. */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  /** The path exists, not for this method (the answer's Allow header lists those it takes). */
  'method_not_allowed',
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

/**
 * Messages per field, in the order they were added. Field names come from requests (unknown
 * keys are named back to the caller), so they are kept in a Map: `constructor`, `__proto__` or
 * `toString` are ordinary names here, where on a plain object they would reach built-in members.
 */
export class FieldErrors {
  private readonly byField = new Map<string, string[]>();

  add(field: string, message: string): this {
    const messages = this.byField.get(field);
    if (messages) messages.push(message);
    else this.byField.set(field, [message]);
    return this;
  }

  get size(): number {
    return this.byField.size;
  }

  get fields(): string[] {
    return [...this.byField.keys()];
  }

  /** Field and messages, in the order fields were first added. */
  entries(): [string, string[]][] {
    return [...this.byField].map(([field, messages]) => [field, [...messages]]);
  }

  /** A plain object for the error body: own data properties only, whatever the names. */
  toRecord(): Record<string, string[]> {
    return Object.fromEntries(this.byField);
  }
}

/** Each zod issue as field path and message into `into`, paths prefixed with where they came from. */
export function collectIssues(into: FieldErrors, issues: readonly z.core.$ZodIssue[], prefix?: string): FieldErrors {
  const pathOf = (segments: readonly PropertyKey[]) =>
    [prefix, ...segments.map((segment) => printableKey(String(segment)))]
      .filter((part) => part !== undefined && part !== '')
      .join('.');
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // Name each unknown field rather than the object that holds it.
      for (const key of issue.keys) into.add(pathOf([...issue.path, key]) || '(body)', 'is not a known field');
      continue;
    }
    into.add(pathOf(issue.path) || '(body)', issue.message);
  }
  return into;
}

/** Turns zod issues into `{ "field.path": ["message", …] }`, prefixed with where they came from. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): Record<string, string[]> {
  return collectIssues(new FieldErrors(), issues, prefix).toRecord();
}
