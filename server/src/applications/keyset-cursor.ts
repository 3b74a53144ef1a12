/**
 * Keyset cursors: the sort key and id of the last row of a page, plus the ordering they belong
 * to (its scope), base64url-encoded. Opaque to clients; a cursor from another ordering or one
 * that was tampered with is a 400 naming `cursor`.
 */

import type { ApplicationSort, SortOrder } from '@desk/shared';
import { z } from 'zod';
import { AppError } from '../http/app-error.js';

const cursorPayloadSchema = z.strictObject({
  scope: z.string().min(1).max(100),
  at: z.iso.datetime(),
  id: z.uuid(),
});
export type KeysetPosition = { at: Date; id: string };

export function encodeKeyset(scope: string, position: KeysetPosition): string {
  const payload = { scope, at: position.at.toISOString(), id: position.id };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeKeyset(cursor: string, scope: string): KeysetPosition {
  const invalid = (why: string) => new AppError('validation_failed', `Invalid query: cursor`, { cursor: [why] });
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor this server handed out');
  }
  const parsed = cursorPayloadSchema.safeParse(raw);
  if (!parsed.success) throw invalid('is not a cursor this server handed out');
  if (parsed.data.scope !== scope) {
    throw invalid(`belongs to ${parsed.data.scope}; start again without a cursor`);
  }
  return { at: new Date(parsed.data.at), id: parsed.data.id };
}

const queueScope = (sort: ApplicationSort, order: SortOrder) => `sort=${sort}&order=${order}`;

export function encodeCursor(sort: ApplicationSort, order: SortOrder, position: KeysetPosition): string {
  return encodeKeyset(queueScope(sort, order), position);
}

export function decodeCursor(cursor: string, sort: ApplicationSort, order: SortOrder): KeysetPosition {
  return decodeKeyset(cursor, queueScope(sort, order));
}
