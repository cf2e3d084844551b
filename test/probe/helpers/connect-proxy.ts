// A loopback forward proxy that only tunnels (CONNECT), like a corporate egress proxy; optionally demands
// Basic proxy credentials, answers every CONNECT with a fixed status (a proxy refusing, or failing with
// 502), or intercepts TLS with its own certificate (a TLS-inspecting proxy). Records every CONNECT it saw
// and every tunnel it opened. It never connects anywhere but loopback: a target that is neither loopback
// nor routed is answered 403, so a test can name any address without sending traffic off this machine.

import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, isIP, type AddressInfo, type Socket } from 'node:net';
import { isLoopbackHost } from '../../../fn/probe/registry-endpoint.js';
import { ociManifestType } from './fault-server.js';

export interface ConnectProxy {
  url: string; // "http://127.0.0.1:<port>"
  requested: string[]; // "host:port" of every CONNECT received, answered or not
  tunnels: string[]; // "host:port" per tunnel opened
  refused: number; // CONNECTs answered 407
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  username?: string;
  password?: string;
  routes?: Record<string, string>; // "name:port" -> "127.0.0.1:port": names only the proxy can reach
  answer?: (target: string) => number | undefined; // a status for this CONNECT instead of a tunnel (403, 502, …)
  intercept?: { cert: string; key: string }; // terminate TLS itself with this certificate and answer a manifest
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const requested: string[] = [];
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  let refused = 0;
  const expected =
    options.username === undefined ? undefined : `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  // The interceptor's own server: every tunnel is handed to it, whatever the client asked for.
  const interceptor =
    options.intercept === undefined
      ? undefined
      : createHttpsServer({ ...options.intercept }, (request, response) => {
          response.writeHead(200, { 'content-type': ociManifestType, 'docker-content-digest': `sha256:${'0'.repeat(64)}` });
          response.end(request.method === 'HEAD' ? undefined : '{"schemaVersion":2}');
        });
  interceptor?.on('secureConnection', track);

  const server = createServer((_request, response) => {
    response.writeHead(405, { 'content-type': 'text/plain' });
    response.end('this proxy only tunnels');
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    client.on('error', () => client.destroy());
    const target = request.url ?? '';
    requested.push(target);
    if (expected !== undefined && request.headers['proxy-authorization'] !== expected) {
      refused += 1;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n');
      return;
    }
    const status = options.answer?.(target);
    if (status !== undefined) {
      client.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const match = /^(.+):(\d+)$/.exec(target);
    if (match?.[1] === undefined || match[2] === undefined) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    if (interceptor !== undefined) {
      tunnels.push(target);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) client.unshift(head);
      interceptor.emit('connection', client);
      return;
    }
    const routed = /^(.+):(\d+)$/.exec(options.routes?.[target] ?? target) ?? match;
    const host = (routed[1] ?? '').replace(/^\[|\]$/g, '');
    if (!isLoopbackHost(host) || (isIP(host) === 0 && host !== 'localhost')) {
      client.end('HTTP/1.1 403 Forbidden (test proxy: loopback only)\r\n\r\n');
      return;
    }
    tunnels.push(target);
    const upstream = connect(Number(routed[2]), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', track);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requested,
    tunnels,
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        interceptor?.close();
        server.close(() => resolve());
      }),
  };
}
