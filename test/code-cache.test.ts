// The bundle's V8 code cache (scripts/bundle.mjs): used on the Node that built it, and whatever happens to
// it (another Node, other V8 flags, a cut-off cache) the output is the same as with it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../../dist/registry-proxy.cjs', import.meta.url));
const CACHE_MARK = '\n/* registry-proxy code cache for ';

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
  let text: string;
  let cacheNode: string;
  let withCache: ReturnType<typeof run>;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), 'registry-proxy-code-cache-'));
    text = readFileSync(bundle, 'latin1');
    const at = text.lastIndexOf(CACHE_MARK);
    assert.ok(at > 0, 'dist/registry-proxy.cjs has no code cache');
    cacheNode = text.slice(at + CACHE_MARK.length, text.indexOf('\n', at + CACHE_MARK.length));
    withCache = run(bundle);
    assert.equal(withCache.status, 0, withCache.stderr);
    assert.match(withCache.stdout, /image: proxy\.replicated\.com\/proxy\/my-app\/quay\.io\/my-org\/api:1\.0 # private/);
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the bundle with `edit` applied, beside the original's directory layout (one file). */
  function variant(name: string, edit: (bundleText: string) => string): string {
    const path = join(dir, `${name}.cjs`);
    const edited = edit(text);
    assert.notEqual(edited, text, `${name}: the edit changed nothing`);
    writeFileSync(path, edited, 'latin1');
    return path;
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
    const path = variant('other-node', (bundleText) => bundleText.replace(`${CACHE_MARK}${cacheNode}\n`, `${CACHE_MARK}v0.0.0 ${process.arch}\n`));
    assertSameOutput(run(path), /^registry-proxy: debug: code cache not used \(none for this Node\)\n/);
  });

  it('a cache V8 rejects (other flags, or cut short) is ignored: the same output', function () {
    if (cacheNode !== `${process.version} ${process.arch}`) this.skip();
    assertSameOutput(run(bundle, ['--no-lazy-feedback-allocation']), /^registry-proxy: debug: code cache rejected by V8\n/);
    const cut = variant('cut-short', (bundleText) => {
      const end = bundleText.lastIndexOf('\n*/');
      return `${bundleText.slice(0, end - 4000)}${bundleText.slice(end)}`;
    });
    assertSameOutput(run(cut), /^registry-proxy: debug: code cache rejected by V8\n/);
  });

  it('without REGISTRY_PROXY_DEBUG, says nothing about it', function () {
    const result = spawnSync(process.execPath, [bundle], { input, env: { PATH: process.env['PATH'] ?? '', LIC: 'code-cache-test-license' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, withCache.stdout);
    assert.doesNotMatch(result.stderr, /code cache/);
  });
});
