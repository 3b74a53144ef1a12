import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of the sandbox that can lose the answer to the next PATCH (it
 * lands, the caller sees a dropped connection) or deliver the next PATCH twice (an earlier
 * attempt that landed, then the retry), to show that retries neither fail nor duplicate.
 */
export class PatchTroubleProxy {
  private server: Server | null = null;
  mode: 'pass' | 'lose-patch-answer' | 'double-patch' = 'pass';
  readonly seen: { method: string; status: number }[] = [];
  base = '';

  constructor(private readonly target: () => string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const method = req.method ?? 'GET';
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(req.headers)) {
            if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
          }
          const body = method === 'GET' ? undefined : Buffer.concat(chunks).toString('utf8');
          const forward = () => fetch(`${this.target()}${req.url ?? '/'}`, { method, headers, body });
          const trouble = method === 'PATCH' ? this.mode : 'pass';
          if (trouble !== 'pass') this.mode = 'pass';
          if (trouble === 'double-patch') {
            const first = await forward();
            this.seen.push({ method, status: first.status });
            await first.arrayBuffer();
          }
          const upstream = await forward();
          const answer = Buffer.from(await upstream.arrayBuffer());
          this.seen.push({ method, status: upstream.status });
          if (trouble === 'lose-patch-answer') {
            res.destroy();
            return;
          }
          res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(answer);
        })();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}
