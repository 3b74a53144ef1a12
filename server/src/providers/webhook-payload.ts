/**
 * Reading the body of a webhook whose signature has been verified. A signed body is the
 * provider's, so when it is not an event the desk can take, the problem is the provider's (or
 * a bug between us), not an attacker's: it is kept for inspection and answered 422 (see
 * webhook.service.ts) instead of being refused as unauthenticated or crashing on the way into
 * the database. The body must be JSON, nested no deeper than a real event ever is, hold only
 * safe text (`isSafeText`, keys included), and match the adapter's zod schema of the event.
 */

import { collectIssues, FieldErrors, isSafeText, unsafeTextMessage, unsafeTextPaths } from '@desk/shared';
import type { z } from 'zod';
import type { WebhookRejection } from './provider-adapter.js';

/** Deeper than any provider's event nests; deeper bodies could not even be stored (jsonb). */
const maxDepth = 32;

/** How deep a parsed JSON value nests, counted without recursion (stopping past `limit`). */
function depthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) stack.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/** A string field of a body that failed, if it can be shown as it is (an id, a type). */
function readableField(json: unknown, key: string): string | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const value: unknown = Object.hasOwn(json, key) ? (json as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= 200 && isSafeText(value) ? value : null;
}

export type SignedEvent<T> = { ok: true; json: unknown; event: T } | { ok: false; rejected: WebhookRejection };

/**
 * The event in a verified body, or why it is none. `label` names the provider in messages
 * ("a Jiko event").
 */
export function readSignedEvent<S extends z.ZodType>(
  rawBody: Buffer,
  schema: S,
  label: string,
): SignedEvent<z.output<S>> {
  const reject = (
    reason: WebhookRejection['reason'],
    message: string,
    problems: FieldErrors,
    json?: unknown,
  ): SignedEvent<z.output<S>> => ({
    ok: false,
    rejected: {
      reason,
      message,
      problems: problems.toRecord(),
      eventId: readableField(json, 'id'),
      eventType: readableField(json, 'type'),
    },
  });
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return reject('not_json', 'body is not JSON', new FieldErrors().add('(body)', 'is not JSON'));
  }
  if (depthExceeds(json, maxDepth)) {
    return reject(
      'too_deep',
      `body nests deeper than ${maxDepth} levels`,
      new FieldErrors().add('(body)', `must not nest deeper than ${maxDepth} levels`),
    );
  }
  const unsafe = unsafeTextPaths(json);
  if (unsafe.length > 0) {
    const problems = new FieldErrors();
    for (const path of unsafe) problems.add(path === '(value)' ? '(body)' : path, unsafeTextMessage);
    return reject('unsafe_text', `body has text that ${unsafeTextMessage}`, problems, json);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return reject(
      'not_an_event',
      `body is not ${label} event`,
      collectIssues(new FieldErrors(), parsed.error.issues),
      json,
    );
  return { ok: true, json, event: parsed.data };
}
