import assert from 'node:assert/strict';
import {
  buildManifestUrl,
  isLoopbackHost,
  isValidReference,
  isValidRepository,
  resolveApiHost,
  resolveRegistryEndpoint,
  splitHost,
} from '../../fn/probe/registry-endpoint.js';

describe('resolveRegistryEndpoint', () => {
  // Columns: registry, repository, insecureRegistries, expected host, repository, schemes.
  const cases: Array<[string, string, string[], string, string, string[]]> = [
    ['docker.io', 'library/nginx', [], 'registry-1.docker.io', 'library/nginx', ['https']],
    ['docker.io', 'nginx', [], 'registry-1.docker.io', 'library/nginx', ['https']],
    ['index.docker.io', 'bitnami/redis', [], 'registry-1.docker.io', 'bitnami/redis', ['https']],
    ['Docker.IO', 'busybox', [], 'registry-1.docker.io', 'library/busybox', ['https']],
    ['quay.io', 'prometheus/node-exporter', [], 'quay.io', 'prometheus/node-exporter', ['https']],
    ['quay.io', 'single', [], 'quay.io', 'single', ['https']], // `library/` is Docker Hub's alone
    ['ghcr.io', 'org/app', ['ghcr.io'], 'ghcr.io', 'org/app', ['http']],
    ['reg.example.org:5000', 'ns/app', ['reg.example.org:5000'], 'reg.example.org:5000', 'ns/app', ['http']],
    ['reg.example.org:5000', 'ns/app', ['reg.example.org'], 'reg.example.org:5000', 'ns/app', ['http']],
    ['reg.example.org:5000', 'ns/app', ['reg.example.org:5001'], 'reg.example.org:5000', 'ns/app', ['https']],
    ['reg.example.org', 'ns/app', ['http://reg.example.org/'], 'reg.example.org', 'ns/app', ['http']],
    ['127.0.0.1:5000', 'app', [], '127.0.0.1:5000', 'app', ['https', 'http']],
    ['localhost:5000', 'app', [], 'localhost:5000', 'app', ['https', 'http']],
    ['[::1]:5000', 'app', [], '[::1]:5000', 'app', ['https', 'http']],
    ['127.0.0.1:5000', 'app', ['127.0.0.1:5000'], '127.0.0.1:5000', 'app', ['http']],
    ['docker.io', 'library/nginx', ['docker.io'], 'registry-1.docker.io', 'library/nginx', ['https']], // never downgrade Hub
  ];
  for (const [registry, repository, insecure, host, apiRepository, schemes] of cases) {
    it(`${registry} ${repository} ${JSON.stringify(insecure)}`, () => {
      assert.deepEqual(resolveRegistryEndpoint(registry, repository, insecure), { host, repository: apiRepository, schemes });
    });
  }
});

describe('registry endpoint helpers', () => {
  it('maps every Docker Hub alias to its API host', () => {
    for (const alias of ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']) {
      assert.equal(resolveApiHost(alias), 'registry-1.docker.io');
    }
    assert.equal(resolveApiHost('Quay.io'), 'quay.io');
  });

  it('splits host and port, keeping IPv6 brackets', () => {
    assert.deepEqual(splitHost('[::1]:5000'), { hostname: '[::1]', port: '5000' });
    assert.deepEqual(splitHost('quay.io'), { hostname: 'quay.io', port: undefined });
    assert.deepEqual(splitHost('127.0.0.1:5000'), { hostname: '127.0.0.1', port: '5000' });
  });

  it('knows loopback hosts', () => {
    for (const host of ['localhost', 'LOCALHOST', 'registry.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['quay.io', '128.0.0.1', 'localhost.example.com', '[::2]', '10.0.0.1']) assert.ok(!isLoopbackHost(host), host);
  });

  it('accepts only grammar-conforming repositories and references, so nothing unescaped reaches a URL', () => {
    for (const name of ['library/nginx', 'a', 'org/sub/app', 'my_app', 'my__app', 'my-app', 'my--app', 'a.b/c']) assert.ok(isValidRepository(name), name);
    for (const name of ['', 'Upper/case', '../etc', 'a//b', 'a/', '/a', 'a?b', 'a b', 'a_', '-a']) assert.ok(!isValidRepository(name), name);
    for (const ref of ['1.25', 'latest', 'v1.0.1-rc.1', '_x', `sha256:${'a'.repeat(64)}`]) assert.ok(isValidReference(ref), ref);
    for (const ref of ['', '-x', '.x', 'a/b', 'a?b', '1.25/../x', 'x'.repeat(129)]) assert.ok(!isValidReference(ref), ref);
  });

  it('builds the manifest URL', () => {
    assert.equal(buildManifestUrl('https', 'registry-1.docker.io', 'library/nginx', '1.25'), 'https://registry-1.docker.io/v2/library/nginx/manifests/1.25');
  });
});
