/**
 * An address where webhooks are lost: a loopback server, bound at once on a port of the
 * system's choosing, that drops every connection unanswered (as a network that loses them
 * would) and counts what it dropped. A test that wants the desk to hear no provider webhook
 * points `publicUrl` here; a port merely reserved and left unbound could be taken by another
 * test's server in the meantime, which would then receive those webhooks.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WebhookSink = {
  url: string;
  /** The paths of the requests dropped so far, in arrival order. */
  dropped: string[];
  close(): Promise<void>;
};

export async function startWebhookSink(): Promise<WebhookSink> {
  const dropped: string[] = [];
  const server = createServer((req) => {
    dropped.push(req.url ?? '/');
    req.socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
