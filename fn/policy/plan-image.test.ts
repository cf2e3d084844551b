import assert from 'node:assert/strict';
import type { Config } from '../config/config.js';
import { testConfig } from '../testing/config-fixture.js';
import { parseImageReference } from '../image-reference.js';
import { buildProxiedName, explicitHost, planImage } from './plan-image.js';

const config = testConfig;

const DEFAULTS = config();
const CUSTOM = config({ proxyDomain: 'proxy.example.com', registryDomain: 'registry.example.com' });
const HEX = '0123456789abcdef'.repeat(4);

/** What planImage and then buildProxiedName make of a value, as one comparable string. */
function outcome(value: string, cfg: Config): string {
  const plan = planImage(value, cfg);
  switch (plan.kind) {
    case 'invalid':
      return `invalid: ${plan.error}`;
    case 'image-id':
      return 'image-id';
    case 'proxied':
      return 'proxied';
    case 'vendor':
      return 'vendor';
    case 'swap':
      return `swap: ${plan.newValue} (${plan.detail})`;
    case 'decide': {
      const name = buildProxiedName(plan.ref, cfg);
      return name.ok ? `proxy: ${name.value}` : `error: ${name.error}`;
    }
  }
}

describe('planImage + buildProxiedName: reference-behavior.md §3', () => {
  // Columns: the image as written (private); what happens with the default domains and appSlug
  // my-app. The first seven rows are §3's table, in its order.
  const table: Array<[string, string]> = [
    ['nginx:1.25', 'proxy: proxy.replicated.com/proxy/my-app/nginx:1.25'],
    ['docker.io/library/nginx:1.25', 'proxy: proxy.replicated.com/proxy/my-app/docker.io/library/nginx:1.25'],
    ['quay.io/my-org/api:v1.0.1', 'proxy: proxy.replicated.com/proxy/my-app/quay.io/my-org/api:v1.0.1'],
    ['quay.io/org/app', 'proxy: proxy.replicated.com/proxy/my-app/quay.io/org/app'],
    // KOTS writes proxy.replicated.com/proxy/my-app/reg.example.org:5000/…, which no runtime can pull
    // (a `:` in a path): README "Where we deliberately differ" makes it an error.
    [
      `reg.example.org:5000/ns/app:1.0@sha256:${HEX}`,
      'error: cannot proxy an image on a registry with a port (reg.example.org:5000): "reg.example.org:5000" cannot be a path segment of the proxied name',
    ],
    ['registry.replicated.com/my-app/img:1', 'vendor'],
    ['proxy.replicated.com/proxy/my-app/quay.io/org/app:1.0', 'proxied'],
  ];
  for (const [image, expected] of table) {
    it(image, () => assert.equal(outcome(image, DEFAULTS), expected));
  }
});

