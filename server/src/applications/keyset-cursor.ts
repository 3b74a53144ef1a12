/**
 * Keyset cursors: the sort key and id of the last row of a page, plus the ordering they belong
 * to (its scope), base64url-encoded. Opaque to clients; a cursor from another ordering or one
 * that was tampered with is a 400 naming `cursor` and saying to start again from the first page.
 * A cursor is a position in an order, not a snapshot: it stays valid while rows come and go.
 */

import {
  type ApplicationSort,
  type Provider,
  providerSchema,
  type SortOrder,
  type Stage,
  stageSchema,
} from '@desk/shared';
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

/**
 * Where a queue page ends: the sort key of its last row and the row's id (the unique tiebreak).
 * The applicant order carries no name (a cursor travels in links and logs): its key is read
 * again from the row itself when the cursor is used.
 */
export type QueuePosition =
  | { sort: 'createdAt' | 'updatedAt'; at: Date; id: string }
  | { sort: 'provider'; provider: Provider; at: Date; id: string }
  | { sort: 'stage'; stage: Stage; at: Date; id: string }
  | { sort: 'applicant'; id: string };

const queueKeySchemas = {
  createdAt: z.tuple([z.iso.datetime()]),
  updatedAt: z.tuple([z.iso.datetime()]),
  provider: z.tuple([providerSchema, z.iso.datetime()]),
  stage: z.tuple([stageSchema, z.iso.datetime()]),
  applicant: z.tuple([]),
} as const satisfies Record<ApplicationSort, z.ZodType>;

const queueCursorSchema = z.strictObject({
  scope: z.string().min(1).max(100),
  key: z.array(z.string().max(100)).max(4),
  id: z.uuid(),
});

function keyOf(position: QueuePosition): string[] {
  switch (position.sort) {
    case 'createdAt':
    case 'updatedAt':
      return [position.at.toISOString()];
    case 'provider':
      return [position.provider, position.at.toISOString()];
    case 'stage':
      return [position.stage, position.at.toISOString()];
    case 'applicant':
      return [];
  }
}

export function encodeCursor(order: SortOrder, position: QueuePosition): string {
  const payload = { scope: queueScope(position.sort, order), key: keyOf(position), id: position.id };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(cursor: string, sort: ApplicationSort, order: SortOrder): QueuePosition {
  const invalid = (why: string) => new AppError('validation_failed', `Invalid query: cursor`, { cursor: [why] });
  const notOurs = 'is not a cursor this server handed out; start again from the first page';
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid(notOurs);
  }
  const parsed = queueCursorSchema.safeParse(raw);
  if (!parsed.success) throw invalid(notOurs);
  const scope = queueScope(sort, order);
  if (parsed.data.scope !== scope) {
    throw invalid(`belongs to another order (${parsed.data.scope}, not ${scope}); start again from the first page`);
  }
  const { id, key } = parsed.data;
  switch (sort) {
    case 'createdAt':
    case 'updatedAt': {
      const k = queueKeySchemas[sort].safeParse(key);
      if (!k.success) throw invalid(notOurs);
      return { sort, at: new Date(k.data[0]), id };
    }
    case 'provider': {
      const k = queueKeySchemas.provider.safeParse(key);
      if (!k.success) throw invalid(notOurs);
      return { sort, provider: k.data[0], at: new Date(k.data[1]), id };
    }
    case 'stage': {
      const k = queueKeySchemas.stage.safeParse(key);
      if (!k.success) throw invalid(notOurs);
      return { sort, stage: k.data[0], at: new Date(k.data[1]), id };
    }
    case 'applicant': {
      const k = queueKeySchemas.applicant.safeParse(key);
      if (!k.success) throw invalid(notOurs);
      return { sort, id };
    }
  }
}
