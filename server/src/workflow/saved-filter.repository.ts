/** Saved queue filters: the only module that writes `saved_filters`. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

const columns = ['id', 'name', 'query', 'created_at'] as const;

export async function findSavedFilters(db: Kysely<Database>, staffId: string) {
  return db.selectFrom('saved_filters').select(columns).where('staff_id', '=', staffId).orderBy('name').execute();
}
export type SavedFilterRow = Awaited<ReturnType<typeof findSavedFilters>>[number];

/** The new filter, or undefined when this person already has one of that name. */
export async function insertSavedFilter(
  db: Kysely<Database>,
  filter: { staffId: string; name: string; query: string },
): Promise<SavedFilterRow | undefined> {
  return db
    .insertInto('saved_filters')
    .values({ staff_id: filter.staffId, name: filter.name, query: filter.query })
    .onConflict((oc) => oc.columns(['staff_id', 'name']).doNothing())
    .returning(columns)
    .executeTakeFirst();
}

/** Whether a filter of this person's was deleted. */
export async function deleteSavedFilter(db: Kysely<Database>, staffId: string, id: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('saved_filters')
    .where('id', '=', id)
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}
