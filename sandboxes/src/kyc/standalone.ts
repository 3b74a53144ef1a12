/**
 * Serves the KYC sandbox router on its own HTTP server, mounted at /sandbox/kyc as the desk
 * mounts it: for the sandbox's conformance tests and for running it next to a desk.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export const kycSandboxMountPath = '/sandbox/kyc';

export type ServedKycSandbox = {
  /** The base URL partners call, mount included: e.g. http://127.0.0.1:4011/sandbox/kyc */
  baseUrl: string;
  close(): Promise<void>;
};

export async function serveKycSandbox(router: express.Router, port = 0, host = '127.0.0.1'): Promise<ServedKycSandbox> {
  const app = express();
  app.disable('x-powered-by');
  app.use(kycSandboxMountPath, router);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${address.port}${kycSandboxMountPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
