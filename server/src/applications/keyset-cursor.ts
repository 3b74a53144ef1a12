/**
 * Keyset cursors for the queue: the sort key and id of the last row of a page, plus the
 * sort they belong to, base64url-encoded. Opaque to clients; a cursor from another sort or
 * one that was tampered with is a 400 naming `cursor`.
 */
import { z } from 'zod';
import { applicationSorts, sortOrders, type ApplicationSort, type SortOrder } from '@desk/shared';
import { AppError } from '../http/app-error.js';

const cursorPayloadSchema = z.strictObject({
  sort: z.enum(applicationSorts),
  order: z.enum(sortOrders),
  at: z.iso.datetime(),
  id: z.uuid(),
});
export type KeysetPosition = { at: Date; id: string };

export function encodeCursor(sort: ApplicationSort, order: SortOrder, position: KeysetPosition): string {
  const payload = { sort, order, at: position.at.toISOString(), id: position.id };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string, sort: ApplicationSort, order: SortOrder): KeysetPosition {
  const invalid = (why: string) => new AppError('validation_failed', `Invalid query: cursor`, { cursor: [why] });
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor this server handed out');
  }
  const parsed = cursorPayloadSchema.safeParse(raw);
  if (!parsed.success) throw invalid('is not a cursor this server handed out');
  if (parsed.data.sort !== sort || parsed.data.order !== order) {
    throw invalid(`belongs to sort=${parsed.data.sort}&order=${parsed.data.order}; start again without a cursor`);
  }
  return { at: new Date(parsed.data.at), id: parsed.data.id };
}