describe('planImage + buildProxiedName: beyond §3', () => {
  // Columns: name; the image as written; the outcome with the default domains; with custom domains
  // (proxy.example.com, registry.example.com).
  const table: Array<{ name: string; image: string; defaults: string; custom: string }> = [
    {
      name: 'a digest alone is kept verbatim',
      image: `nginx@sha256:${HEX}`,
      defaults: `proxy: proxy.replicated.com/proxy/my-app/nginx@sha256:${HEX}`,
      custom: `proxy: proxy.example.com/proxy/my-app/nginx@sha256:${HEX}`,
    },
    {
      name: 'tag and digest are both kept',
      image: `quay.io/org/app:1.0@sha256:${HEX}`,
      defaults: `proxy: proxy.replicated.com/proxy/my-app/quay.io/org/app:1.0@sha256:${HEX}`,
      custom: `proxy: proxy.example.com/proxy/my-app/quay.io/org/app:1.0@sha256:${HEX}`,
    },
    {
      name: 'a Hub user repository stays as written (no docker.io/ added)',
      image: 'myorg/app:1',
      defaults: 'proxy: proxy.replicated.com/proxy/my-app/myorg/app:1',
      custom: 'proxy: proxy.example.com/proxy/my-app/myorg/app:1',
    },
    {
      name: 'index.docker.io is rewritten like any other (KOTS leaves it)',
      image: 'index.docker.io/library/nginx:1',
      defaults: 'proxy: proxy.replicated.com/proxy/my-app/index.docker.io/library/nginx:1',
      custom: 'proxy: proxy.example.com/proxy/my-app/index.docker.io/library/nginx:1',
    },
    {
      name: 'an uppercase registry host is lowercased in the path, the rest verbatim',
      image: 'Quay.IO/org/app:V1',
      defaults: 'proxy: proxy.replicated.com/proxy/my-app/quay.io/org/app:V1',
      custom: 'proxy: proxy.example.com/proxy/my-app/quay.io/org/app:V1',
    },
    {
      name: 'localhost is a registry',
      image: 'localhost/app:1',
      defaults: 'proxy: proxy.replicated.com/proxy/my-app/localhost/app:1',
      custom: 'proxy: proxy.example.com/proxy/my-app/localhost/app:1',
    },
    {
      name: 'a host that only starts like the vendor registry is not it',
      image: 'registry.replicated.com.example.net/x:1',
      defaults: 'proxy: proxy.replicated.com/proxy/my-app/registry.replicated.com.example.net/x:1',
      custom: 'proxy: proxy.example.com/proxy/my-app/registry.replicated.com.example.net/x:1',
    },
    {
      name: 'localhost with a port',
      image: 'localhost:5000/app:1',
      defaults: 'error: cannot proxy an image on a registry with a port (localhost:5000): "localhost:5000" cannot be a path segment of the proxied name',
      custom: 'error: cannot proxy an image on a registry with a port (localhost:5000): "localhost:5000" cannot be a path segment of the proxied name',
    },
    {
      name: 'an uppercase host with a port: the message shows the lowercase segment',
      image: 'Reg.Example.org:5000/app:1',
      defaults: 'error: cannot proxy an image on a registry with a port (Reg.Example.org:5000): "reg.example.org:5000" cannot be a path segment of the proxied name',
      custom: 'error: cannot proxy an image on a registry with a port (Reg.Example.org:5000): "reg.example.org:5000" cannot be a path segment of the proxied name',
    },
    {
      name: 'IPv6 registry',
      image: '[fe80::1]/app:1',
      defaults: 'error: cannot proxy an image on an IPv6 registry ([fe80::1]): it cannot be a path segment of proxy.replicated.com',
      custom: 'error: cannot proxy an image on an IPv6 registry ([fe80::1]): it cannot be a path segment of proxy.example.com',
    },
    {
      name: 'IPv6 registry with a port',
      image: '[::1]:5000/app:1',
      defaults: 'error: cannot proxy an image on an IPv6 registry ([::1]:5000): it cannot be a path segment of proxy.replicated.com',
      custom: 'error: cannot proxy an image on an IPv6 registry ([::1]:5000): it cannot be a path segment of proxy.example.com',
    },
    {
      name: 'the default proxy host with a port is not the proxy',
      image: 'proxy.replicated.com:443/proxy/my-app/x:1',
      defaults: 'error: cannot proxy an image on a registry with a port (proxy.replicated.com:443): "proxy.replicated.com:443" cannot be a path segment of the proxied name',
      custom: 'error: cannot proxy an image on a registry with a port (proxy.replicated.com:443): "proxy.replicated.com:443" cannot be a path segment of the proxied name',
    },
    {
      name: 'the vendor registry, uppercase: swapped with custom domains, rest verbatim',
      image: 'REGISTRY.REPLICATED.COM/my-app/img:1',
      defaults: 'vendor',
      custom: 'swap: registry.example.com/my-app/img:1 (registryDomain is registry.example.com)',
    },
    {
      name: 'the vendor registry: swapped with custom domains',
      image: 'registry.replicated.com/my-app/img:1',
      defaults: 'vendor',
      custom: 'swap: registry.example.com/my-app/img:1 (registryDomain is registry.example.com)',
    },
    {
      name: 'already on the default proxy: moved to the custom proxy, not proxied twice',
      image: 'proxy.replicated.com/proxy/my-app/quay.io/org/app:1.0',
      defaults: 'proxied',
      custom: 'swap: proxy.example.com/proxy/my-app/quay.io/org/app:1.0 (proxyDomain is proxy.example.com)',
    },
    {
      name: 'already on the proxy, mixed case',
      image: 'Proxy.Replicated.Com/proxy/my-app/x:1',
      defaults: 'proxied',
      custom: 'swap: proxy.example.com/proxy/my-app/x:1 (proxyDomain is proxy.example.com)',
    },
    { name: 'already on the custom proxy', image: 'proxy.example.com/proxy/my-app/x:1', defaults: 'proxy: proxy.replicated.com/proxy/my-app/proxy.example.com/proxy/my-app/x:1', custom: 'proxied' },
    { name: 'on the custom registry', image: 'registry.example.com/my-app/x:1', defaults: 'proxy: proxy.replicated.com/proxy/my-app/registry.example.com/my-app/x:1', custom: 'vendor' },
    { name: 'an image ID', image: `sha256:${HEX}`, defaults: 'image-id', custom: 'image-id' },
    {
      name: '64 hex digits alone',
      image: HEX,
      defaults: `invalid: invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`,
      custom: `invalid: invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`,
    },
    { name: 'empty (ParseNormalizedNamed: library/ is added first)', image: '', defaults: 'invalid: invalid reference format', custom: 'invalid: invalid reference format' },
    { name: 'a blank (OpenShift trigger placeholder)', image: ' ', defaults: 'invalid: invalid reference format', custom: 'invalid: invalid reference format' },
    {
      name: 'a template',
      image: '${IMAGE}',
      defaults: 'invalid: invalid reference format: repository name (library/${IMAGE}) must be lowercase',
      custom: 'invalid: invalid reference format: repository name (library/${IMAGE}) must be lowercase',
    },
    {
      name: 'a proxied name over 255 characters',
      image: `quay.io/${'b'.repeat(240)}:1`,
      defaults: 'error: the proxied name would be longer than 255 characters: repository name must not be more than 255 characters',
      custom: 'error: the proxied name would be longer than 255 characters: repository name must not be more than 255 characters',
    },
  ];
  for (const row of table) {
    it(`${row.name}: ${row.image.length > 60 ? `${row.image.slice(0, 40)}…` : row.image}`, () => {
      assert.equal(outcome(row.image, DEFAULTS), row.defaults, 'default domains');
      assert.equal(outcome(row.image, CUSTOM), row.custom, 'custom domains');
    });
  }

  it('builds the proxied name from the custom appSlug and a proxy domain with a port', () => {
    const cfg = config({ appSlug: 'other-app', proxyDomain: 'proxy.example.com:8443' });
    assert.equal(outcome('quay.io/org/app:1', cfg), 'proxy: proxy.example.com:8443/proxy/other-app/quay.io/org/app:1');
  });

  it('the proxied name of a 255-character path is still valid (the limit counts the path only)', () => {
    // proxy/my-app/ (13) + quay.io/ (8) + 234 = 255 characters of path.
    const image = `quay.io/${'b'.repeat(234)}`;
    assert.equal(outcome(image, DEFAULTS), `proxy: proxy.replicated.com/proxy/my-app/${image}`);
    assert.match(outcome(`${image}b`, DEFAULTS), /^error: the proxied name would be longer than 255 characters/);
  });

  it('a decide plan carries the parsed reference', () => {
    const plan = planImage('Quay.io/org/app:1', DEFAULTS);
    assert.equal(plan.kind, 'decide');
    assert.deepEqual(plan.kind === 'decide' ? plan.ref : undefined, {
      raw: 'Quay.io/org/app:1',
      name: 'Quay.io/org/app',
      host: 'Quay.io',
      domain: 'Quay.io',
      path: 'org/app',
      repository: 'Quay.io/org/app',
      tag: '1',
    });
  });

  it('buildProxiedName works on any parsed reference', () => {
    const parsed = parseImageReference('ghcr.io/o/a:v2');
    assert.ok(parsed.ok);
    assert.deepEqual(buildProxiedName(parsed.ref, CUSTOM), { ok: true, value: 'proxy.example.com/proxy/my-app/ghcr.io/o/a:v2' });
  });
});

describe('explicitHost', () => {
  // Columns: a name (no tag or digest); the registry host as written, or undefined for a Hub name.
  const table: Array<[string, string | undefined]> = [
    ['nginx', undefined],
    ['library/nginx', undefined],
    ['myorg/app', undefined],
    ['quay.io/org/app', 'quay.io'],
    ['Quay.IO/org/app', 'Quay.IO'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost:5000'],
    ['localhostx/app', undefined],
    ['Myorg/app', 'Myorg'],
    ['a:1/x', 'a:1'],
    ['[::1]/app', '[::1]'],
    ['[::1]:5000/app', '[::1]:5000'],
    ['index.docker.io/library/nginx', 'index.docker.io'],
  ];
  for (const [name, host] of table) {
    it(`${name} -> ${String(host)}`, () => assert.equal(explicitHost(name), host));
  }
});
