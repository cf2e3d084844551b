// The egress policy against hostile registries on loopback: realms and redirects that point inward,
// registries named by internal addresses, plain-http realms spelled in any case. Every forbidden
// destination is a loopback trap that counts TCP connections (it must count zero), or is reachable only
// through a loopback test proxy that never connects off this machine (its log must not name it).

import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFunctionOnce, FUNCTION_PATH, run } from '../e2e/support.js';
import { createRegistryProbe } from '../../fn/probe/index.js';
import { startConnectProxy, type ConnectProxy } from './helpers/connect-proxy.js';
import { bearerChallenge, startFaultServer, status, tokenResponse, type FaultHandler, type FaultServer } from './helpers/fault-server.js';
import { createTestOptions, fastTuning } from './helpers/probe-options.js';
import { buildResourceList } from './helpers/resource-list-input.js';
import { createTestPki } from './helpers/test-pki.js';
import { startTrap, type Trap } from './helpers/trap.js';
import type { ProbeOptions, ProbeTarget, ProbeVerdict } from '../../fn/probe/types.js';

describe('probe egress policy', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  });

  async function trap(address: string): Promise<Trap> {
    const started = await startTrap(address);
    cleanups.push(() => started.close());
    return started;
  }
  async function registry(handler: FaultHandler, tls?: { cert: string; key: string }): Promise<FaultServer> {
    const started = await startFaultServer(handler, tls === undefined ? {} : { tls });
    cleanups.push(() => started.close());
    return started;
  }
  async function proxy(options: Parameters<typeof startConnectProxy>[0]): Promise<ConnectProxy> {
    const started = await startConnectProxy(options);
    cleanups.push(() => started.close());
    return started;
  }
  async function probeAll(targets: ProbeTarget[], overrides: Partial<ProbeOptions>, resolve?: (name: string) => Promise<LookupAddress[]>): Promise<Map<string, ProbeVerdict>> {
    const probe = createRegistryProbe(createTestOptions({ allowPrivateAddresses: false, ...overrides }), { ...fastTuning, ...(resolve ? { resolve } : {}) });
    return probe.probe(targets);
  }
  const target = (registry: string, repository = 'team/app'): ProbeTarget => ({ registry, repository, references: ['1.0'] });

  describe('a listed loopback registry', () => {
    it('may not send the token request to another loopback host (a realm on 127.0.0.2 for a registry on 127.0.0.1)', async () => {
      const hidden = await trap('127.0.0.2');
      const open = await registry(() => bearerChallenge(`http://${hidden.host}/latest/meta-data?x=1`));
      const verdict = (await probeAll([target(open.host)], { insecureRegistries: [open.host] })).get(`${open.host}/team/app`);
      assert.equal(verdict?.reason, 'refused', verdict?.message);
      assert.equal(verdict?.cacheable, false);
      assert.match(verdict?.message ?? '', /token realm http:\/\/127\.0\.0\.2:\d+: it is a loopback address/);
      assert.equal(hidden.connections(), 0);
      assert.equal(open.requests.length, 1, 'the challenge, then nothing');

      // The same registry with allowPrivateAddresses: the trap is reached, so the count above could fail.
      await probeAll([target(open.host)], { insecureRegistries: [open.host], allowPrivateAddresses: true });
      assert.ok(hidden.connections() > 0);
    });

    it('may not redirect the manifest request to another loopback host', async () => {
      const hidden = await trap('127.0.0.3');
      const open = await registry(() => status(307, { location: `http://${hidden.host}/v2/team/app/manifests/1.0` }));
      const verdict = (await probeAll([target(open.host)], { insecureRegistries: [open.host] })).get(`${open.host}/team/app`);
      assert.equal(verdict?.reason, 'refused', verdict?.message);
      assert.match(verdict?.message ?? '', /redirect to http:\/\/127\.0\.0\.3/);
      assert.equal(hidden.connections(), 0);
      await probeAll([target(open.host)], { insecureRegistries: [open.host], allowPrivateAddresses: true });
      assert.ok(hidden.connections() > 0);
    });

    it('gets its token from its own host and port, as every registry with a built-in token service', async () => {
      const own: FaultHandler = (request) => {
        if (request.path.startsWith('/token')) return tokenResponse('own-token');
        return request.headers.authorization === 'Bearer own-token' ? { kind: 'manifest' } : bearerChallenge(`http://${ownRegistry.host}/token`);
      };
      const ownRegistry = await registry(own);
      const verdict = (await probeAll([target(ownRegistry.host)], { insecureRegistries: [ownRegistry.host] })).get(`${ownRegistry.host}/team/app`);
      assert.equal(verdict?.reason, 'granted', verdict?.message);
    });

    it('may not send the token request to a name that resolves to another loopback host (checked at the resolver, connection pinned)', async () => {
      const hidden = await trap('127.0.0.2');
      const port = Number(hidden.host.split(':')[1]);
      const open = await registry(() => bearerChallenge(`http://evil.probe.test:${port}/token`));
      const asked: string[] = [];
      const resolve = async (name: string): Promise<LookupAddress[]> => {
        asked.push(name);
        if (name === 'registry.probe.test') return [{ address: '127.0.0.1', family: 4 }];
        if (name === 'evil.probe.test') return [{ address: '127.0.0.2', family: 4 }];
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      };
      const name = `registry.probe.test:${open.host.split(':')[1]}`;
      const verdict = (await probeAll([target(name)], { insecureRegistries: [name] }, resolve)).get(`${name}/team/app`);
      // registry.probe.test exists only in this resolver: the registry answered, so the connection used it.
      assert.equal(open.requests.length, 1);
      assert.equal(verdict?.reason, 'refused', verdict?.message);
      assert.deepEqual(asked, ['registry.probe.test', 'evil.probe.test']);
      assert.equal(hidden.connections(), 0);
    });
  });

  it('never contacts a registry named by an internal address, unless told to', async () => {
    const hidden = await trap('127.0.0.1');
    const port = hidden.host.split(':')[1];
    // The way out, were the policy to let anything through: it logs, and connects to loopback only.
    const corporate = await proxy({});
    const env = { HTTPS_PROXY: corporate.url, HTTP_PROXY: corporate.url };
    const internal = [hidden.host, `localhost:${port}`, `[::1]:${port}`, `0.0.0.0:${port}`, '10.0.0.1', '192.168.1.1', '172.16.0.1', '169.254.169.254', 'metadata.google.internal', '[fd00:ec2::254]'];
    const results = await probeAll(internal.map((registryName) => target(registryName)), { env });
    for (const registryName of internal) {
      const verdict = results.get(`${registryName}/team/app`);
      assert.equal(verdict?.reason, 'refused', `${registryName}: ${verdict?.message}`);
      assert.equal(verdict?.visibility, 'unknown');
    }
    assert.match(results.get(`${hidden.host}/team/app`)?.message ?? '', /is a loopback address; list it in probe\.insecureRegistries or set probe\.allowPrivateAddresses/);
    assert.match(results.get('metadata.google.internal/team/app')?.message ?? '', /cloud metadata service/);
    assert.equal(hidden.connections(), 0);
    assert.deepEqual(corporate.requested, []);

    // allowPrivateAddresses opens loopback and private networks, never a metadata service.
    const allowed = await probeAll(['169.254.169.254', 'metadata.google.internal', '[fd00:ec2::254]'].map((registryName) => target(registryName)), { allowPrivateAddresses: true, env });
    for (const verdict of allowed.values()) assert.equal(verdict.reason, 'refused', verdict.message);
    assert.deepEqual(corporate.requested, []);
  });

  describe('a public registry (reached through a proxy)', () => {
    let dir = '';
    let caPath = '';
    let tls: { cert: string; key: string };
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'probe-egress-'));
      const pki = createTestPki(dir);
      caPath = pki.caCertPath;
      tls = { cert: readFileSync(pki.serverCertPath, 'utf8'), key: readFileSync(pki.serverKeyPath, 'utf8') };
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('cannot send the probe inward, downgrade it to http in any spelling, or hand it user-info', async () => {
      const hidden = await trap('127.0.0.2');
      const realms: Record<string, string> = {
        'team/loopback-realm': `https://${hidden.host}/token`,
        'team/metadata-realm': 'https://169.254.169.254/latest/meta-data/iam/security-credentials/role',
        'team/metadata-name-realm': 'https://metadata.google.internal/computeMetadata/v1/token',
        'team/user-info-realm': 'https://user:secret@registry.probe.test/token',
        'team/http-realm': 'http://registry.probe.test/token',
        'team/upper-http-realm': 'HTTP://registry.probe.test/token',
        'team/mixed-http-realm': 'Http://registry.probe.test/token',
        'team/good-realm': 'https://registry.probe.test/token',
      };
      const handler: FaultHandler = (request) => {
        if (request.path.startsWith('/token')) return tokenResponse('public-token');
        const repository = /^\/v2\/(.+)\/manifests\//.exec(request.path)?.[1] ?? '';
        if (repository === 'team/private-redirect') return status(302, { location: 'https://10.0.0.1/v2/team/app/manifests/1.0' });
        if (repository === 'team/link-local-redirect') return status(302, { location: 'https://[fe80::1]/v2/team/app/manifests/1.0' });
        if (request.headers.authorization === 'Bearer public-token') return { kind: 'manifest' };
        return bearerChallenge(realms[repository] ?? 'https://registry.probe.test/token');
      };
      const server = await registry(handler, tls);
      const corporate = await proxy({ routes: { 'registry.probe.test:443': server.host } });
      const repositories = [...Object.keys(realms), 'team/private-redirect', 'team/link-local-redirect'];
      const results = await probeAll(
        repositories.map((repository) => target('registry.probe.test', repository)),
        { env: { HTTPS_PROXY: corporate.url, HTTP_PROXY: corporate.url, NODE_EXTRA_CA_CERTS: caPath } },
      );
      const reasonOf = (repository: string): string | undefined => results.get(`registry.probe.test/${repository}`)?.reason;
      const messageOf = (repository: string): string => results.get(`registry.probe.test/${repository}`)?.message ?? '';
      assert.equal(reasonOf('team/good-realm'), 'granted', messageOf('team/good-realm'));
      for (const repository of repositories.filter((name) => name !== 'team/good-realm')) {
        assert.equal(reasonOf(repository), 'refused', `${repository}: ${messageOf(repository)}`);
      }
      assert.match(messageOf('team/loopback-realm'), /loopback address and the registry registry\.probe\.test is not allowed/);
      assert.match(messageOf('team/metadata-realm'), /cloud metadata service/);
      assert.match(messageOf('team/user-info-realm'), /user-info/);
      assert.doesNotMatch(messageOf('team/user-info-realm'), /secret/);
      for (const repository of ['team/http-realm', 'team/upper-http-realm', 'team/mixed-http-realm']) assert.match(messageOf(repository), /plain http for an https registry/);
      assert.match(messageOf('team/private-redirect'), /redirect to https:\/\/10\.0\.0\.1: it is a private-network address/);
      assert.match(messageOf('team/link-local-redirect'), /link-local/);
      // The only destination that ever left this process: the registry itself, through the proxy.
      assert.deepEqual([...new Set(corporate.requested)], ['registry.probe.test:443']);
      assert.equal(hidden.connections(), 0);
      assert.equal(server.requests.filter((request) => request.path.startsWith('/token')).length, 1, 'only the good realm was asked for a token');
    });
  });

  it('sends configured credentials to no plain-http realm, however the scheme is spelled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-egress-credentials-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const pki = createTestPki(dir);
    const tokens = await registry(() => tokenResponse('anonymous-token'));
    const realms = ['HTTP', 'Http', 'hTTp'];
    const server = await registry(
      (request) => {
        const index = Number(/^\/v2\/team\/app-(\d)\//.exec(request.path)?.[1] ?? '0');
        return bearerChallenge(`${realms[index] ?? 'HTTP'}://${tokens.host}/token`);
      },
      { cert: readFileSync(pki.serverCertPath, 'utf8'), key: readFileSync(pki.serverKeyPath, 'utf8') },
    );
    const results = await probeAll(
      realms.map((_, index) => target(server.host, `team/app-${index}`)),
      {
        allowPrivateAddresses: true,
        credentials: [{ registry: server.host, usernameEnv: 'REG_USER', passwordEnv: 'REG_PASSWORD' }],
        env: { REG_USER: 'robot', REG_PASSWORD: 'robot-password', NODE_EXTRA_CA_CERTS: pki.caCertPath },
      },
    );
    for (const verdict of results.values()) {
      assert.equal(verdict.reason, 'refused', verdict.message);
      assert.doesNotMatch(verdict.message, /robot-password/);
    }
    assert.equal(tokens.requests.length, 0, 'nothing, anonymous or not, went to the plain-http realm');
    assert.ok(server.requests.every((request) => request.headers.authorization === undefined));
  });

  it('the function never probes an image it will reject as unproxiable (a registry with a port, an IPv6 registry)', async () => {
    await buildFunctionOnce();
    const hidden = await trap('127.0.0.1');
    const port = hidden.host.split(':')[1] ?? '';
    const hidden6 = await startTrap('::1', Number(port)).catch(() => undefined); // no IPv6 loopback here: the name is still refused
    if (hidden6 !== undefined) cleanups.push(() => hidden6.close());
    const images = [`${hidden.host}/team/app:1`, `localhost:${port}/team/app:1`, `[::1]:${port}/team/app:1`];
    // allowPrivateAddresses: only the unproxiable rule stands between these names and a request.
    const input = buildResourceList('{appSlug: my-app, licenseID: unproxiable-license, probe: {allowPrivateAddresses: true, timeoutSeconds: 2}}', images);
    const result = await run(process.execPath, [FUNCTION_PATH], { input, env: { PATH: process.env['PATH'] ?? '' } });
    assert.equal(result.exitCode, 1, result.stderr);
    assert.equal((result.stderr.match(/cannot proxy an image on a registry with a port/g) ?? []).length, 2, result.stderr);
    assert.match(result.stderr, /cannot proxy an image on an IPv6 registry/);
    assert.equal(hidden.connections(), 0);
    assert.equal(hidden6?.connections() ?? 0, 0);
  });
});
