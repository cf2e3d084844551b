// The built bundle as a process: what kpt, kustomize and a shell see. Bad input must give a non-zero
// exit, one clear stderr line, no stack trace, no partial stdout, and never hang.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/registry-proxy.cjs', import.meta.url));
const LICENSE = '2bViL3pfTLVL0NqaJWzgW0Ibs1V';

function run(input: string | Buffer, args: string[] = [], env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null; ms: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [bundle, ...args], {
    input,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, ms: performance.now() - started };
}

const config = `functionConfig:
  apiVersion: fn.registry-proxy.dev/v1alpha1
  kind: RegistryProxy
  metadata: {name: x}
  spec: {appSlug: my-app, licenseIDFromEnv: LIC, probe: {enabled: false}}
`;

function assertCleanFailure(result: ReturnType<typeof run>, pattern: RegExp): void {
  assert.equal(result.status, 1, `exit code (stderr: ${result.stderr})`);
  assert.equal(result.stdout, '', 'no partial output');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one stderr line, got: ${result.stderr}`);
  assert.match(lines[0]!, /^registry-proxy: error: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(!result.stderr.includes(LICENSE), 'license ID leaked');
}

describe('the bundle as a process', function () {
  before(function () {
    assert.ok(existsSync(bundle), 'dist/registry-proxy.cjs is missing: npm test builds it');
  });

  it('--help prints usage and exits 0', () => {
    const result = run('', ['--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^registry-proxy: a KRM function/);
    assert.match(result.stdout, /licenseIDFromEnv/);
  });

  it('known-images prints the definitive verdicts as a knownImages block, sorted, without a license', () => {
    const example = readFileSync(new URL('../examples/quickstart/resource-list.yaml', import.meta.url), 'utf8');
    const result = run(example, ['known-images']);
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.equal(
      result.stdout,
      'knownImages:\n' +
        '- image: "ghcr.io/my-org/report@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"\n  isPrivate: true\n' +
        '- image: "nginx:1.25"\n  isPrivate: false\n' +
        '- image: "quay.io/my-org/api:v1.0.1"\n  isPrivate: true\n',
    );
  });

  it('an unknown argument exits 2 with one line', () => {
    const result = run('', ['--frobnicate']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown argument "--frobnicate"/);
  });

  it('rewrites the bundled example', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n    - name: c\n      image: ghcr.io/o/a:1\n${config}`;
    const result = run(input, [], { LIC: LICENSE });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /image: proxy\.replicated\.com\/proxy\/my-app\/ghcr\.io\/o\/a:1\n/);
    assert.ok(!result.stdout.includes(LICENSE));
    assert.equal(result.stderr, '');
  });

  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['empty stdin', '', /input is empty/],
    ['malformed YAML', `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- a: [1, 2\n  b: }\n${config}`, /not valid YAML/],
    ['not a ResourceList', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', /not a ResourceList/],
    ['a YAML stream of several documents', 'a: 1\n---\nb: 2\n', /not a ResourceList|several/],
    ['binary garbage', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x00]), /not UTF-8 text|not text/],
    ['a NUL byte', `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\x00\n`, /not text/],
    ['duplicate keys in the ResourceList', `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nkind: ResourceList\nitems: []\n${config}`, /not valid YAML/],
    ['an unsupported apiVersion', `apiVersion: config.kubernetes.io/v2\nkind: ResourceList\nitems: []\n${config}`, /unsupported ResourceList apiVersion/],
    ['items that are not a list', `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: 3\n${config}`, /items/],
  ];
  for (const [name, input, pattern] of cases) {
    it(`fails cleanly on ${name}`, () => assertCleanFailure(run(input, [], { LIC: LICENSE }), pattern));
  }

  it('fails cleanly, fast, on an alias bomb in the functionConfig', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let level = 1; level < 12; level++) {
      const previous = `*a${level - 1}`;
      bomb += `a${level}: &a${level} [${Array(10).fill(previous).join(', ')}]\n`;
    }
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  ${bomb.trimEnd().split('\n').join('\n  ')}\n`;
    const result = run(input, [], { LIC: LICENSE });
    assertCleanFailure(result, /alias|usable|not valid/i);
    assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
  });

  it('fails cleanly on an item nested 100,000 levels deep', () => {
    const odd = `- ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${odd}${config}`;
    assertCleanFailure(run(input, [], { LIC: LICENSE }), /an item nests too deeply to be a Kubernetes object \(line 4\)/);
  });

  it('fails cleanly on a functionConfig nested 100,000 levels deep', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const result = run(input, [], { LIC: LICENSE });
    assert.equal(result.status, 1, result.stderr.slice(0, 500));
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr.slice(0, 500));
  });

  it('fails cleanly on duplicate keys inside an item', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers: []\n    containers: [{name: c, image: ghcr.io/o/a:1}]\n${config}`;
    const result = run(input, [], { LIC: LICENSE });
    assertCleanFailure(result, /input is not valid YAML: Map keys must be unique \(line 9\)/);
  });

  it('handles a huge single document (50 MB scalar) without hanging', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: big}\n  data:\n    blob: ${'x'.repeat(50 * 1024 * 1024)}\n${config}`;
    const result = run(input, [], { LIC: LICENSE });
    assert.equal(result.status, 0, result.stderr.slice(0, 500));
    assert.ok(result.stdout.length > 50 * 1024 * 1024);
  });

  it('a missing license is an error result, exit 1, and the items come back unchanged', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec: {containers: [{name: c, image: ghcr.io/o/a:1}]}\n${config}`;
    const result = run(input, [], {});
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^registry-proxy: error: spec\.licenseIDFromEnv: environment variable LIC is not set or empty\n$/);
    assert.ok(result.stdout.startsWith(input), 'items unchanged');
    assert.match(result.stdout, /severity: error/);
  });

  it('no functionConfig is an error result with exit 1', () => {
    const result = run('apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no functionConfig: expected a RegistryProxy/);
  });
});
