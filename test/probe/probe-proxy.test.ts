// Corporate networks: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the injected env, through a loopback CONNECT
// proxy; the test CA trusted for the tunnelled TLS; proxy credentials never in a message.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistryProbe } from '../../fn/probe/index.js';
import { startConnectProxy, type ConnectProxy } from './helpers/connect-proxy.js';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { createTestOptions, fastTuning, offlineNetwork } from './helpers/probe-options.js';
import { createTestPki } from './helpers/test-pki.js';
import type { ProbeVerdict } from '../../fn/probe/types.js';

describe('probe through an HTTP(S) proxy', () => {
  let dir = '';
  let caPath = '';
  let tlsRegistry: FaultServer;
  let plainRegistry: FaultServer;
  const proxies: ConnectProxy[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'probe-proxy-'));
    const pki = createTestPki(dir);
    caPath = pki.caCertPath;
    const tls = { cert: readFileSync(pki.serverCertPath, 'utf8'), key: readFileSync(pki.serverKeyPath, 'utf8') };
    tlsRegistry = await startFaultServer(() => ({ kind: 'manifest' }), { tls });
    plainRegistry = await startFaultServer(() => ({ kind: 'manifest' }));
  });
  after(async () => {
    await Promise.all([tlsRegistry.close(), plainRegistry.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  async function proxy(options: Parameters<typeof startConnectProxy>[0] = {}): Promise<ConnectProxy> {
    const started = await startConnectProxy(options);
    proxies.push(started);
    return started;
  }

  async function probeOne(host: string, env: Record<string, string>, insecure: string[] = []): Promise<ProbeVerdict> {
    const probe = createRegistryProbe(createTestOptions({ env, insecureRegistries: insecure }), fastTuning);
    const verdict = (await probe.probe([{ registry: host, repository: 'team/app', references: ['1.0'] }])).get(`${host}/team/app`);
    assert.ok(verdict);
    return verdict;
  }

  it('tunnels https through HTTPS_PROXY and trusts NODE_EXTRA_CA_CERTS inside the tunnel', async () => {
    const corporate = await proxy();
    const verdict = await probeOne(tlsRegistry.host, { HTTPS_PROXY: corporate.url, NODE_EXTRA_CA_CERTS: caPath });
    assert.equal(verdict.reason, 'granted', verdict.message);
    assert.deepEqual(corporate.tunnels, [tlsRegistry.host]);
    assert.equal(tlsRegistry.requests.at(-1)?.method, 'HEAD');
  });

  it('honors lower-case https_proxy and plain-http registries through HTTP_PROXY', async () => {
    const corporate = await proxy();
    assert.equal((await probeOne(tlsRegistry.host, { https_proxy: corporate.url, NODE_EXTRA_CA_CERTS: caPath })).reason, 'granted');
    assert.equal((await probeOne(plainRegistry.host, { HTTP_PROXY: corporate.url }, [plainRegistry.host])).reason, 'granted');
    assert.deepEqual(corporate.tunnels, [tlsRegistry.host, plainRegistry.host]);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const corporate = await proxy();
    const verdict = await probeOne(tlsRegistry.host, { HTTPS_PROXY: corporate.url, NO_PROXY: 'example.com,127.0.0.1', NODE_EXTRA_CA_CERTS: caPath });
    assert.equal(verdict.reason, 'granted');
    assert.deepEqual(corporate.tunnels, []);
  });

  it('sends proxy credentials from the URL, and never shows them', async () => {
    const corporate = await proxy({ username: 'proxy-user', password: 'proxy-secret' });
    const url = new URL(corporate.url);
    url.username = 'proxy-user';
    url.password = 'proxy-secret';
    assert.equal((await probeOne(tlsRegistry.host, { HTTPS_PROXY: url.href, NODE_EXTRA_CA_CERTS: caPath })).reason, 'granted');

    url.password = 'wrong-secret';
    const refused = await probeOne(tlsRegistry.host, { HTTPS_PROXY: url.href, NODE_EXTRA_CA_CERTS: caPath });
    // The proxy refused the only tunnel asked of it: a fact about this machine's way out, not the image.
    assert.equal(refused.reason, 'local-network');
    assert.equal(refused.cacheable, false);
    assert.match(refused.message, /407/);
    assert.match(refused.message, new RegExp(`the proxy ${corporate.url}`));
    assert.doesNotMatch(refused.message, /secret|proxy-user/);
    assert.equal(corporate.refused, 1);
  });

  it('reaches a registry only the proxy can resolve, even when this host looks offline', async () => {
    const corporate = await proxy({ routes: { 'registry.probe.test:443': tlsRegistry.host } });
    const probe = createRegistryProbe(createTestOptions({ env: { HTTPS_PROXY: corporate.url, NODE_EXTRA_CA_CERTS: caPath } }), {
      ...fastTuning,
      network: offlineNetwork, // only loopback here: the loopback proxy is the way out
    });
    const results = await probe.probe([{ registry: 'registry.probe.test', repository: 'team/app', references: ['1.0'] }]);
    assert.equal(results.get('registry.probe.test/team/app')?.reason, 'granted', results.get('registry.probe.test/team/app')?.message);
    assert.deepEqual(corporate.tunnels, ['registry.probe.test:443']);
  });
});
