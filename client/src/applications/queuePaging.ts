/**
 * The queue's pages as links: the URL carries the page number and, past page 1, the keyset
 * cursor the page starts after (`?page=40&cursor=…`), so a link opens that page directly. A
 * cursor the server refuses, or a page that has emptied since the link was made, is said as
 * such (a `QueueLinkError`) instead of silently showing page 1.
 */
import type { ListResponse } from '@desk/shared';
import { fieldErrorsOf, isFieldError } from '../api/apiErrors';
import type { KeysetCursorBook } from '../api/keysetCursors';
import { fetchKeysetPage, type KeysetPageLoader } from '../api/keysetPaging';

/** The URL parameter holding the cursor of the page shown. */
export const cursorParam = 'cursor';

/** What a loaded queue page tells the pagination: the cursors to link the pages around it. */
export interface QueuePageMeta {
  /** The cursor this page starts after (null on page 1). */
  cursor: string | null;
  /** The next page's cursor (null: this is the last page). */
  nextCursor: string | null;
  /** The previous page's cursor: null for page 1, undefined when not known (it is walked to). */
  previousCursor: string | null | undefined;
}

/** A queue link that cannot be followed, and why. */
export class QueueLinkError extends Error {
  override name = 'QueueLinkError';
}

/** The cursor a link brings for `page`, from the list's query meta (only past page 1). */
export function linkedCursorOf(meta: unknown, page: number): string | undefined {
  if (page <= 1 || typeof meta !== 'object' || meta === null) return undefined;
  const cursor = (meta as Record<string, unknown>)[cursorParam];
  return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
}

/** The cursor of `page` if the book knows exactly that page's (null for page 1). */
function exactCursor(cursors: KeysetCursorBook, queryKey: string, page: number): string | null | undefined {
  if (page <= 1) return null;
  const known = cursors.nearestKnown(queryKey, page);
  return known.page === page ? known.cursor : undefined;
}

/**
 * Page `page` of the queue: from the link's cursor when one is given (remembered for the pages
 * after it), otherwise as any keyset list (walking from the nearest page whose cursor is known).
 */
export async function fetchQueuePage<T>(
  cursors: KeysetCursorBook,
  queryKey: string,
  page: number,
  linkedCursor: string | undefined,
  load: KeysetPageLoader<T>,
): Promise<{ body: ListResponse<T>; meta: QueuePageMeta }> {
  let body: ListResponse<T>;
  if (linkedCursor !== undefined && exactCursor(cursors, queryKey, page) !== linkedCursor) {
    try {
      body = await load(linkedCursor);
    } catch (error) {
      if (!isFieldError(error, 'cursor')) throw error;
      const reason = fieldErrorsOf(error).cursor?.join('; ') ?? 'was refused';
      throw new QueueLinkError(
        `The link to page ${page} carries a position this queue does not accept: its cursor ${reason}. Showing page 1 instead.`,
      );
    }
    if (body.data.length === 0) {
      throw new QueueLinkError(
        `Page ${page} of this view is empty now: cases have left it since the link was made. Showing page 1 instead.`,
      );
    }
    cursors.rememberNext(queryKey, page - 1, linkedCursor);
    cursors.rememberNext(queryKey, page, body.nextCursor);
  } else {
    body = await fetchKeysetPage(cursors, queryKey, page, load);
  }
  return {
    body,
    meta: {
      cursor: exactCursor(cursors, queryKey, page) ?? null,
      nextCursor: body.nextCursor,
      previousCursor: exactCursor(cursors, queryKey, page - 1),
    },
  };
}
