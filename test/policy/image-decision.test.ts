import assert from 'node:assert/strict';
import type { Config } from '../../fn/config/config.js';
import { testConfig } from '../helpers/config-fixture.js';
import { parseImageReference } from '../../fn/image-reference.js';
import type { Verdict } from '../../fn/policy/decide-visibility.js';
import { createProxyDecider, type ImageDecision } from '../../fn/policy/image-decision.js';

const config = testConfig;

const DEFAULTS = config();
const CUSTOM = config({ proxyDomain: 'proxy.example.com', registryDomain: 'registry.example.com' });
const HEX = '0123456789abcdef'.repeat(4);

/** What classify makes of a value and, when it waits for a verdict, the proxied name it would get, as one comparable string. */
function outcome(value: string, cfg: Config): string {
  const image = createProxyDecider(cfg).classify(value);
  switch (image.kind) {
    case 'problem':
      if (image.code === 'image-id') return 'image-id';
      return `invalid: ${image.referenceError?.message ?? ''}`;
    case 'keep':
      return image.on === 'proxy' ? 'proxied' : image.on;
    case 'rewrite':
      return `swap: ${image.newValue} (${image.reason})`;
    case 'pending':
      return image.proxied.ok ? `proxy: ${image.proxied.value}` : `error: ${image.proxied.error}`;
  }
}

