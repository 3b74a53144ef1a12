/**
 * Edge validation: parse a request part with its schema from `@desk/shared` and keep the
 * typed result in a local. Failures become a 400 naming every bad field.
 */
import type { z } from 'zod';
import { fieldErrors } from '@desk/shared';
import { AppError } from './app-error.js';

type RequestPart = 'query' | 'params' | 'body';

export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: RequestPart): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues);
  throw new AppError('validation_failed', `Invalid ${part}: ${Object.keys(errors).join(', ')}`, errors);
}
