/** Saved queue filters, per person: a name and the queue's query string. */

import {
  applicationListQuerySchema,
  fieldErrors,
  type NewSavedFilter,
  type SavedFilter,
  unsafeTextMessage,
  unsafeTextPaths,
} from '@desk/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import {
  deleteSavedFilter as deleteSavedFilterRow,
  findSavedFilters,
  insertSavedFilter,
  type SavedFilterRow,
} from './saved-filter.repository.js';

const toSavedFilter = (row: SavedFilterRow): SavedFilter => ({
  id: row.id,
  name: row.name,
  query: row.query,
  createdAt: row.created_at.toISOString(),
});

export async function listSavedFilters(db: Kysely<Database>, staffId: string): Promise<SavedFilter[]> {
  return (await findSavedFilters(db, staffId)).map(toSavedFilter);
}

/** The query must be one the queue accepts (minus paging), so a saved filter always opens. */
function checkQuery(query: string): void {
  const params = new URLSearchParams(query);
  params.delete('cursor');
  // Own properties (Object.fromEntries): a parameter named `__proto__` or `constructor` is an
  // unknown parameter like any other, never a write to or a read of the prototype.
  const value = Object.fromEntries(
    [...new Set(params.keys())].map((key) => {
      const all = params.getAll(key);
      return [key, all.length === 1 ? (all[0] ?? '') : all];
    }),
  );
  const unsafe = unsafeTextPaths(value, 'query');
  if (unsafe.length > 0) {
    throw new AppError(
      'validation_failed',
      `Invalid body: ${unsafe.join(', ')}`,
      Object.fromEntries(unsafe.map((path) => [path, [unsafeTextMessage]])),
    );
  }
  const parsed = applicationListQuerySchema.safeParse(value);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues, 'query');
    throw new AppError('validation_failed', `Invalid body: ${Object.keys(errors).join(', ')}`, errors);
  }
}

export async function saveFilter(db: Kysely<Database>, staffId: string, input: NewSavedFilter): Promise<SavedFilter> {
  checkQuery(input.query);
  const row = await insertSavedFilter(db, { staffId, name: input.name, query: input.query });
  if (!row) throw new AppError('conflict', `You already have a filter named "${input.name}"`, { name: ['is taken'] });
  return toSavedFilter(row);
}

export async function deleteSavedFilter(db: Kysely<Database>, staffId: string, id: string): Promise<void> {
  if (!(await deleteSavedFilterRow(db, staffId, id))) throw AppError.notFound('Saved filter');
}
