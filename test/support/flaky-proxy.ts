/**
 * A loopback HTTP proxy in front of a provider sandbox that can fail or stall on demand, to
 * show that the desk loses nothing and sends nothing twice when a provider misbehaves.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode =
  | { kind: 'pass' }
  | { kind: 'fail'; status: number; times: number }
  /** Holds the request before passing it on. */
  | { kind: 'stall'; ms: number; times: number }
  /** Passes the request on at once, then holds the provider's answer back. */
  | { kind: 'hold-answer'; ms: number; times: number };

export type SeenRequest = {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  /** The provider answered from its idempotency record. */
  replayed: boolean;
};

export type FlakyProxy = {
  url: string;
  /** Requests seen, by method and path (the proxy's prefix stripped). */
  seen: SeenRequest[];
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `target()` is read per request: the desk's port is known only after it starts. */
export async function startFlakyProxy(target: () => string): Promise<FlakyProxy> {
  let mode: ProxyMode = { kind: 'pass' };
  const seen: SeenRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '/';
    const idempotencyKey =
      typeof req.headers['x-jiko-idempotency'] === 'string' ? req.headers['x-jiko-idempotency'] : null;
    const record = (status: number, replayed = false) =>
      seen.push({ method: req.method ?? 'GET', path, status, idempotencyKey, replayed });
    if (mode.kind === 'fail' && mode.times > 0) {
      mode.times -= 1;
      record(mode.status);
      res
        .writeHead(mode.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ detail: 'upstream trouble' }));
      return;
    }
    let holdAnswerMs = 0;
    if ((mode.kind === 'stall' || mode.kind === 'hold-answer') && mode.times > 0 && req.method === 'POST') {
      mode.times -= 1;
      if (mode.kind === 'stall') await new Promise((r) => setTimeout(r, mode.kind === 'stall' ? mode.ms : 0));
      else holdAnswerMs = mode.ms;
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
    }
    try {
      const upstream = await fetch(`${target()}${path}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : Uint8Array.from(body),
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      record(upstream.status, upstream.headers.get('x-jiko-idempotent-replay') === 'true');
      if (holdAnswerMs) await new Promise((r) => setTimeout(r, holdAnswerMs));
      if (res.destroyed) return;
      res
        .writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
        .end(answer);
    } catch {
      record(502);
      if (!res.headersSent) res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    setMode(next) {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
