/**
 * Edge validation: parse a request part with its schema from `@desk/shared` and keep the
 * typed result in a local. Failures become a 400 naming every bad field.
 *
 * Every string of the part — keys included — is also held to the safe-text rule (`isSafeText`:
 * no NUL, no unpaired surrogate), whatever its schema says, so no such string reaches a
 * service, the database or the audit trail. The schema still runs, so the 400 names the other
 * bad fields too.
 */

import { collectIssues, FieldErrors, unsafeTextMessage, unsafeTextPaths } from '@desk/shared';
import type { z } from 'zod';
import { AppError } from './app-error.js';

type RequestPart = 'query' | 'params' | 'headers' | 'body';

/** The 400 for a request part, naming every field in `errors`. */
export function invalidRequest(part: RequestPart, errors: FieldErrors): AppError {
  return new AppError('validation_failed', `Invalid ${part}: ${errors.fields.join(', ')}`, errors.toRecord());
}

export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: RequestPart): z.output<S> {
  const input = value ?? {};
  // Paths as the schema names them (no part prefix); an unsafe value at the top is the whole part.
  const unsafe = new Set(unsafeTextPaths(input).map((path) => (path === '(value)' ? '(body)' : path)));
  const result = schema.safeParse(input);
  if (unsafe.size === 0 && result.success) return result.data;
  // Every bad field is named: the unsafe ones by this rule, the others by the schema.
  const errors = new FieldErrors();
  for (const path of unsafe) errors.add(path, unsafeTextMessage);
  for (const [path, messages] of collectIssues(new FieldErrors(), result.error?.issues ?? []).entries()) {
    if (!unsafe.has(path)) for (const message of messages) errors.add(path, message);
  }
  throw invalidRequest(part, errors);
}
