// A small Docker token server (the token-auth spec) for distribution's `auth.token`: RS256 JWTs carrying the
// signing certificate in `x5c`, with per-repository policy. Anonymous clients get `pull` on public
// repositories, an empty access list on private ones (as Docker Hub and Quay), and a 401 from the token
// endpoint itself on denied ones (as GHCR). Known users get what they ask for.

import { createSign, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RepositoryPolicy = 'public' | 'private' | 'denied';

export interface TokenServerOptions {
  service: string;
  issuer: string;
  signingKeyPem: string;
  certificateDerBase64: string;
  policy: (repository: string) => RepositoryPolicy;
  users: Record<string, string>; // username -> password
  expiresInSeconds?: number;
}

export interface TokenRequestRecord {
  scope: string[];
  service: string | undefined;
  user: string | undefined; // who authenticated; undefined when anonymous
  rejected: boolean; // credentials were sent and were wrong
}

export interface TokenServer {
  realm: string;
  requests: TokenRequestRecord[];
  close(): Promise<void>;
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const requests: TokenRequestRecord[] = [];
  const server = createServer((request, response) => answer(request, response, options, requests));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function answer(request: IncomingMessage, response: ServerResponse, options: TokenServerOptions, requests: TokenRequestRecord[]): void {
  const url = new URL(request.url ?? '/', 'http://token.invalid');
  const scopes = url.searchParams.getAll('scope');
  const user = authenticate(request.headers.authorization, options.users);
  requests.push({
    scope: scopes,
    service: url.searchParams.get('service') ?? undefined,
    user: typeof user === 'string' ? user : undefined,
    rejected: user === false,
  });
  if (user === false) return send(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });

  const access: Array<{ type: string; name: string; actions: string[] }> = [];
  for (const scope of scopes) {
    const [type, name, actions] = scope.split(':');
    if (type !== 'repository' || name === undefined || actions === undefined) continue;
    const wanted = actions.split(',');
    const policy = options.policy(name);
    if (user !== undefined) access.push({ type, name, actions: wanted });
    else if (policy === 'denied') return send(response, 401, { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] });
    else access.push({ type, name, actions: policy === 'public' ? wanted.filter((action) => action === 'pull') : [] });
  }
  const expiresIn = options.expiresInSeconds ?? 300;
  const token = signJwt(options, user ?? '', access, expiresIn);
  send(response, 200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() });
}

/** undefined: anonymous; false: credentials given but wrong; else the user name. */
function authenticate(header: string | undefined, users: Record<string, string>): string | undefined | false {
  if (header === undefined) return undefined;
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (match?.[1] === undefined) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const name = decoded.slice(0, separator);
  return separator > 0 && users[name] === decoded.slice(separator + 1) ? name : false;
}

function signJwt(options: TokenServerOptions, subject: string, access: unknown[], expiresIn: number): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [options.certificateDerBase64] };
  const claims = { iss: options.issuer, sub: subject, aud: options.service, exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access };
  const body = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(body).sign(options.signingKeyPem);
  return `${body}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
