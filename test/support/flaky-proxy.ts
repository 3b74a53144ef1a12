/**
 * A loopback HTTP proxy in front of a provider sandbox that can fail or stall on demand, to
 * show that the desk loses nothing and sends nothing twice when a provider misbehaves.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = { kind: 'pass' } | { kind: 'fail'; status: number; times: number } | { kind: 'stall'; ms: number; times: number };

export type FlakyProxy = {
  url: string;
  /** Requests seen, by method and path (the proxy's prefix stripped). */
  seen: { method: string; path: string; status: number }[];
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
  const seen: FlakyProxy['seen'] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '/';
    if (mode.kind === 'fail' && mode.times > 0) {
      mode.times -= 1;
      seen.push({ method: req.method ?? 'GET', path, status: mode.status });
      res.writeHead(mode.status, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: 'upstream trouble' }));
      return;
    }
    if (mode.kind === 'stall' && mode.times > 0) {
      mode.times -= 1;
      await new Promise((r) => setTimeout(r, mode.kind === 'stall' ? mode.ms : 0));
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
      seen.push({ method: req.method ?? 'GET', path, status: upstream.status });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(answer);
    } catch {
      seen.push({ method: req.method ?? 'GET', path, status: 502 });
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
