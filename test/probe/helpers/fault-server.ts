// A loopback server that answers like a registry, or fails like one: any status and headers, a reset or
// closed connection, a stall, an HTML page, redirects, a token endpoint; with injected latency. Records
// every request and the highest number of requests it served at once.

import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string; // with the query string
  headers: IncomingHttpHeaders;
}

export type FaultAction =
  | { kind: 'manifest'; mediaType?: string; withDigest?: boolean } // 200 manifest (no body for HEAD)
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' } // TCP RST before any answer
  | { kind: 'close-mid-response' } // half a status line, then FIN
  | { kind: 'stall' } // accept and never answer
  | { kind: 'huge'; status: number; headers: Record<string, string>; prefix: string; totalBytes: number; sent: { bytes: number } }; // a body of totalBytes, written as fast as the client reads, counted in `sent`

/** `count` is how many times this method and path have been seen, this one included. */
export type FaultHandler = (request: RecordedRequest, count: number) => FaultAction;

export interface FaultServer {
  host: string; // "127.0.0.1:<port>"
  origin: string; // "http://127.0.0.1:<port>"
  requests: RecordedRequest[];
  maxConcurrent: () => number;
  close(): Promise<void>;
}

/** Shared by several servers to see the highest number of requests in flight across all of them. */
export interface ConcurrencyTracker {
  active: number;
  highest: number;
}

export interface FaultServerOptions {
  latencyMs?: number;
  tracker?: ConcurrencyTracker;
  tls?: { cert: string; key: string };
  address?: string; // default 127.0.0.1
  port?: number; // default: any free port
}

export const ociManifestType = 'application/vnd.oci.image.manifest.v1+json';

export async function startFaultServer(handler: FaultHandler, options: FaultServerOptions = {}): Promise<FaultServer> {
  const requests: RecordedRequest[] = [];
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  let active = 0;
  let highest = 0;

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const recorded = { method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers };
    requests.push(recorded);
    const seenKey = `${recorded.method} ${recorded.path}`;
    const count = (seen.get(seenKey) ?? 0) + 1;
    seen.set(seenKey, count);
    const tracker = options.tracker;
    active += 1;
    highest = Math.max(highest, active);
    if (tracker !== undefined) {
      tracker.active += 1;
      tracker.highest = Math.max(tracker.highest, tracker.active);
    }
    const finish = (): void => {
      active -= 1;
      if (tracker !== undefined) tracker.active -= 1;
    };
    const run = (): void => {
      const action = handler(recorded, count);
      if (action.kind !== 'stall') finish();
      perform(action, request, response);
    };
    if (options.latencyMs !== undefined && options.latencyMs > 0) setTimeout(run, options.latencyMs);
    else run();
  };

  const server: Server =
    options.tls === undefined ? createHttpServer({ keepAlive: true }, listener) : createHttpsServer({ ...options.tls, keepAlive: true }, listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const address = options.address ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls === undefined ? 'http' : 'https';
  return {
    host: `${address}:${port}`,
    origin: `${scheme}://${address}:${port}`,
    requests,
    maxConcurrent: () => highest,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function perform(action: FaultAction, request: IncomingMessage, response: ServerResponse): void {
  switch (action.kind) {
    case 'manifest': {
      const body = JSON.stringify({ schemaVersion: 2, mediaType: action.mediaType ?? ociManifestType });
      const headers: Record<string, string> = {
        'content-type': action.mediaType ?? ociManifestType,
        'content-length': String(Buffer.byteLength(body)),
      };
      if (action.withDigest !== false) headers['docker-content-digest'] = 'sha256:0000000000000000000000000000000000000000000000000000000000000000';
      response.writeHead(200, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    case 'respond': {
      const body = action.body ?? '';
      response.writeHead(action.status, { 'content-length': String(Buffer.byteLength(body)), ...action.headers });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    case 'reset':
      request.socket.resetAndDestroy();
      return;
    case 'close-mid-response':
      request.socket.end('HTTP/1.1 200 OK\r\nContent-Ty');
      return;
    case 'stall':
      return;
    case 'huge':
      writeHuge(action, response);
      return;
  }
}

// Generated as it goes, so a 1 GiB body costs the test process one chunk; stops when the client hangs up.
function writeHuge(action: Extract<FaultAction, { kind: 'huge' }>, response: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  response.writeHead(action.status, { 'content-length': String(action.totalBytes), ...action.headers });
  let remaining = action.totalBytes;
  let closed = false;
  response.once('close', () => (closed = true));
  const write = (data: Buffer): boolean => {
    remaining -= data.length;
    action.sent.bytes += data.length;
    return response.write(data);
  };
  const pump = (): void => {
    while (remaining > 0 && !closed) {
      if (!write(chunk.subarray(0, Math.min(chunk.length, remaining)))) {
        response.once('drain', pump);
        return;
      }
    }
    if (remaining === 0 && !closed) response.end();
  };
  write(Buffer.from(action.prefix));
  pump();
}

/** A registry's Bearer challenge pointing at `realm`. */
export function bearerChallenge(realm: string, service = 'fault-registry'): FaultAction {
  return { kind: 'respond', status: 401, headers: { 'www-authenticate': `Bearer realm="${realm}",service="${service}"` }, body: '{"errors":[{"code":"UNAUTHORIZED"}]}' };
}

export function tokenResponse(token: string, expiresIn = 300): FaultAction {
  return { kind: 'respond', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, expires_in: expiresIn }) };
}

export function status(code: number, headers: Record<string, string> = {}, body = ''): FaultAction {
  return { kind: 'respond', status: code, headers, body };
}
