// A loopback forward proxy that only tunnels (CONNECT), like a corporate egress proxy; optionally demands
// Basic proxy credentials. Records every tunnel it opened and the Proxy-Authorization it saw.

import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  url: string; // "http://127.0.0.1:<port>"
  tunnels: string[]; // "host:port" per CONNECT accepted
  refused: number; // CONNECTs answered 407
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  username?: string;
  password?: string;
  routes?: Record<string, string>; // "name:port" -> "127.0.0.1:port": names only the proxy can reach
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  let refused = 0;
  const expected =
    options.username === undefined ? undefined : `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  const server = createServer((_request, response) => {
    response.writeHead(405, { 'content-type': 'text/plain' });
    response.end('this proxy only tunnels');
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    if (expected !== undefined && request.headers['proxy-authorization'] !== expected) {
      refused += 1;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n');
      return;
    }
    const target = request.url ?? '';
    const match = /^(.+):(\d+)$/.exec(target);
    if (match?.[1] === undefined || match[2] === undefined) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    tunnels.push(target);
    const routed = /^(.+):(\d+)$/.exec(options.routes?.[target] ?? target) ?? match;
    const upstream = connect(Number(routed[2]), (routed[1] ?? '').replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
