/**
 * The live-update streams of one desk process. The process keeps one position in the audit
 * trail; while any stream is open it reads the trail past that position every `pollMs` (a
 * bounded window up to the settled id: one index probe when nothing moved) and writes each case
 * change once to every open stream. A stream opened with `Last-Event-ID` is first sent what it
 * missed (bounded: a longer gap gets a `reset` event, telling the client to reload), and each
 * stream sends an id at most once, in order, whatever the overlap between its replay and the
 * live feed.
 *
 * Why polling and not LISTEN/NOTIFY: a NOTIFY in the writing transaction takes a lock every
 * notifying commit in the cluster waits for until its WAL flush, which put all case changes of
 * all processes one flush after another (3,300 audited inserts/s fell to 700 when each
 * notified). A poll costs each process a few small reads a second while someone watches, and
 * nothing while nobody does; several processes on one database each read the same trail.
 *
 * Streams are bounded per process, send a comment every 15 s (so proxies keep them open and a
 * dead client is found), are closed when their client goes, when the client reads too slowly,
 * and soon after their session ends anywhere (sign-out, timeout, deactivation).
 */
import type { CaseEvent, LiveEventName, LiveReset } from '@desk/shared';
import type { Request, Response } from 'express';
import { type Kysely, sql } from 'kysely';
import type { SessionSettings, SignedInStaff } from '../auth/sessions.js';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/app-error.js';
import type { Logger } from '../logger.js';
import { latestTrailPosition, newestTrailId, type PositionedCaseEvent, readTrailWindow } from './case-changes.js';

export type LiveSettings = {
  /** Open streams per process; more are refused with 503 (default 500). */
  maxStreams: number;
  /** A comment on every stream this often (default 15 s). */
  heartbeatMs: number;
  /** How often the streams' sessions are checked (default 5 s). */
  sessionCheckMs: number;
  /** The most case events a resuming stream is sent; a longer gap is a `reset` (default 500). */
  replayLimit: number;
  /** Audit rows read per window (default 2,000). */
  windowSize: number;
  /** Audit rows of any kind a resuming stream may look through before it is reset (default 20,000). */
  replayScanLimit: number;
  /** Unsent bytes a stream may hold before it is closed as too slow (default 1 MiB). */
  maxBufferedBytes: number;
  /** How often the trail is read while a stream is open (default 250 ms): the most a change waits. */
  pollMs: number;
};

export const defaultLiveSettings: LiveSettings = {
  maxStreams: 500,
  heartbeatMs: 15_000,
  sessionCheckMs: 5_000,
  replayLimit: 500,
  windowSize: 2_000,
  replayScanLimit: 20_000,
  maxBufferedBytes: 1024 * 1024,
  pollMs: 250,
};

export type LiveHub = {
  /** Answers a stream request of a signed-in member (the gate has run). */
  open(req: Request, res: Response, staff: SignedInStaff, lastEventId?: string): Promise<void>;
  /** How many streams are open in this process. */
  size(): number;
  stop(): Promise<void>;
};

type Stream = {
  res: Response;
  sessionId: string;
  /** The last id written to this stream; nothing at or below it is written again. */
  sentUpTo: number;
  /** Live events that arrived while the replay was being read. */
  pending: PositionedCaseEvent[] | null;
  closed: boolean;
};

/**
 * Where a client resumes from: the `Last-Event-ID` header (sent by EventSource when it
 * reconnects), else the `lastEventId` query (already checked by the route's schema); null for
 * neither.
 */
function resumePosition(req: Request, fromQuery: string | undefined): number | 'invalid' | null {
  const header = req.get('last-event-id');
  const given = header !== undefined && header !== '' ? header : fromQuery;
  if (given === undefined) return null;
  return /^\d{1,15}$/.test(given) ? Number(given) : 'invalid';
}

