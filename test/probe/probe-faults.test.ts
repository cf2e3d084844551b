// Every row of the classification table (registry-probe.md), against a loopback server that answers or fails
// like a registry. Only the public API is used: createRegistryProbe(...).probe(targets).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryProbe, type ProbeTuning } from '../../fn/probe/index.js';
import { bearerChallenge, startFaultServer, status, tokenResponse, type FaultHandler, type FaultServer } from './helpers/fault-server.js';
import { findFreePort } from './helpers/registry-fixture.js';
import { createTestOptions, fastTuning } from './helpers/probe-options.js';
import { createTestPki, type TestPki } from './helpers/test-pki.js';
import type { ProbeOptions, ProbeVerdict } from '../../fn/probe/types.js';

const servers: FaultServer[] = [];

async function serve(handler: FaultHandler, options: Parameters<typeof startFaultServer>[1] = {}): Promise<FaultServer> {
  const server = await startFaultServer(handler, options);
  servers.push(server);
  return server;
}

/** Probes one repository on `host`; plain http hosts are listed as insecure so only the row under test runs. */
async function probeOne(
  host: string,
  references: string[] = ['1.0'],
  options: Partial<ProbeOptions> = {},
  tuning: ProbeTuning = fastTuning,
): Promise<ProbeVerdict> {
  const probe = createRegistryProbe(createTestOptions({ insecureRegistries: [host], ...options }), tuning);
  const results = await probe.probe([{ registry: host, repository: 'team/app', references }]);
  const verdict = results.get(`${host}/team/app`);
  assert.ok(verdict !== undefined, 'a verdict for the key');
  return verdict;
}

function assertVerdict(verdict: ProbeVerdict, expected: Partial<Omit<ProbeVerdict, 'message'>> & { message?: string | RegExp }): void {
  const { message, ...rest } = expected;
  for (const [field, value] of Object.entries(rest)) assert.equal(verdict[field as keyof ProbeVerdict], value, `${field} of ${JSON.stringify(verdict)}`);
  if (typeof message === 'string') assert.equal(verdict.message, message);
  else if (message !== undefined) assert.match(verdict.message, message);
}

const manifestPath = (reference: string): string => `/v2/team/app/manifests/${reference}`;

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('probe: 2xx with a manifest -> public', () => {
  it('answers public for a manifest content type, using HEAD only with the full Accept list', async () => {
    const server = await serve(() => ({ kind: 'manifest' }));
    assertVerdict(await probeOne(server.host), { visibility: 'public', reason: 'granted', cacheable: true, warning: false });
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), [`HEAD ${manifestPath('1.0')}`]);
    assert.match(String(server.requests[0]?.headers.accept), /application\/vnd\.oci\.image\.index\.v1\+json/);
    assert.equal(server.requests[0]?.headers.authorization, undefined);
  });

  it('answers public for a Docker-Content-Digest with a generic content type', async () => {
    const server = await serve(() => ({ kind: 'manifest', mediaType: 'application/json' }));
    assertVerdict(await probeOne(server.host), { visibility: 'public', reason: 'granted' });
  });
});

describe('probe: definitive refusals -> private', () => {
  it('401 after the anonymous token', async () => {
    const server = await serve((request) => {
      if (request.path.startsWith('/token')) return tokenResponse('anon-token');
      return bearerChallenge(`${server.origin}/token`);
    });
    assertVerdict(await probeOne(server.host), { visibility: 'private', reason: 'denied', cacheable: true, warning: false, message: 'HTTP 401 after anonymous token' });
    const tokenRequest = server.requests.find((r) => r.path.startsWith('/token'));
    const query = new URL(tokenRequest?.path ?? '/', 'http://x').searchParams;
    assert.equal(query.get('scope'), 'repository:team/app:pull');
    assert.equal(query.get('service'), 'fault-registry');
    assert.equal(tokenRequest?.headers.authorization, undefined, 'anonymous token request');
    assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer anon-token');
    assert.equal(server.requests.length, 3, 'HEAD, token, HEAD with token: one token only');
  });

  it('token endpoint 401 and 403', async () => {
    for (const code of [401, 403]) {
      const server = await serve((request) => (request.path.startsWith('/token') ? status(code) : bearerChallenge(`${server.origin}/token`)));
      assertVerdict(await probeOne(server.host), { visibility: 'private', reason: 'denied', cacheable: true, message: `token endpoint HTTP ${code}` });
    }
  });

  it('401 Basic, unknown scheme, no challenge; 403 on the manifest', async () => {
    const rows: Array<[FaultHandler, string]> = [
      [() => status(401, { 'www-authenticate': 'Basic realm="Registry"' }), 'HTTP 401 with a Basic challenge'],
      [() => status(401, { 'www-authenticate': 'Basic realm="https://1.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"' }), 'HTTP 401 with a Basic challenge'],
      [() => status(401, { 'www-authenticate': 'Negotiate' }), 'HTTP 401 with a Negotiate challenge'],
      [() => status(401), 'HTTP 401 without a challenge'],
      [() => status(403, {}, '{"errors":[{"code":"DENIED","message":"Unauthenticated request (or it may not exist)"}]}'), 'HTTP 403 on the manifest'],
    ];
    for (const [handler, message] of rows) {
      const server = await serve(handler);
      assertVerdict(await probeOne(server.host), { visibility: 'private', reason: 'denied', cacheable: true, warning: false, message });
      assert.equal(server.requests.length, 1, `${message}: no retry`);
    }
  });
});