describe('classify + the proxied name: reference-behavior.md §3', () => {
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

describe('classify + the proxied name: beyond §3', () => {
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

  it('a pending image carries the parsed reference, with the host as written', () => {
    const image = createProxyDecider(DEFAULTS).classify('Quay.io/org/app:1');
    assert.equal(image.kind, 'pending');
    assert.deepEqual(image.kind === 'pending' ? image.ref : undefined, {
      raw: 'Quay.io/org/app:1',
      name: 'Quay.io/org/app',
      host: 'Quay.io',
      domain: 'Quay.io',
      path: 'org/app',
      repository: 'Quay.io/org/app',
      tag: '1',
    });
  });

  it('the proxied name is built from the parsed reference', () => {
    const parsed = parseImageReference('ghcr.io/o/a:v2');
    assert.ok(parsed.ok);
    const image = createProxyDecider(CUSTOM).classify(parsed.ref.raw);
    assert.deepEqual(image.kind === 'pending' ? image.proxied : image, { ok: true, value: 'proxy.example.com/proxy/my-app/ghcr.io/o/a:v2' });
  });

  it('a proxy domain that is one lowercase label counts in the path, as the grammar reads it', () => {
    // "myproxy/…" is a Docker Hub namespace to a runtime, so it is part of the 255-character path.
    const cfg = config({ proxyDomain: 'myproxy' });
    const fits = `quay.io/${'b'.repeat(234 - 'myproxy/'.length)}`;
    assert.equal(outcome(fits, cfg), `proxy: myproxy/proxy/my-app/${fits}`);
    assert.match(outcome(`${fits}b`, cfg), /^error: the proxied name would be longer than 255 characters/);
  });
});

describe('classify: problem codes', () => {
  // Columns: the image as written; the problem code; the grammar's code for an invalid reference.
  const table: Array<[string, string, string | undefined]> = [
    [`sha256:${HEX}`, 'image-id', undefined],
    ['', 'invalid-reference', 'ErrReferenceInvalidFormat'],
    ['${IMAGE}', 'invalid-reference', 'ErrNameContainsUppercase'],
    [HEX, 'invalid-reference', 'ErrNameIsIdentifier'],
  ];
  for (const [image, code, referenceError] of table) {
    it(`${JSON.stringify(image.length > 20 ? `${image.slice(0, 20)}…` : image)}: ${code}`, () => {
      const decision = createProxyDecider(DEFAULTS).classify(image);
      assert.equal(decision.kind, 'problem');
      assert.equal(decision.kind === 'problem' ? decision.code : undefined, code);
      assert.equal(decision.kind === 'problem' ? decision.referenceError?.code : undefined, referenceError);
    });
  }

  it('an invalid reference is an error or a warning as invalidImages says, and the message is shortened', () => {
    const long = 'A'.repeat(300);
    for (const [invalidImages, severity] of [['error', 'error'], ['warn', 'warning']] as const) {
      const decision = createProxyDecider(config({ invalidImages })).classify(long);
      assert.ok(decision.kind === 'problem');
      assert.equal(decision.severity, severity);
      assert.equal(decision.ref, undefined);
      assert.match(decision.message, /^not a valid image reference \(.{200}… \(\d+ characters\)\): left unchanged$/);
      assert.ok(decision.reason.length > 300, 'the image list keeps the whole error');
    }
  });
});

describe('decide: one decision per verdict', () => {
  const verdict = (fields: Partial<Verdict>): Verdict => ({ isPrivate: true, source: 'rules', detail: 'rule "x"', ...fields });
  function decide(value: string, v: Verdict, cfg: Config = DEFAULTS): ImageDecision {
    const decider = createProxyDecider(cfg);
    const image = decider.classify(value);
    assert.equal(image.kind, 'pending');
    return decider.decide(image as Extract<typeof image, { kind: 'pending' }>, v);
  }

  it('private: rewrite to the proxy, info, tagged with what decided', () => {
    const decision = decide('quay.io/org/app:1', verdict({}));
    assert.deepEqual({ ...decision, ref: undefined, verdict: undefined }, {
      kind: 'rewrite',
      to: 'proxy',
      newValue: 'proxy.replicated.com/proxy/my-app/quay.io/org/app:1',
      why: 'private (rule "x"): pulled through proxy.replicated.com',
      severity: 'info',
      tags: { decidedBy: 'rules' },
      reason: 'rule "x"',
      addsPullSecret: true,
      ref: undefined,
      decidedBy: 'rules',
      verdict: undefined,
    });
  });

  it('private by a fallback with a warning: the rewrite is a warning that says why', () => {
    const decision = decide('quay.io/org/app:1', verdict({ source: 'unknownImages', detail: 'unknownImages: private', warning: 'treated as private' }));
    assert.ok(decision.kind === 'rewrite');
    assert.equal(decision.severity, 'warning');
    assert.equal(decision.why, 'treated as private: pulled through proxy.replicated.com');
    assert.equal(decision.reason, 'treated as private');
  });

  it('a probed private verdict carries the probe tags', () => {
    const decision = decide('quay.io/org/app:1', verdict({ source: 'probe', reason: 'denied', cacheable: true }));
    assert.ok(decision.kind === 'rewrite');
    assert.deepEqual(decision.tags, { decidedBy: 'probe', reason: 'denied', pinnable: 'true' });
  });

  it('public by configuration: keep, no note, no pull Secret', () => {
    const decision = decide('quay.io/org/app:1', verdict({ isPrivate: false }));
    assert.ok(decision.kind === 'keep');
    assert.equal(decision.on, 'public');
    assert.equal(decision.note, undefined);
    assert.equal(decision.addsPullSecret, false);
  });

  it('public by a probe: keep with an info note, so it can be pinned', () => {
    const decision = decide('quay.io/org/app:1', verdict({ isPrivate: false, source: 'probe', detail: 'probe: granted (HTTP 200)', reason: 'granted', cacheable: false }));
    assert.ok(decision.kind === 'keep');
    assert.deepEqual(decision.note, {
      severity: 'info',
      message: 'image quay.io/org/app:1 is public (probe: granted (HTTP 200)): left unchanged',
      tags: { decidedBy: 'probe', reason: 'granted', pinnable: 'false' },
    });
  });

  it('public with a warning: keep with a warning note', () => {
    const decision = decide('quay.io/org/app:1', verdict({ isPrivate: false, source: 'unknownImages', warning: 'treated as public' }));
    assert.ok(decision.kind === 'keep');
    assert.deepEqual(decision.note, { severity: 'warning', message: 'treated as public', tags: { decidedBy: 'unknownImages' } });
  });

  it('unknownImages error: a problem with the verdict', () => {
    const decision = decide('quay.io/org/app:1', verdict({ isPrivate: false, source: 'unknownImages', error: 'nothing decides' }));
    assert.ok(decision.kind === 'problem');
    assert.deepEqual([decision.code, decision.severity, decision.message, decision.decidedBy], ['undecided', 'error', 'nothing decides', 'unknownImages']);
    assert.equal(decision.ref?.raw, 'quay.io/org/app:1');
  });

  it('private but not proxiable: a problem with the name-building code', () => {
    const table: Array<[string, Partial<Config>, string, 'error' | 'warning']> = [
      ['localhost:5000/app:1', {}, 'registry-port', 'error'],
      ['[::1]/app:1', {}, 'ipv6-registry', 'error'],
      [`quay.io/${'b'.repeat(240)}:1`, {}, 'proxied-name-too-long', 'error'],
      ['quay.io/org/app:1', { linkedRegistries: [{ registry: 'ghcr.io' }] }, 'unlinked-registry', 'error'],
      ['quay.io/org/app:1', { linkedRegistries: [{ registry: 'ghcr.io' }], unlinkedRegistries: 'warn' }, 'unlinked-registry', 'warning'],
    ];
    for (const [image, overrides, code, severity] of table) {
      const decision = decide(image, verdict({}), config(overrides));
      assert.ok(decision.kind === 'problem', image);
      assert.deepEqual([decision.code, decision.severity], [code, severity], image);
    }
  });

  it('a linked registry with a name: the name replaces the host, the normalized path follows', () => {
    const decision = decide('nginx:1', verdict({}), config({ linkedRegistries: [{ registry: 'docker.io', name: 'hub' }] }));
    assert.ok(decision.kind === 'rewrite');
    assert.equal(decision.newValue, 'proxy.replicated.com/proxy/my-app/hub/library/nginx:1');
  });
});

describe('classify: settled by the host alone', () => {
  it('already on the proxy or the vendor registry: keep, with the pull Secret', () => {
    for (const [image, on] of [['proxy.replicated.com/proxy/my-app/x:1', 'proxy'], ['registry.replicated.com/my-app/x:1', 'vendor']] as const) {
      const decision = createProxyDecider(DEFAULTS).classify(image);
      assert.ok(decision.kind === 'keep');
      assert.deepEqual([decision.on, decision.decidedBy, decision.addsPullSecret, decision.note], [on, 'domain', true, undefined]);
    }
  });

  it('on the default proxy host with a custom one: rewrite, info, decided by the domain', () => {
    const decision = createProxyDecider(CUSTOM).classify('proxy.replicated.com/proxy/my-app/x:1');
    assert.ok(decision.kind === 'rewrite');
    assert.deepEqual([decision.to, decision.why, decision.severity, decision.tags, decision.addsPullSecret], [
      'custom-domain',
      'moved to the custom domain (proxyDomain is proxy.example.com)',
      'info',
      { decidedBy: 'domain' },
      true,
    ]);
  });
});