function frame(name: LiveEventName, id: number, data: CaseEvent | LiveReset): string {
  return `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Whether the client asked for an event stream (EventSource sends `Accept: text/event-stream`). */
function wantsEventStream(req: Request): boolean {
  return (req.get('accept') ?? '')
    .split(',')
    .some((part) => part.split(';')[0]?.trim().toLowerCase() === 'text/event-stream');
}

export function createLiveHub(options: {
  db: Kysely<Database>;
  logger: Logger;
  sessions: SessionSettings;
  settings?: Partial<LiveSettings>;
}): LiveHub & { start(): Promise<void> } {
  const { db, logger, sessions } = options;
  const settings: LiveSettings = { ...defaultLiveSettings, ...options.settings };
  const streams = new Set<Stream>();
  let position = 0;
  let pumping: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];

  const close = (stream: Stream) => {
    if (stream.closed) return;
    stream.closed = true;
    streams.delete(stream);
    if (!stream.res.writableEnded) stream.res.end();
  };

  const write = (stream: Stream, text: string) => {
    if (stream.closed) return;
    stream.res.write(text);
    if (stream.res.writableLength > settings.maxBufferedBytes) {
      logger.warn('live updates: a stream read too slowly and was closed');
      close(stream);
    }
  };

  const deliver = (stream: Stream, item: PositionedCaseEvent) => {
    if (item.id <= stream.sentUpTo) return;
    stream.sentUpTo = item.id;
    write(stream, frame('case', item.id, item.event));
  };

  /** Reads the trail past this process's position and hands each case change to every stream. */
  const pumpOnce = async () => {
    if (streams.size === 0) {
      // Nobody to tell: only keep up with where the trail is.
      position = Math.max(position, await latestTrailPosition(db));
      return;
    }
    for (;;) {
      const window = await readTrailWindow(db, position, settings.windowSize);
      for (const item of window.events) {
        for (const stream of streams) {
          if (stream.pending) stream.pending.push(item);
          else deliver(stream, item);
        }
      }
      position = Math.max(position, window.upTo);
      if (window.scanned < settings.windowSize) return;
    }
  };

  const pump = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = (async () => {
      try {
        do {
          again = false;
          await pumpOnce();
        } while (again && !stopped);
      } catch (err) {
        logger.warn({ err }, 'live updates: could not read the audit trail');
      } finally {
        pumping = null;
      }
    })();
    return pumping;
  };

  /** Ends the streams whose session is over (signed out, timed out, member deactivated). */
  const checkSessions = async () => {
    if (streams.size === 0) return;
    const ids = [...new Set([...streams].map((s) => s.sessionId))];
    const { rows } = await sql<{ id: string }>`
      SELECT s.id FROM staff_sessions s JOIN staff ON staff.id = s.staff_id
      WHERE s.id = ANY(${ids})
        AND s.ended_at IS NULL
        AND s.expires_at > now()
        AND s.last_seen_at > now() - make_interval(secs => ${sessions.idleTimeoutSeconds})
        AND staff.active
    `.execute(db);
    const live = new Set(rows.map((row) => row.id));
    for (const stream of [...streams]) {
      if (!live.has(stream.sessionId)) close(stream);
    }
  };

  /** A resuming stream: what it missed, or a reset when that is too much or unknowable. */
  const replay = async (stream: Stream, after: number | 'invalid'): Promise<void> => {
    const latest = await latestTrailPosition(db);
    const reset = (reason: string) => {
      stream.sentUpTo = Math.max(stream.sentUpTo, latest);
      write(stream, frame('reset', latest, { reason }));
    };
    // Past the settled id is fine when the row exists (another process may have sent it already).
    if (after === 'invalid' || (after > latest && after > (await newestTrailId(db)))) {
      reset('The stream cannot resume from that point; reload what is shown');
      return;
    }
    stream.sentUpTo = after;
    const missed: PositionedCaseEvent[] = [];
    let cursor = after;
    let scanned = 0;
    for (;;) {
      const window = await readTrailWindow(db, cursor, settings.windowSize);
      missed.push(...window.events);
      scanned += window.scanned;
      cursor = window.upTo;
      if (missed.length > settings.replayLimit || scanned > settings.replayScanLimit) {
        reset('Too much changed while disconnected; reload what is shown');
        return;
      }
      if (window.scanned < settings.windowSize) break;
    }
    for (const item of missed) deliver(stream, item);
  };

  return {
    async start() {
      position = await latestTrailPosition(db);
      const poll = setInterval(() => {
        if (streams.size > 0) void pump();
      }, settings.pollMs);
      const heartbeat = setInterval(() => {
        for (const stream of streams) write(stream, ': heartbeat\n\n');
      }, settings.heartbeatMs);
      const sessionCheck = setInterval(() => {
        if (streams.size === 0) return;
        checkSessions().catch((err: unknown) => logger.warn({ err }, 'live updates: could not check sessions'));
      }, settings.sessionCheckMs);
      poll.unref();
      heartbeat.unref();
      sessionCheck.unref();
      timers.push(poll, heartbeat, sessionCheck);
    },

    async open(req, res, staff, lastEventId) {
      if (!wantsEventStream(req)) {
        throw new AppError('validation_failed', 'This is an event stream: ask for it with Accept: text/event-stream', {
          accept: ['must include text/event-stream'],
        });
      }
      if (stopped || streams.size >= settings.maxStreams) {
        const refusal = new AppError('unavailable', 'Too many live streams are open; try again shortly');
        refusal.retryAfterSeconds = 10;
        throw refusal;
      }
      const resumeFrom = resumePosition(req, lastEventId);
      const stream: Stream = { res, sessionId: staff.sessionId, sentUpTo: 0, pending: [], closed: false };
      streams.add(stream);
      // The response closes when the client goes (or the stream is ended here).
      res.on('close', () => close(stream));
      res.on('error', () => close(stream));
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      // How long a browser waits before it reconnects by itself.
      write(stream, 'retry: 2000\n\n');
      try {
        // A new stream starts where the trail is now: what came before, the client has read.
        if (resumeFrom === null) stream.sentUpTo = await latestTrailPosition(db);
        else await replay(stream, resumeFrom);
      } catch (err) {
        logger.warn({ err }, 'live updates: could not replay a stream');
        close(stream);
        return;
      }
      const pending = stream.pending ?? [];
      stream.pending = null;
      for (const item of pending) deliver(stream, item);
      write(stream, ': live\n\n');
    },

    size: () => streams.size,

    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      for (const stream of [...streams]) close(stream);
      await pumping;
    },
  };
}
