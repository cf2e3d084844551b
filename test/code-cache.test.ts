// The bundle's V8 code cache (scripts/bundle.mjs): used on the Node that built it, and whatever happens to
// it (another Node, other V8 flags, a cut-off cache, none) the output is the same as with it. And the
// entry point without the bundle beside it says so in one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const bundle = join(DIST, 'registry-proxy.cjs');
const CACHE_NAME = /^registry-proxy\.(v\d+\.\d+\.\d+)-(\w+)\.code-cache$/;

const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api, namespace: shop}
  spec:
    template:
      spec:
        containers:
        - name: api
          image: quay.io/my-org/api:1.0 # private
        - name: web
          image: nginx:1.25
functionConfig:
  apiVersion: fn.registry-proxy.dev/v1alpha1
  kind: RegistryProxy
  metadata: {name: x}
  spec:
    appSlug: my-app
    licenseIDFromEnv: LIC
    rules: [{match: quay.io/my-org/**, private: true}]
    knownImages: [{image: nginx:1.25, isPrivate: false}]
    probe: {enabled: false}
`;

function run(file: string, nodeFlags: string[] = []): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [...nodeFlags, file], {
    input,
    env: { PATH: process.env['PATH'] ?? '', LIC: 'code-cache-test-license', REGISTRY_PROXY_DEBUG: '1' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('the bundle compiled with its code cache', function () {
  let dir: string;
  let cacheName: string;
  let cacheNode: string;
  let withCache: ReturnType<typeof run>;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'registry-proxy-code-cache-'));
    const caches = readdirSync(DIST).filter((name) => CACHE_NAME.test(name));
    assert.equal(caches.length, 1, `dist/ holds one code cache, not ${JSON.stringify(caches)}`);
    cacheName = caches[0] ?? '';
    const [, version, arch] = CACHE_NAME.exec(cacheName) ?? [];
    cacheNode = `${version} ${arch}`;
    withCache = run(bundle);
    assert.equal(withCache.status, 0, withCache.stderr);
    assert.match(withCache.stdout, /image: proxy\.replicated\.com\/proxy\/my-app\/quay\.io\/my-org\/api:1\.0 # private/);
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of dist/ with `edit` applied to the copy's directory; returns the copy's entry point. */
  function variant(name: string, edit: (copy: string) => void): string {
    const copy = join(dir, name);
    mkdirSync(copy);
    for (const file of readdirSync(DIST)) copyFileSync(join(DIST, file), join(copy, file));
    const before = readdirSync(copy).map((file) => `${file}:${readFileSync(join(copy, file)).length}`).join();
    edit(copy);
    assert.notEqual(readdirSync(copy).map((file) => `${file}:${readFileSync(join(copy, file)).length}`).join(), before, `${name}: the edit changed nothing`);
    return join(copy, 'registry-proxy.cjs');
  }

  function assertSameOutput(result: ReturnType<typeof run>, state: RegExp): void {
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, withCache.stdout);
    assert.match(result.stderr, state);
    assert.equal(result.stderr.replace(/^registry-proxy: debug: code cache .*\n/, ''), withCache.stderr.replace(/^registry-proxy: debug: code cache .*\n/, ''));
  }

  it('is accepted by the Node that built it, and not used on another', function () {
    const expected = cacheNode === `${process.version} ${process.arch}` ? /^registry-proxy: debug: code cache accepted\n/ : /^registry-proxy: debug: code cache not used \(none for this Node\)\n/;
    assert.match(withCache.stderr, expected);
  });

  it('a cache named for another Node is not used: the same output', function () {
    const path = variant('other-node', (copy) => renameSync(join(copy, cacheName), join(copy, `registry-proxy.v0.0.0-${process.arch}.code-cache`)));
    assertSameOutput(run(path), /^registry-proxy: debug: code cache not used \(none for this Node\)\n/);
  });

  it('without any cache: the same output', function () {
    const path = variant('no-cache', (copy) => rmSync(join(copy, cacheName)));
    assertSameOutput(run(path), /^registry-proxy: debug: code cache not used \(none for this Node\)\n/);
  });

  it('a cache V8 rejects (other flags, or cut short) is ignored: the same output', function () {
    if (cacheNode !== `${process.version} ${process.arch}`) this.skip();
    assertSameOutput(run(bundle, ['--no-lazy-feedback-allocation']), /^registry-proxy: debug: code cache rejected by V8\n/);
    const cut = variant('cut-short', (copy) => {
      const path = join(copy, cacheName);
      const data = readFileSync(path);
      writeFileSync(path, data.subarray(0, data.length - 4000));
    });
    assertSameOutput(run(cut), /^registry-proxy: debug: code cache rejected by V8\n/);
  });

  it('the entry point without the bundle beside it: one line on stderr and exit 2', function () {
    const path = variant('entry-point-alone', (copy) => {
      for (const file of readdirSync(copy)) if (file !== 'registry-proxy.cjs') rmSync(join(copy, file));
    });
    const result = run(path);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `registry-proxy: error: cannot read ${join(dir, 'entry-point-alone', 'registry-proxy.bundle.js')} (ENOENT): the function is the files of its directory, copied together\n`);
  });

  it('without REGISTRY_PROXY_DEBUG, says nothing about it', function () {
    const result = spawnSync(process.execPath, [bundle], { input, env: { PATH: process.env['PATH'] ?? '', LIC: 'code-cache-test-license' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, withCache.stdout);
    assert.doesNotMatch(result.stderr, /code cache/);
  });
});
