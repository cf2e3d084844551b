// A loopback listener that must never be reached: it counts every TCP connection (not only requests), so
// a test proves the probe refused before connecting, and answers nothing.

import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface Trap {
  host: string; // "127.0.0.2:<port>"
  connections: () => number;
  close(): Promise<void>;
}

export async function startTrap(address: string, port = 0): Promise<Trap> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    host: `${address.includes(':') ? `[${address}]` : address}:${bound}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
