/**
 * Reading a Server-Sent Events stream as a browser's EventSource would: the request it sends
 * (`Accept: text/event-stream`, `Last-Event-ID` when resuming) and the events it parses (id,
 * event name, data; comments skipped), collected as they arrive.
 */
import { waitFor } from './wait-for.js';

export type StreamEvent = { id: string | null; event: string; data: string };

export type OpenStream = {
  status: number;
  headers: Headers;
  /** Every event so far, in order. */
  events: StreamEvent[];
  /** Comment lines so far (heartbeats), without the leading colon. */
  comments: string[];
  /** Settles when the server ends the stream (or the connection is lost). */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Waits for `count` events matching `match` and returns them. */
  waitForEvents(match: (event: StreamEvent) => boolean, count?: number, timeoutMs?: number): Promise<StreamEvent[]>;
  close(): void;
};

function parseBlock(block: string): StreamEvent | { comment: string } | null {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  let comment: string | null = null;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length > 0) return { id, event, data: data.join('\n') };
  return comment === null ? null : { comment };
}

export async function openEventStream(
  url: string,
  options: { cookie?: string | null; lastEventId?: string; headers?: Record<string, string> } = {},
): Promise<OpenStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  const reading = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const parsed = parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (parsed && 'comment' in parsed) comments.push(parsed.comment);
          else if (parsed) events.push(parsed);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Aborted by close(), or the connection was lost: either way the stream is over.
    } finally {
      ended = true;
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    ended: reading,
    isEnded: () => ended,
    waitForEvents: (match, count = 1, timeoutMs = 20_000) =>
      waitFor(
        async () => {
          const found = events.filter(match);
          return found.length >= count ? found : null;
        },
        { timeoutMs, what: () => `${count} matching event(s); got ${JSON.stringify(events)}` },
      ),
    close: () => abort.abort(),
  };
}
