/**
 * Keyset cursors over the audit trail: the id of the last row of a page and the ordering it
 * belongs to (its scope), base64url-encoded. A cursor from another ordering, another case, or
 * one that was tampered with is a 400 naming `cursor`.
 */
import { z } from 'zod';
import { AppError } from '../http/app-error.js';

const cursorPayloadSchema = z.strictObject({
  scope: z.string().min(1).max(100),
  id: z.string().regex(/^[0-9]{1,15}$/),
});

export function encodeAuditCursor(scope: string, id: number): string {
  return Buffer.from(JSON.stringify({ scope, id: String(id) })).toString('base64url');
}

export function decodeAuditCursor(cursor: string, scope: string): number {
  const invalid = (why: string) => new AppError('validation_failed', 'Invalid query: cursor', { cursor: [why] });
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor this server handed out');
  }
  const parsed = cursorPayloadSchema.safeParse(raw);
  if (!parsed.success) throw invalid('is not a cursor this server handed out');
  if (parsed.data.scope !== scope) throw invalid(`belongs to ${parsed.data.scope}; start again without a cursor`);
  return Number(parsed.data.id);
}

/** The whole trail in one direction. */
export const trailScope = (order: 'asc' | 'desc') => `audit-events:${order}`;
/** One case's events, oldest first. */
export const caseScope = (applicationId: string) => `case-audit-events:${applicationId}`;