describe('probe: 404 -> try the next reference, then private + warning', () => {
  it('tries the repository\'s next reference before concluding', async () => {
    const server = await serve((request) => (request.path === manifestPath('2.0') ? { kind: 'manifest' } : status(404)));
    assertVerdict(await probeOne(server.host, ['1.0', '2.0', '3.0']), { visibility: 'public', reason: 'granted' });
    assert.deepEqual(server.requests.map((r) => r.path), [manifestPath('1.0'), manifestPath('2.0')]);
  });

  it('is not-found when every reference is missing', async () => {
    const server = await serve(() => status(404, { 'content-type': 'application/json' }, '{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'));
    assertVerdict(await probeOne(server.host, ['1.0', '2.0']), {
      visibility: 'private',
      reason: 'not-found',
      cacheable: true,
      warning: true,
      message: 'HTTP 404 for all 2 references (1.0, 2.0): not found anonymously',
    });
  });

  it('probes `latest` when no reference was seen', async () => {
    const server = await serve(() => ({ kind: 'manifest' }));
    await probeOne(server.host, []);
    assert.equal(server.requests[0]?.path, manifestPath('latest'));
  });

  it('probes digests as written', async () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const server = await serve(() => ({ kind: 'manifest' }));
    await probeOne(server.host, [digest]);
    assert.equal(server.requests[0]?.path, manifestPath(digest));
  });
});

