/**
 * The local stack's small HTTP servers (the control endpoint, the webhook sink, the SES emulator, the
 * tests' webhook receiver) listen on the loopback interface and stop the same way.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK } from './constants';

/** Starts `server` listening on the loopback interface; port 0 takes any free port. */
export function listenOnLoopback(server: Server, port = 0): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve());
  });
}

/** Where a listening server answers (`http://127.0.0.1:<port>`), and how to stop it, closing kept-alive connections at once. */
export function loopbackEndpoint(server: Server): { url: string; stop: () => Promise<void> } {
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${LOOPBACK}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
