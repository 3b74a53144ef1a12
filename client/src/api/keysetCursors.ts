/**
 * Keyset cursors remembered per list query, so react-admin's page numbers can be served by
 * an API that only knows "the page after this cursor".
 *
 * Invariant: for a query key, page 1 never has a cursor, and page N+1's cursor is the
 * `nextCursor` the server answered for page N. A query key covers everything that changes
 * the order or the content of the pages (resource, filter, sort, page size). The book is
 * kept in sessionStorage so a reload on page 7 does not have to walk pages 1–6 again.
 */

const storageKey = 'desk.keysetCursors.v1';
/** Query keys kept; the oldest are forgotten first. */
const maxQueries = 40;

type PageCursors = Record<string, string>;

export interface KnownStart {
  page: number;
  cursor: string | undefined;
}

export class KeysetCursorBook {
  private readonly queries: Map<string, PageCursors>;

  constructor(private readonly storage: Storage | null = sessionStorageOrNull()) {
    this.queries = new Map(Object.entries(this.load()));
  }

  /** The nearest page at or before `page` whose cursor is known (page 1 always is). */
  nearestKnown(queryKey: string, page: number): KnownStart {
    const cursors = this.queries.get(queryKey);
    for (let p = page; p > 1; p -= 1) {
      const cursor = cursors?.[String(p)];
      if (cursor !== undefined) return { page: p, cursor };
    }
    return { page: 1, cursor: undefined };
  }

  /** Records what the server said follows `page`: the cursor of the next page, or the end. */
  rememberNext(queryKey: string, page: number, nextCursor: string | null): void {
    const cursors = { ...this.queries.get(queryKey) };
    const next = String(page + 1);
    if (nextCursor === null) {
      // The list ends here: cursors learned earlier for later pages are stale.
      for (const p of Object.keys(cursors)) if (Number(p) > page) delete cursors[p];
    } else {
      if (cursors[next] === nextCursor) return;
      cursors[next] = nextCursor;
    }
    this.queries.delete(queryKey);
    this.queries.set(queryKey, cursors);
    while (this.queries.size > maxQueries) {
      const oldest = this.queries.keys().next();
      if (oldest.done) break;
      this.queries.delete(oldest.value);
    }
    this.save();
  }

  /** Drops every cursor of a query, e.g. when the server no longer accepts one. */
  forget(queryKey: string): void {
    if (this.queries.delete(queryKey)) this.save();
  }

  private load(): Record<string, PageCursors> {
    try {
      const raw = this.storage?.getItem(storageKey);
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      return isCursorRecord(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }

  private save(): void {
    try {
      this.storage?.setItem(storageKey, JSON.stringify(Object.fromEntries(this.queries)));
    } catch {
      // Storage full or disabled: the cursors still live in memory for this tab.
    }
  }
}

function isCursorRecord(value: unknown): value is Record<string, PageCursors> {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every(
    (cursors) =>
      typeof cursors === 'object' && cursors !== null && Object.values(cursors).every((c) => typeof c === 'string'),
  );
}

function sessionStorageOrNull(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null;
  }
}
