/**
 * A small HTTP load balancer for the cluster benchmark, and a recorder of what passes through it.
 * In front of the desk's API processes it spreads requests round-robin and skips a process that
 * refuses the connection (one that was killed), as a load balancer's health check would; a
 * request a process dies in the middle of answers 502, as a real one does. In front of a
 * provider sandbox (one target) it records every call, so the benchmark can count provider
 * calls where the provider sees them.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Exchange = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The answer's status; 502 when no target answered. */
  status: number;
  ms: number;
};

export type Proxy = { url: string; close(): Promise<void> };

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Error codes that mean the target never took the request: another target may take it. */
const notTaken = new Set(['ECONNREFUSED', 'EHOSTUNREACH']);

export async function startProxy(options: {
  /** The targets (origins such as http://127.0.0.1:4000) to spread requests over. */
  targets: () => readonly string[];
  onExchange?: (exchange: Exchange) => void;
}): Promise<Proxy> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const targets = options.targets();
      const first = next++;
      const finish = (status: number) =>
        options.onExchange?.({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: req.headers,
          status,
          ms: performance.now() - started,
        });
      const attempt = (tried: number) => {
        const target = targets[(first + tried) % Math.max(1, targets.length)];
        if (!target || tried >= targets.length) {
          res.writeHead(502, { 'content-type': 'text/plain' }).end('no process answered');
          finish(502);
          return;
        }
        const url = new URL(target);
        const upstream = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: req.method,
            path: req.url,
            // The Host header is passed on as received, as a load balancer does: the desk checks
            // a request's Origin against the address it was asked at.
            headers: { ...req.headers, 'content-length': String(body.length) },
            agent,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => finish(answer.statusCode ?? 502));
            answer.on('error', () => {
              res.destroy();
              finish(502);
            });
          },
        );
        upstream.on('error', (err: NodeJS.ErrnoException) => {
          if (res.headersSent) {
            res.destroy();
            finish(502);
          } else if (notTaken.has(err.code ?? '')) {
            attempt(tried + 1);
          } else {
            res.writeHead(502, { 'content-type': 'text/plain' }).end(`upstream failed: ${err.code ?? err.message}`);
            finish(502);
          }
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
