// Against real registries: Debian's docker-registry (distribution 2.8) with no auth, htpasswd, token auth
// (our token server, per-repository policy) and TLS. Fails loudly when docker-registry is missing, unless
// REGISTRY_PROXY_ALLOW_SKIP=1.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRegistryProbe } from '../../fn/probe/index.js';
import { requireRegistryBinary, startRegistryFixture, type RegistryFixture } from './helpers/registry-fixture.js';
import { createTestOptions, fastTuning } from './helpers/probe-options.js';
import type { ProbeOptions, ProbeTarget, ProbeVerdict } from '../../fn/probe/types.js';

describe('probe against a real registry (distribution 2.8)', function () {
  let fixture: RegistryFixture | undefined;

  before(async function () {
    requireRegistryBinary(this);
    fixture = await startRegistryFixture();
  });
  after(async () => {
    await fixture?.stop();
  });

  function registries(): RegistryFixture {
    assert.ok(fixture, 'fixture started');
    return fixture;
  }

  async function probeAll(targets: ProbeTarget[], options: Partial<ProbeOptions> = {}): Promise<Map<string, ProbeVerdict>> {
    return createRegistryProbe(createTestOptions(options), fastTuning).probe(targets);
  }

  async function probeOne(host: string, repository: string, references: string[], options: Partial<ProbeOptions> = {}): Promise<ProbeVerdict> {
    const verdict = (await probeAll([{ registry: host, repository, references }], options)).get(`${host}/${repository}`);
    assert.ok(verdict);
    return verdict;
  }

  describe('no auth: every repository public', () => {
    it('finds single-arch and multi-arch (OCI index) images public, by tag and by digest', async () => {
      const { open, digests } = registries();
      assert.equal((await probeOne(open.host, 'team/public-app', ['1.0'])).message, 'HTTP 200 application/vnd.oci.image.manifest.v1+json');
      assert.equal((await probeOne(open.host, 'team/public-app', ['multi'])).message, 'HTTP 200 application/vnd.oci.image.index.v1+json');
      assert.equal((await probeOne(open.host, 'library/busybox', [digests.get('library/busybox:1.36') ?? ''])).reason, 'granted');
    });

    it('needs the OCI index type in Accept: without it the registry calls a public multi-arch image missing', async () => {
      const { open } = registries();
      const narrow = await fetch(`http://${open.host}/v2/team/public-app/manifests/multi`, {
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      assert.equal(narrow.status, 404);
      assert.match(await narrow.text(), /OCI index found, but accept header does not support OCI indexes/);
    });

    it('tries the next tag after a 404, and calls a missing repository not-found', async () => {
      const { open } = registries();
      assert.equal((await probeOne(open.host, 'team/public-app', ['0.9', '1.0'])).reason, 'granted');
      const missing = await probeOne(open.host, 'team/nothing-here', ['1.0']);
      assert.deepEqual([missing.visibility, missing.reason, missing.cacheable, missing.warning], ['private', 'not-found', true, true]);
    });
  });

  describe('htpasswd: every repository private', () => {
    it('is private with a Basic challenge', async () => {
      const verdict = await probeOne(registries().htpasswd.host, 'team/public-app', ['1.0']);
      assert.deepEqual(verdict, { visibility: 'private', reason: 'denied', cacheable: true, warning: false, message: 'HTTP 401 with a Basic challenge' });
    });

    it('tells private from missing with credentials from the env', async () => {
      const { htpasswd, user } = registries();
      const options = {
        credentials: [{ registry: htpasswd.host, usernameEnv: 'FIXTURE_USER', passwordEnv: 'FIXTURE_PASSWORD' }],
        env: { FIXTURE_USER: user.username, FIXTURE_PASSWORD: user.password },
      };
      const present = await probeOne(htpasswd.host, 'team/private-app', ['1.0'], options);
      assert.equal(present.message, 'HTTP 401 with a Basic challenge; present with the configured credentials');
      const missing = await probeOne(htpasswd.host, 'team/nothing-here', ['1.0'], options);
      assert.equal(missing.reason, 'not-found');
      assert.doesNotMatch(JSON.stringify([present, missing]), new RegExp(user.password));
    });
  });

  describe('token auth: per repository', () => {
    it('is public, private (empty access list) or denied (token endpoint 401), one anonymous token per repository', async () => {
      const { token, tokenServer } = registries();
      const before = tokenServer.requests.length;
      const results = await probeAll([
        { registry: token.host, repository: 'team/public-app', references: ['multi'] },
        { registry: token.host, repository: 'team/private-app', references: ['1.0'] },
        { registry: token.host, repository: 'team/denied-app', references: ['1.0'] },
        { registry: token.host, repository: 'library/busybox', references: ['1.36'] },
      ]);
      assert.equal(results.get(`${token.host}/team/public-app`)?.reason, 'granted');
      assert.equal(results.get(`${token.host}/library/busybox`)?.reason, 'granted');
      assert.deepEqual(results.get(`${token.host}/team/private-app`), {
        visibility: 'private',
        reason: 'denied',
        cacheable: true,
        warning: false,
        message: 'HTTP 401 after anonymous token',
      });
      assert.equal(results.get(`${token.host}/team/denied-app`)?.message, 'token endpoint HTTP 401');
      const asked = tokenServer.requests.slice(before);
      assert.equal(asked.length, 4);
      assert.ok(asked.every((request) => request.user === undefined && !request.rejected), 'anonymous only');
      assert.deepEqual(asked.map((request) => request.scope).flat().sort(), [
        'repository:library/busybox:pull',
        'repository:team/denied-app:pull',
        'repository:team/private-app:pull',
        'repository:team/public-app:pull',
      ]);
    });

    it('asks the token server with credentials only for the registry they are configured for', async () => {
      const { token, tokenServer, user } = registries();
      const before = tokenServer.requests.length;
      const verdict = await probeOne(token.host, 'team/denied-app', ['1.0'], {
        credentials: [{ registry: token.host, usernameEnv: 'U', passwordEnv: 'P' }],
        env: { U: user.username, P: user.password },
      });
      assert.equal(verdict.message, 'token endpoint HTTP 401; present with the configured credentials');
      assert.deepEqual(tokenServer.requests.slice(before).map((request) => request.user), [undefined, user.username]);
    });
  });

  describe('TLS with a throwaway CA', () => {
    it('is public when the CA is trusted (injected NODE_EXTRA_CA_CERTS), unreachable otherwise', async () => {
      const { tls, pki } = registries();
      const trusted = await probeOne(tls.host, 'team/public-app', ['1.0'], { env: { NODE_EXTRA_CA_CERTS: pki.caCertPath } });
      assert.equal(trusted.reason, 'granted');
      const untrusted = await probeOne(tls.host, 'team/public-app', ['1.0']);
      assert.equal(untrusted.reason, 'unreachable');
      assert.match(untrusted.message, /certificate/);
    });

    it('trusts NODE_EXTRA_CA_CERTS read by Node itself at start, in a child process', () => {
      const { tls, pki } = registries();
      const script = `
        const { createRegistryProbe } = await import(${JSON.stringify(new URL('../../fn/probe/index.js', import.meta.url).href)});
        const probe = createRegistryProbe({ timeoutSeconds: 2, concurrency: 8, perRegistryConcurrency: 4, insecureRegistries: [], allowPrivateAddresses: true, credentials: [], deadlineSeconds: 10, env: process.env });
        const results = await probe.probe([{ registry: ${JSON.stringify(tls.host)}, repository: 'team/public-app', references: ['1.0'] }]);
        process.stdout.write(JSON.stringify([...results.values()]));
      `;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env['PATH'], NODE_EXTRA_CA_CERTS: pki.caCertPath },
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.equal(child.status, 0, child.stderr);
      assert.equal((JSON.parse(child.stdout) as ProbeVerdict[])[0]?.reason, 'granted', child.stdout);
    });
  });

  it('tries https first on an unlisted loopback registry, then plain http', async () => {
    const { open } = registries();
    assert.equal((await probeOne(open.host, 'team/public-app', ['1.0'], { insecureRegistries: [] })).reason, 'granted');
    assert.equal((await probeOne(open.host, 'team/public-app', ['1.0'], { insecureRegistries: [open.host] })).reason, 'granted');
  });
});
