import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { resolveProxyFromEnv, createAgentPool } from '../../fn/probe/http-agent.js';

describe('resolveProxyFromEnv', () => {
  // Columns: env, URL, expected proxy.
  const cases: Array<[Record<string, string>, string, string | undefined]> = [
    [{}, 'https://quay.io/v2/', undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128' }, 'https://quay.io/v2/', 'http://proxy:3128'],
    [{ https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128' }, 'https://quay.io/v2/', 'http://lower:3128'],
    [{ HTTPS_PROXY: 'http://proxy:3128' }, 'http://127.0.0.1:5000/v2/', undefined], // http URLs use HTTP_PROXY
    [{ HTTP_PROXY: 'http://proxy:3128' }, 'http://127.0.0.1:5000/v2/', 'http://proxy:3128'],
    [{ HTTPS_PROXY: 'proxy:3128' }, 'https://quay.io/v2/', 'https://proxy:3128'],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'quay.io' }, 'https://quay.io/v2/', undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128', no_proxy: '.example.com' }, 'https://reg.example.com/v2/', undefined],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*.example.com' }, 'https://example.org/v2/', 'http://proxy:3128'],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'reg.local:5000' }, 'https://reg.local:5001/v2/', 'http://proxy:3128'],
    [{ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*' }, 'https://quay.io/v2/', undefined],
  ];
  for (const [env, url, expected] of cases) {
    it(`${JSON.stringify(env)} ${url}`, () => {
      assert.equal(resolveProxyFromEnv(url, env), expected);
    });
  }

  it('reads only the injected env and leaves process.env as it was', () => {
    const before = process.env;
    process.env['HTTPS_PROXY_PROBE_TEST'] = 'marker';
    assert.equal(resolveProxyFromEnv('https://quay.io/', {}), undefined);
    assert.equal(process.env, before);
    assert.equal(process.env['HTTPS_PROXY_PROBE_TEST'], 'marker');
    delete process.env['HTTPS_PROXY_PROBE_TEST'];
  });
});

describe('createAgentPool', () => {
  it('shares one direct agent set and one per proxy, and hides proxy credentials', () => {
    const pool = createAgentPool({ env: { HTTPS_PROXY: 'http://user:pw@proxy.corp:3128', NO_PROXY: 'internal.corp' }, ca: undefined, timeoutMs: 1000 });
    const direct = pool.selectAgents('https://internal.corp/v2/');
    const proxied = pool.selectAgents('https://quay.io/v2/');
    assert.equal(direct.proxy, undefined);
    assert.equal(proxied.proxy, 'http://proxy.corp:3128');
    assert.equal(pool.selectAgents('https://ghcr.io/v2/'), proxied);
    assert.equal(pool.selectAgents('https://internal.corp/x'), direct);
    assert.notEqual(direct.https, proxied.https);
    assert.equal(pool.resolveProxy('https://quay.io/'), 'http://user:pw@proxy.corp:3128');
  });

  it('is usable by plain node:https too (the agent is a real https.Agent)', async () => {
    const pool = createAgentPool({ env: {}, ca: undefined, timeoutMs: 500 });
    const error = await new Promise<Error>((resolve) => {
      const request = httpsRequest('https://127.0.0.1:1/', { agent: pool.selectAgents('https://127.0.0.1:1/').https }, () => resolve(new Error('answered')));
      request.on('error', resolve);
      request.end();
    });
    assert.match(String((error as { code?: string }).code), /ECONNREFUSED/);
  });
});