describe('probe: unreachable -> private + warning, cacheable', () => {
  it('refused connection', async () => {
    const port = await findFreePort();
    const host = `127.0.0.1:${port}`;
    assertVerdict(await probeOne(host), { visibility: 'private', reason: 'unreachable', cacheable: true, warning: true, message: `connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('DNS failure', async () => {
    const verdict = await probeOne('no-such-registry.invalid');
    assertVerdict(verdict, { visibility: 'private', reason: 'unreachable', cacheable: true, warning: true, message: /ENOTFOUND|EAI_AGAIN/ });
  });

  it('timeout, after one retry', async () => {
    const server = await serve(() => ({ kind: 'stall' }));
    const started = Date.now();
    const verdict = await probeOne(server.host, ['1.0'], { timeoutSeconds: 0.3 });
    assertVerdict(verdict, { visibility: 'private', reason: 'unreachable', cacheable: true, message: /Timeout awaiting 'response' for 300ms \(after 2 attempts\)/ });
    assert.equal(server.requests.length, 2);
    assert.ok(Date.now() - started < 2000);
  });

  describe('TLS', () => {
    let dir = '';
    let pki: TestPki;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
      pki = createTestPki(dir);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('TLS failure: an untrusted certificate is unreachable, never retried over plain http', async () => {
      const tls = { cert: readFileSync(pki.serverCertPath, 'utf8'), key: readFileSync(pki.serverKeyPath, 'utf8') };
      const server = await serve(() => ({ kind: 'manifest' }), { tls });
      // Loopback and not listed as insecure: https first, and http only if the server does not speak TLS.
      const verdict = await probeOne(server.host, ['1.0'], { insecureRegistries: [] });
      assertVerdict(verdict, { visibility: 'private', reason: 'unreachable', cacheable: true, message: /certificate/ });
      assert.equal(server.requests.length, 0);
    });

    it('the same server is public once its CA is trusted through NODE_EXTRA_CA_CERTS', async () => {
      const tls = { cert: readFileSync(pki.serverCertPath, 'utf8'), key: readFileSync(pki.serverKeyPath, 'utf8') };
      const server = await serve(() => ({ kind: 'manifest' }), { tls });
      const verdict = await probeOne(server.host, ['1.0'], { insecureRegistries: [], env: { NODE_EXTRA_CA_CERTS: pki.caCertPath } });
      assertVerdict(verdict, { visibility: 'public', reason: 'granted' });
    });
  });
});

describe('probe: 429 and 5xx -> bounded retries, then private + warning, not cacheable', () => {
  it('honors Retry-After and succeeds on the retry', async () => {
    const server = await serve((_request, count) => (count === 1 ? status(429, { 'retry-after': '1' }) : { kind: 'manifest' }));
    const started = Date.now();
    assertVerdict(await probeOne(server.host), { visibility: 'public', reason: 'granted' });
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.equal(server.requests.length, 2);
  });

  it('429 without Retry-After: three attempts with backoff, then rate-limited', async () => {
    const server = await serve(() => status(429));
    assertVerdict(await probeOne(server.host), { visibility: 'private', reason: 'rate-limited', cacheable: false, warning: true, message: 'HTTP 429 after 3 attempts' });
    assert.equal(server.requests.length, 3);
  });

  it('429 with a Retry-After beyond the cap: no waiting at all', async () => {
    const server = await serve(() => status(429, { 'retry-after': '3600' }));
    const started = Date.now();
    assertVerdict(await probeOne(server.host), { reason: 'rate-limited', cacheable: false, message: 'HTTP 429 after 1 attempt (Retry-After 3600 s exceeds the 1 s cap)' });
    assert.ok(Date.now() - started < 500);
  });

  it('5xx after retries; a transient 5xx is retried away', async () => {
    for (const code of [500, 502, 503]) {
      const server = await serve(() => status(code));
      assertVerdict(await probeOne(server.host), { visibility: 'private', reason: 'server-error', cacheable: false, warning: true, message: `HTTP ${code} after 3 attempts` });
    }
    const flaky = await serve((_request, count) => (count === 1 ? status(503) : { kind: 'manifest' }));
    assertVerdict(await probeOne(flaky.host), { reason: 'granted' });
  });

  it('rate limit on the token endpoint', async () => {
    const server = await serve((request) => (request.path.startsWith('/token') ? status(429) : bearerChallenge(`${server.origin}/token`)));
    assertVerdict(await probeOne(server.host), { reason: 'rate-limited', cacheable: false, message: 'token endpoint HTTP 429 after 3 attempts' });
  });

  it('an unexpected status is a server error', async () => {
    const server = await serve(() => status(418));
    assertVerdict(await probeOne(server.host), { visibility: 'private', reason: 'server-error', cacheable: false, message: 'unexpected HTTP 418' });
  });
});

describe('probe: 2xx that is not a manifest -> intercepted', () => {
  it('an HTML captive portal', async () => {
    const server = await serve(() => status(200, { 'content-type': 'text/html; charset=utf-8' }, '<html><body>Please log in</body></html>'));
    assertVerdict(await probeOne(server.host), { visibility: 'private', reason: 'intercepted', cacheable: false, warning: true, message: /text\/html: not a manifest/ });
  });

  it('a token endpoint that answers HTML', async () => {
    const server = await serve((request) =>
      request.path.startsWith('/token') ? status(200, { 'content-type': 'text/html' }, '<html>login</html>') : bearerChallenge(`${server.origin}/token`),
    );
    assertVerdict(await probeOne(server.host), { reason: 'intercepted', cacheable: false });
  });
});

describe('probe: connection reset / EOF -> 3 retries with backoff, then no verdict', () => {
  it('a reset every time', async () => {
    const server = await serve(() => ({ kind: 'reset' }));
    assertVerdict(await probeOne(server.host), { visibility: 'unknown', reason: 'connection-reset', cacheable: false, warning: true, message: /ECONNRESET|socket hang up/ });
    assert.equal(server.requests.length, 4);
  });

  it('a socket closed mid-response every time', async () => {
    const server = await serve(() => ({ kind: 'close-mid-response' }));
    assertVerdict(await probeOne(server.host), { visibility: 'unknown', reason: 'connection-reset', message: /after 4 attempts/ });
  });

  it('one reset, then an answer', async () => {
    const server = await serve((_request, count) => (count === 1 ? { kind: 'reset' } : { kind: 'manifest' }));
    assertVerdict(await probeOne(server.host), { reason: 'granted' });
    assert.equal(server.requests.length, 2);
  });
});

describe('probe: GET only when HEAD is refused', () => {
  for (const code of [405, 501, 400]) {
    it(`HEAD ${code} -> GET`, async () => {
      const server = await serve((request) => (request.method === 'HEAD' ? status(code) : { kind: 'manifest' }));
      assertVerdict(await probeOne(server.host), { reason: 'granted' });
      assert.deepEqual(server.requests.map((r) => r.method), ['HEAD', 'GET']);
    });
  }

  it('keeps the token for the GET', async () => {
    const server = await serve((request) => {
      if (request.path.startsWith('/token')) return tokenResponse('anon-token');
      if (request.headers.authorization === undefined) return bearerChallenge(`${server.origin}/token`);
      return request.method === 'HEAD' ? status(405) : { kind: 'manifest' };
    });
    assertVerdict(await probeOne(server.host), { reason: 'granted' });
    assert.equal(server.requests.at(-1)?.method, 'GET');
    assert.equal(server.requests.at(-1)?.headers.authorization, 'Bearer anon-token');
  });
});

describe('probe: redirects', () => {
  it('same origin: followed, and the token goes along', async () => {
    const server = await serve((request) => {
      if (request.path.startsWith('/token')) return tokenResponse('anon-token');
      if (request.headers.authorization === undefined) return bearerChallenge(`${server.origin}/token`);
      if (request.path === manifestPath('1.0')) return status(307, { location: '/moved/manifest' });
      return { kind: 'manifest' };
    });
    assertVerdict(await probeOne(server.host), { reason: 'granted' });
    const moved = server.requests.find((r) => r.path === '/moved/manifest');
    assert.equal(moved?.headers.authorization, 'Bearer anon-token');
  });

  it('cross origin: followed without the token; an HTML page there is intercepted', async () => {
    const portal = await serve(() => status(200, { 'content-type': 'text/html' }, '<html>portal</html>'));
    const server = await serve((request) => {
      if (request.path.startsWith('/token')) return tokenResponse('anon-token');
      if (request.headers.authorization === undefined) return bearerChallenge(`${server.origin}/token`);
      return status(302, { location: `${portal.origin}/login?next=x` });
    });
    assertVerdict(await probeOne(server.host), { reason: 'intercepted', cacheable: false });
    assert.equal(portal.requests.length, 1);
    assert.equal(portal.requests[0]?.headers.authorization, undefined, 'the token stays with its origin');
  });

  it('cross origin to a registry mirror that answers a manifest: public', async () => {
    const mirror = await serve(() => ({ kind: 'manifest' }));
    const server = await serve((request) => status(301, { location: `${mirror.origin}${request.path}` }));
    assertVerdict(await probeOne(server.host), { reason: 'granted' });
  });

  it('a redirect loop is intercepted', async () => {
    const server = await serve((request) => status(302, { location: `${request.path}x` }));
    assertVerdict(await probeOne(server.host), { reason: 'intercepted', cacheable: false, message: 'more than 5 redirects' });
    assert.equal(server.requests.length, 6);
  });
});

describe('probe: input the core should not send', () => {
  it('an invalid repository or reference is reported, never put in a URL', async () => {
    const server = await serve(() => ({ kind: 'manifest' }));
    const probe = createRegistryProbe(createTestOptions({ insecureRegistries: [server.host] }), fastTuning);
    const results = await probe.probe([
      { registry: server.host, repository: '../etc', references: ['1.0'] },
      { registry: server.host, repository: 'team/app', references: ['../../x'] },
    ]);
    assertVerdict(results.get(`${server.host}/../etc`) as ProbeVerdict, { visibility: 'unknown', cacheable: false, warning: true, message: /invalid repository name/ });
    assertVerdict(results.get(`${server.host}/team/app`) as ProbeVerdict, { visibility: 'unknown', cacheable: false, message: /no valid reference/ });
    assert.equal(server.requests.length, 0);
  });
});
