/**
 * The tab's one event stream (`GET /api/events`): opened when the first view subscribes,
 * closed a little after the last one leaves (so moving between the queue and a case keeps it),
 * and shared by every view. EventSource reconnects by itself after a dropped connection, sending
 * `Last-Event-ID`; when the server refuses (signed out, too many streams) or the connection keeps
 * failing, the stream is reopened with a growing delay, naming the last event seen so nothing is
 * missed. A `reset` from the server, or a reopening without a known position, tells every view
 * to reload what it shows.
 */
import { type CaseEvent, caseEventSchema, routes } from '@desk/shared';

export type CaseEventListener = {
  onCase(event: CaseEvent): void;
  /** What is shown may be stale: reload it. */
  onReset(): void;
};

/** Keep the stream this long after the last view left. */
const lingerMs = 5_000;
/** Reopening after failures: 1 s, 2 s, 4 s … up to 60 s, with some jitter. */
const firstRetryMs = 1_000;
const maxRetryMs = 60_000;
/** Errors in a row (without an open in between) after which the stream is reopened by us. */
const errorsBeforeReopen = 3;

const listeners = new Set<CaseEventListener>();
let source: EventSource | null = null;
let lastEventId: string | null = null;
let failures = 0;
let errorsInRow = 0;
let lingerTimer: ReturnType<typeof setTimeout> | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
/** Whether a stream has been open since the views subscribed (a later open may have missed changes). */
let reopenedOnce = false;

function streamUrl(): string {
  const path = routes.streamEvents.path;
  return lastEventId === null ? path : `${path}?${new URLSearchParams({ lastEventId })}`;
}

function tellReset(): void {
  for (const listener of listeners) listener.onReset();
}

function open(): void {
  if (source || typeof EventSource === 'undefined') return;
  const resuming = lastEventId !== null;
  const opened = new EventSource(streamUrl());
  source = opened;
  let everOpen = false;
  opened.onopen = () => {
    errorsInRow = 0;
    failures = 0;
    // A stream reopened without a position to resume from may have missed changes.
    if (!everOpen && !resuming && reopenedOnce) tellReset();
    everOpen = true;
    reopenedOnce = true;
  };
  opened.addEventListener('case', (message) => {
    lastEventId = message.lastEventId || lastEventId;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    const parsed = caseEventSchema.safeParse(data);
    if (!parsed.success) return;
    for (const listener of listeners) listener.onCase(parsed.data);
  });
  opened.addEventListener('reset', (message) => {
    lastEventId = message.lastEventId || lastEventId;
    tellReset();
  });
  opened.onerror = () => {
    errorsInRow += 1;
    // CLOSED: the server refused (401, 503…) and EventSource gives up; CONNECTING: it retries
    // by itself, until that has failed a few times in a row.
    if (opened.readyState === EventSource.CLOSED || errorsInRow >= errorsBeforeReopen) reopenLater();
  };
}

function close(): void {
  source?.close();
  source = null;
}

function reopenLater(): void {
  close();
  if (retryTimer || listeners.size === 0) return;
  const delay = Math.min(maxRetryMs, firstRetryMs * 2 ** failures) * (0.8 + Math.random() * 0.4);
  failures += 1;
  errorsInRow = 0;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (listeners.size > 0) open();
  }, delay);
}

/** Follows case changes until the returned function is called. */
export function subscribeToCaseEvents(listener: CaseEventListener): () => void {
  listeners.add(listener);
  if (lingerTimer) {
    clearTimeout(lingerTimer);
    lingerTimer = null;
  }
  if (!retryTimer) open();
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    lingerTimer = setTimeout(() => {
      lingerTimer = null;
      if (listeners.size > 0) return;
      close();
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      // The next view loads its data afresh: a new stream starts from now.
      lastEventId = null;
      reopenedOnce = false;
      failures = 0;
    }, lingerMs);
  };
}
