/**
 * Serves react-admin's page N from an API that only knows "the page after this cursor",
 * with the cursors remembered in a KeysetCursorBook (see keysetCursors.ts).
 */
import type { ListResponse } from '@desk/shared';
import { isFieldError } from './apiErrors';
import type { KeysetCursorBook } from './keysetCursors';

/** Fetches one page of a keyset-paged list, given its cursor (undefined for page 1). */
export type KeysetPageLoader<T> = (cursor: string | undefined) => Promise<ListResponse<T>>;

/**
 * Page `page` of the list identified by `queryKey`. If its cursor is unknown (a deep link, a
 * new tab), walks forward from the nearest known page; a page past the end comes back empty
 * (react-admin then goes back to page 1). A remembered cursor the server no longer accepts
 * makes it start again from page 1, once.
 */
export async function fetchKeysetPage<T>(
  cursors: KeysetCursorBook,
  queryKey: string,
  page: number,
  load: KeysetPageLoader<T>,
): Promise<ListResponse<T>> {
  const walk = async (): Promise<ListResponse<T>> => {
    let { page: at, cursor } = cursors.nearestKnown(queryKey, page);
    for (;;) {
      const body = await load(cursor);
      cursors.rememberNext(queryKey, at, body.nextCursor);
      if (at === page) return body;
      if (body.nextCursor === null) return { data: [], nextCursor: null };
      cursor = body.nextCursor;
      at += 1;
    }
  };

  try {
    return await walk();
  } catch (error) {
    if (!isFieldError(error, 'cursor')) throw error;
    cursors.forget(queryKey);
    return walk();
  }
}
