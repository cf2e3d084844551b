import assert from 'node:assert/strict';
import { testConfig } from './helpers/config-fixture.js';
import { buildDockerConfigJson, buildPullSecret, SECRET_TYPE } from '../fn/pull-secret.js';

const config = testConfig;

describe('buildDockerConfigJson: the exact bytes of reference-behavior.md §5', () => {
  // Columns: proxy domain; registry domain; license ID; the exact .dockerconfigjson text
  // (compact JSON, keys sorted, no trailing newline; auth = base64("LICENSE_ID:" + licenseID)).
  const table: Array<[string, string, string, string]> = [
    [
      'proxy.replicated.com',
      'registry.replicated.com',
      'abc',
      '{"auths":{"proxy.replicated.com":{"auth":"TElDRU5TRV9JRDphYmM="},"registry.replicated.com":{"auth":"TElDRU5TRV9JRDphYmM="}}}',
    ],
    [
      'proxy.staging.replicated.com',
      'registry.staging.replicated.com',
      'abc',
      '{"auths":{"proxy.staging.replicated.com":{"auth":"TElDRU5TRV9JRDphYmM="},"registry.staging.replicated.com":{"auth":"TElDRU5TRV9JRDphYmM="}}}',
    ],
    // Sorted: the registry comes first when it sorts first, whatever the argument order.
    [
      'proxy.example.com',
      'images.example.com',
      'abc',
      '{"auths":{"images.example.com":{"auth":"TElDRU5TRV9JRDphYmM="},"proxy.example.com":{"auth":"TElDRU5TRV9JRDphYmM="}}}',
    ],
    // Identical hosts: one entry.
    ['registry.example.com', 'registry.example.com', 'abc', '{"auths":{"registry.example.com":{"auth":"TElDRU5TRV9JRDphYmM="}}}'],
    // Hosts are cut at the first `/`; a port stays.
    [
      'proxy.example.com/some/path',
      'registry.example.com:8443/x',
      'abc',
      '{"auths":{"proxy.example.com":{"auth":"TElDRU5TRV9JRDphYmM="},"registry.example.com:8443":{"auth":"TElDRU5TRV9JRDphYmM="}}}',
    ],
    // A realistic license ID, and one with non-ASCII and JSON-special characters (UTF-8 before base64).
    [
      'proxy.replicated.com',
      'registry.replicated.com',
      '2Yh0ZgW8mNbR8nTzXdzT1ihU0Y2',
      '{"auths":{"proxy.replicated.com":{"auth":"TElDRU5TRV9JRDoyWWgwWmdXOG1OYlI4blR6WGR6VDFpaFUwWTI="},"registry.replicated.com":{"auth":"TElDRU5TRV9JRDoyWWgwWmdXOG1OYlI4blR6WGR6VDFpaFUwWTI="}}}',
    ],
    ['p.example', 'r.example', 'ü"\\', '{"auths":{"p.example":{"auth":"TElDRU5TRV9JRDrDvCJc"},"r.example":{"auth":"TElDRU5TRV9JRDrDvCJc"}}}'],
  ];
  for (const [proxy, registry, licenseID, expected] of table) {
    it(`${proxy} + ${registry}, license ${JSON.stringify(licenseID)}`, () => {
      assert.equal(buildDockerConfigJson(proxy, registry, licenseID), expected);
    });
  }

  it('the auth decodes to LICENSE_ID:<licenseID> (not licenseID:licenseID as before 2025-04)', () => {
    const parsed = JSON.parse(buildDockerConfigJson('p.example', 'r.example', 'abc')) as { auths: Record<string, { auth: string }> };
    assert.deepEqual(
      Object.values(parsed.auths).map((entry) => Buffer.from(entry.auth, 'base64').toString('utf8')),
      ['LICENSE_ID:abc', 'LICENSE_ID:abc'],
    );
  });
});

describe('buildPullSecret', () => {
  const dockerConfigJson = Buffer.from(
    '{"auths":{"proxy.replicated.com":{"auth":"TElDRU5TRV9JRDphYmM="},"registry.replicated.com":{"auth":"TElDRU5TRV9JRDphYmM="}}}',
    'utf8',
  ).toString('base64');

  it('a namespaced Secret: name, type, data and annotations (defaults first, then the given ones)', () => {
    const secret = buildPullSecret(config(), 'shop', { 'registry-proxy.dev/generated-by': 'registry-proxy' });
    assert.deepEqual(secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'my-app-registry',
        namespace: 'shop',
        annotations: { 'kots.io/creation-phase': '-9999', 'registry-proxy.dev/generated-by': 'registry-proxy' },
      },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': dockerConfigJson },
    });
    assert.equal(SECRET_TYPE, 'kubernetes.io/dockerconfigjson');
    // Key order is the order the object is written in.
    assert.deepEqual(Object.keys(secret), ['apiVersion', 'kind', 'metadata', 'type', 'data']);
    assert.deepEqual(Object.keys(secret['metadata'] as object), ['name', 'namespace', 'annotations']);
  });

  it('without a namespace, with labels, a custom name and custom domains', () => {
    const secret = buildPullSecret(
      config({ pullSecretName: 'pull', secretLabels: { app: 'x' }, secretAnnotations: {}, proxyDomain: 'proxy.example.com', registryDomain: 'registry.example.com' }),
      undefined,
      {},
    );
    assert.deepEqual(secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'pull', labels: { app: 'x' }, annotations: {} },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(
          '{"auths":{"proxy.example.com":{"auth":"TElDRU5TRV9JRDphYmM="},"registry.example.com":{"auth":"TElDRU5TRV9JRDphYmM="}}}',
          'utf8',
        ).toString('base64'),
      },
    });
  });
});

describe('buildDockerConfigJson with pullSecretUsername', () => {
  it('pairs the username with the password; the default is exactly the KOTS bytes', () => {
    // base64("ops@globex.example:abc") and base64("LICENSE_ID:abc"), written out independently.
    assert.equal(
      buildDockerConfigJson('proxy.replicated.com', 'registry.replicated.com', 'abc', 'ops@globex.example'),
      '{"auths":{"proxy.replicated.com":{"auth":"b3BzQGdsb2JleC5leGFtcGxlOmFiYw=="},"registry.replicated.com":{"auth":"b3BzQGdsb2JleC5leGFtcGxlOmFiYw=="}}}',
    );
    assert.equal(
      buildDockerConfigJson('proxy.replicated.com', 'registry.replicated.com', 'abc'),
      buildDockerConfigJson('proxy.replicated.com', 'registry.replicated.com', 'abc', 'LICENSE_ID'),
    );
    const secret = buildPullSecret(config({ pullSecretUsername: 'ops@globex.example' }), 'ns', {});
    const data = (secret['data'] as Record<string, string>)['.dockerconfigjson'] ?? '';
    assert.match(Buffer.from(data, 'base64').toString('utf8'), /"auth":"b3BzQGdsb2JleC5leGFtcGxlOmFiYw=="/);
  });
});
