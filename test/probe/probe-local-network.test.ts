// This machine's way out failing is no verdict about an image: a configured proxy that is stopped, refuses
// every CONNECT or answers 502, and a TLS-inspecting proxy whose CA is not trusted all give `local-network`
// (decided like offline, never pinnable); a registry that fails while others get through keeps KOTS's
// "unreachable means private". A real CONNECT proxy on loopback throughout; it never connects off-machine.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFunctionOnce, FUNCTION_PATH, run } from '../e2e/support.js';
import { createRegistryProbe } from '../../fn/probe/index.js';
import { startConnectProxy, type ConnectProxy, type ConnectProxyOptions } from './helpers/connect-proxy.js';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { createTestOptions, fastTuning } from './helpers/probe-options.js';
import { buildResourceList } from './helpers/resource-list-input.js';
import { createTestPki, type TestPki } from './helpers/test-pki.js';
import type { ProbeTarget, ProbeVerdict } from '../../fn/probe/types.js';

describe('probe: local network failures', function () {
  this.timeout(60_000);
  let dir = '';
  let pki: TestPki;
  let interceptorPki: TestPki;
  let registry: FaultServer;
  const proxies: ConnectProxy[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'probe-local-network-'));
    pki = createTestPki(mkdtempSync(join(dir, 'registry-')));
    interceptorPki = createTestPki(mkdtempSync(join(dir, 'interceptor-')));
    registry = await startFaultServer(() => ({ kind: 'manifest' }), {
      tls: { cert: readFileSync(pki.serverCertPath, 'utf8'), key: readFileSync(pki.serverKeyPath, 'utf8') },
    });
  });
  after(async () => {
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  const names = ['registry-a.probe.test', 'registry-b.probe.test'];
  async function proxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
    const started = await startConnectProxy(options);
    proxies.push(started);
    return started;
  }
  async function probeThrough(proxyUrl: string, targets: ProbeTarget[], ca = pki.caCertPath): Promise<Map<string, ProbeVerdict>> {
    return createRegistryProbe(createTestOptions({ env: { HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: ca } }), fastTuning).probe(targets);
  }
  const targets = names.map((registryName) => ({ registry: registryName, repository: 'team/app', references: ['1.0'] }));
  function assertLocal(results: Map<string, ProbeVerdict>, pattern: RegExp, count = targets.length): void {
    assert.equal(results.size, count);
    for (const verdict of results.values()) {
      assert.equal(verdict.reason, 'local-network', verdict.message);
      assert.equal(verdict.visibility, 'unknown');
      assert.equal(verdict.cacheable, false);
      assert.match(verdict.message, pattern);
    }
  }

  it('the configured proxy stopped', async () => {
    const stopped = await proxy({});
    await stopped.close();
    assertLocal(await probeThrough(stopped.url, targets), /^local network failure: the proxy http:\/\/127\.0\.0\.1:\d+\/? could not be reached \(ECONNREFUSED\)$/);
    // One image alone is no different: the proxy was never reached, so the registry was never asked.
    assertLocal(await probeThrough(stopped.url, targets.slice(0, 1)), /ECONNREFUSED/, 1);
  });

  it('the proxy refusing every CONNECT (403), or answering 502', async () => {
    const refusing = await proxy({ answer: () => 403 });
    assertLocal(await probeThrough(refusing.url, targets), /the proxy http:\/\/127\.0\.0\.1:\d+\/? refused every tunnel \(HTTP 403\)/);
    const failing = await proxy({ answer: () => 502 });
    assertLocal(await probeThrough(failing.url, targets), /refused every tunnel \(HTTP 502\)/);
    assert.deepEqual(failing.tunnels, []);
    assert.equal(failing.requested.length, 2);
  });

  it('a registry the proxy cannot reach while another gets through stays unreachable (private, pinnable)', async () => {
    // registry.probe.test is the name the test certificate carries.
    const partial = await proxy({ routes: { 'registry.probe.test:443': registry.host }, answer: (target) => (target.startsWith('registry-b.') ? 502 : undefined) });
    const results = await probeThrough(partial.url, [{ registry: 'registry.probe.test', repository: 'team/app', references: ['1.0'] }, targets[1]!]);
    assert.equal(results.get('registry.probe.test/team/app')?.reason, 'granted', results.get('registry.probe.test/team/app')?.message);
    const failed = results.get('registry-b.probe.test/team/app');
    assert.equal(failed?.reason, 'unreachable', failed?.message);
    assert.equal(failed?.cacheable, true);
    assert.match(failed?.message ?? '', /answered CONNECT with HTTP 502/);
  });

  it('a TLS-inspecting proxy whose CA is not trusted', async () => {
    const interceptor = await proxy({
      intercept: { cert: readFileSync(interceptorPki.serverCertPath, 'utf8'), key: readFileSync(interceptorPki.serverKeyPath, 'utf8') },
    });
    const both = ['team/a', 'team/b'].map((repository) => ({ registry: 'registry.probe.test', repository, references: ['1.0'] }));
    const results = await probeThrough(interceptor.url, both);
    for (const verdict of results.values()) {
      assert.equal(verdict.reason, 'local-network', verdict.message);
      assert.equal(verdict.cacheable, false);
      assert.match(verdict.message, /no registry presented a trusted certificate through the proxy http:\/\/127\.0\.0\.1:\d+\/? \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
    }
    assert.ok(interceptor.tunnels.length > 0, 'the probe did go through the interceptor');
    // Its CA trusted, the same interceptor is simply the way out.
    const trusted = await probeThrough(interceptor.url, both, interceptorPki.caCertPath);
    for (const verdict of trusted.values()) assert.equal(verdict.reason, 'granted', verdict.message);
  });

  describe('the function as a process, the proxy stopped', () => {
    let stoppedUrl = '';
    before(async () => {
      await buildFunctionOnce();
      const stopped = await startConnectProxy();
      stoppedUrl = stopped.url;
      await stopped.close();
    });
    const input = buildResourceList('{appSlug: my-app, licenseIDFromEnv: LIC, probe: {timeoutSeconds: 5}}', ['docker.io/library/nginx:1.25', 'quay.io/vendor/api:2']);
    const env = (): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'] ?? '', HTTPS_PROXY: stoppedUrl, LIC: 'local-network-license-1' });

    it('known-images pins nothing and says on stderr which images it left out and why', async () => {
      const result = await run(process.execPath, [FUNCTION_PATH, 'known-images'], { input, env: env() });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.doesNotMatch(result.stdout, /- image:/);
      assert.match(result.stdout, /^knownImages:\n# undecided: docker\.io\/library\/nginx:1\.25 \(probe: local-network/);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 3, result.stderr);
      for (const [index, image] of ['docker.io/library/nginx:1.25', 'quay.io/vendor/api:2'].entries()) {
        assert.match(lines[index]!, new RegExp(`^registry-proxy: warning: known-images: left out ${image.replace(/[./]/g, '\\$&')}: probe: local-network \\(local network failure: the proxy http://127\\.0\\.0\\.1:\\d+/? could not be reached \\(ECONNREFUSED\\)\\)`));
      }
      assert.equal(lines[2], 'registry-proxy: warning: known-images: 2 image(s) left out: no definitive verdict to pin');
    });

    it('a render decides by unknownImages with one warning naming the cause, and nothing pinnable', async () => {
      const result = await run(process.execPath, [FUNCTION_PATH], { input, env: env() });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /image: "proxy\.replicated\.com\/proxy\/my-app\/docker\.io\/library\/nginx:1\.25"/);
      const warnings = result.stdout.match(/severity: warning/g) ?? [];
      assert.equal(warnings.length, 1, result.stdout);
      assert.match(result.stdout, /message: "local network failure: the proxy http:\/\/127\.0\.0\.1:\d+\/? could not be reached \(ECONNREFUSED\): 2 image\(s\) decided without a probe \(unknownImages: private\)/);
      assert.doesNotMatch(result.stdout, /"pinnable": "true"/);
    });
  });
});
