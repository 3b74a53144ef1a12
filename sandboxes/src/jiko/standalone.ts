/**
 * Serves a sandbox router on its own HTTP server, mounted at /sandbox/jiko as the desk mounts
 * it: for the sandbox's conformance tests and for running the sandbox next to a desk that
 * points at it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export const sandboxMountPath = '/sandbox/jiko';

export type ServedSandbox = {
  /** The base URL partners call, mount included: e.g. http://127.0.0.1:4010/sandbox/jiko */
  baseUrl: string;
  close(): Promise<void>;
};

export async function serveJikoSandbox(router: express.Router, port = 0, host = '127.0.0.1'): Promise<ServedSandbox> {
  const app = express();
  app.disable('x-powered-by');
  app.use(sandboxMountPath, router);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${address.port}${sandboxMountPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
