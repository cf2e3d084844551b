// The built bundle as a process: what kpt, kustomize and a shell see. Bad input must give a non-zero
// exit, one clear stderr line, no stack trace, no partial stdout, and never hang.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const bundle = fileURLToPath(new URL('../../dist/registry-proxy.cjs', import.meta.url));
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
    const example = readFileSync(new URL('../../examples/quickstart/resource-list.yaml', import.meta.url), 'utf8');
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

  it('an unknown argument that may be a license ID pasted on the command line is not echoed', () => {
    for (const pasted of [LICENSE, '2ViDfdqTUCpW6tEs2gaWmvjkqzK', 'abc123def456ghi789', '--license=2ViDfdqTUCpW6tEs2gaWmvjkqzK']) {
      const result = run('', [pasted]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /^registry-proxy: error: unknown argument/);
      assert.ok(!result.stderr.includes(pasted.replace(/^--license=/, '')), result.stderr);
    }
    assert.match(run('', ['knwon-images']).stderr, /unknown argument "knwon-images"/);
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

/** The documents of a YAML text as plain data, or a failure naming the first parse error. */
function parseAll(text: string): unknown[] {
  const documents = parseAllDocuments(text, { version: '1.1' });
  const errors = (Array.isArray(documents) ? documents : []).flatMap((document) => document.errors);
  assert.deepEqual(errors.map((error) => error.message.split('\n')[0]), [], `the output is not valid YAML:\n${text}`);
  return documents.map((document) => document.toJS() as unknown);
}

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const CONFIG_MAP = '{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: ns}, data: {a: "1"}}';
// additionalNamespaces makes a Secret to append even when no item has an image.
const secretConfig = config.replace('probe: {enabled: false}', 'probe: {enabled: false}, additionalNamespaces: [ns]');

describe('the bundle as a process: flow items lists get valid YAML', function () {
  const cases: Array<[string, string, number]> = [
    ['a trailing comma', `${HEAD}items: [${CONFIG_MAP},]\n${secretConfig}`, 1],
    ['an empty list over two lines', `${HEAD}items: [\n]\n${secretConfig}`, 0],
    ['a closing ] in column 0', `${HEAD}items: [\n  ${CONFIG_MAP}\n]\n${secretConfig}`, 1],
    ['a closing ] in column 0 after a trailing comma and a comment', `${HEAD}items: [\n  ${CONFIG_MAP}, # the one\n]\n${secretConfig}`, 1],
    ['a JSON ResourceList over several lines', `{\n"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",\n"items": [\n${CONFIG_MAP}\n],\n"functionConfig": {"apiVersion": "fn.registry-proxy.dev/v1alpha1", "kind": "RegistryProxy", "spec": {"appSlug": "my-app", "licenseIDFromEnv": "LIC", "probe": {"enabled": false}, "additionalNamespaces": ["ns"]}}\n}\n`, 1],
  ];
  for (const [name, input, inputItems] of cases) {
    it(`${name}: every input item unchanged, the Secret appended, exit 0`, () => {
      const result = run(input, [], { LIC: LICENSE });
      assert.equal(result.stderr, '');
      assert.equal(result.status, 0);
      const [list] = parseAll(result.stdout) as Array<{ items: Array<{ kind: string; metadata: { name: string } }> }>;
      assert.deepEqual(list!.items.map((item) => `${item.kind}/${item.metadata.name}`), [...(inputItems ? ['ConfigMap/c'] : []), 'Secret/my-app-registry']);
      if (inputItems) assert.ok(result.stdout.includes(CONFIG_MAP), 'the item is byte for byte as it came');
      // A second run changes nothing.
      const again = run(result.stdout, [], { LIC: LICENSE });
      assert.equal(again.status, 0, again.stderr);
      assert.equal(again.stdout.replace(/results:[\s\S]*$/, ''), result.stdout.replace(/results:[\s\S]*$/, ''));
    });
  }
});

describe('the bundle as a process: invalid items are refused', function () {
  let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let level = 1; level < 12; level++) bomb += `a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]\n`;
  const indentedBomb = bomb.trimEnd().split('\n').join('\n    ');
  const cases: Array<[string, string, RegExp]> = [
    ['an alias without an anchor', `${HEAD}items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {a: *nope}\n${config}`, /the alias \*nope has no anchor \(&nope\) before it \(line 7\)/],
    ['a mis-indented item', `${HEAD}items:\n  - apiVersion: v1\n  kind: ConfigMap\n${config}`, /not valid YAML: the items list holds lines that belong to no item/],
    ['an alias bomb inside an item', `${HEAD}items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n    ${indentedBomb}\n${config}`, /aliases expand to too much data/],
  ];
  for (const [name, input, pattern] of cases) {
    it(`KRM: ${name}`, () => {
      const result = run(input, [], { LIC: LICENSE });
      assertCleanFailure(result, pattern);
      assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
    });
  }

  const streams: Array<[string, string, RegExp]> = [
    ['an alias without an anchor', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: *nope}\n', /the alias \*nope has no anchor \(&nope\) before it \(line 4\)/],
    ['a mis-indented document', 'apiVersion: v1\nkind: ConfigMap\n metadata: {name: c}\n', /not valid YAML/],
    ['an alias bomb inside a document', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n    ${indentedBomb}\n`, /aliases expand to too much data/],
  ];
  for (const [name, input, pattern] of streams) {
    it(`post-render: ${name}`, () => withConfigFile(HELM_CONFIG, (file) => assertCleanFailure(run(input, ['--config', file], { LIC: LICENSE }), pattern)));
  }

  it('post-render: a configuration file with an alias without an anchor is exit 1, the file named', () =>
    withConfigFile(`${HELM_CONFIG}  extra: *nope\n`, (file) => assertCleanFailure(run('a: 1\n', ['--config', file], { LIC: LICENSE }), new RegExp(`${escape(file)} is not valid YAML: the alias \\*nope has no anchor`))));

  it('post-render: a configuration file with an alias bomb is exit 1, the file named', () =>
    withConfigFile(bomb, (file) => assertCleanFailure(run('a: 1\n', ['--config', file], { LIC: LICENSE }), new RegExp(`${escape(file)} is not usable: its aliases expand to too much data`))));
});

describe('the bundle as a process: valid input is accepted', function () {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: ghcr.io/o/a:1}]}\n';
  for (const [name, directive] of [['%YAML 1.1', '%YAML 1.1\n'], ['%TAG', '%TAG !e! tag:example.com,2000:\n']] as const) {
    it(`post-render: a stream that starts with ${name} and ---`, () =>
      withConfigFile(HELM_CONFIG, (file) => {
        const result = run(`${directive}---\n${pod}---\n${pod.replace('name: p', 'name: q')}`, ['--config', file], { LIC: LICENSE });
        assert.equal(result.status, 0, result.stderr);
        assert.ok(result.stdout.startsWith(`${directive}---\napiVersion: v1\nkind: Pod\n`), result.stdout);
        const documents = parseAll(result.stdout) as Array<{ kind: string }>;
        assert.deepEqual(documents.map((document) => document.kind), ['Pod', 'Pod', 'Secret']);
      }));
  }

  it('KRM: a U+FFFD character (valid UTF-8) is text', () => {
    const item = '- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {a: "x\uFFFDy"}\n';
    const result = run(`${HEAD}items:\n${item}${config}`, [], { LIC: LICENSE });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.includes(item));
  });

  it('post-render: a U+FFFD character (valid UTF-8) is text', () =>
    withConfigFile(HELM_CONFIG, (file) => {
      const result = run('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "x\uFFFDy"}\n', ['--config', file], { LIC: LICENSE });
      assert.equal(result.status, 0, result.stderr);
      assert.ok(result.stdout.includes('x\uFFFDy'));
    }));

  it('KRM: an empty document before the ResourceList (---, ---)', () => {
    const result = run(`---\n---\nkind: ResourceList\napiVersion: config.kubernetes.io/v1\nitems:\n- ${CONFIG_MAP}\n${secretConfig}`, [], { LIC: LICENSE });
    assert.equal(result.status, 0, result.stderr);
    const documents = parseAll(result.stdout).filter((document) => document !== null) as Array<{ items: Array<{ kind: string }> }>;
    assert.deepEqual(documents[0]!.items.map((item) => item.kind), ['ConfigMap', 'Secret']);
  });

  it('KRM: an item may use an anchor set in an earlier item (one document)', () => {
    const items = '- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a, labels: &labels {app: x}}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b, labels: *labels}\n';
    const result = run(`${HEAD}items:\n${items}${config}`, [], { LIC: LICENSE });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout.includes(items));
  });

  it('KRM: a ResourceList after %YAML 1.1 and ---', () => {
    const result = run(`%YAML 1.1\n---\n${HEAD}items:\n- ${CONFIG_MAP}\n${secretConfig}`, [], { LIC: LICENSE });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual((parseAll(result.stdout)[0] as { items: unknown[] }).items.length, 2);
  });
});

describe('the bundle as a process: nothing on stdout when the input could not be read', function () {
  it('a configuration error and an item that is not valid YAML: one line, no output', () => {
    const input = `${HEAD}items:\n- a: [1, 2\n  b: }\nfunctionConfig: {apiVersion: v1, kind: ConfigMap, data: {}}\n`;
    assertCleanFailure(run(input, [], { LIC: LICENSE }), /not valid YAML/);
  });
});

describe('the bundle as a process: output errors', function () {
  // Larger than a pipe's buffer, so the writer is still writing when the reader goes away.
  const big = `${HEAD}items:\n${Array.from({ length: 3000 }, (_, index) => `- {apiVersion: v1, kind: ConfigMap, metadata: {name: c${index}}, data: {a: "${'x'.repeat(100)}"}}\n`).join('')}${config}`;

  it('stdout closed early (EPIPE, | head -c1): one line on stderr, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-proxy-epipe-'));
    try {
      writeFileSync(join(dir, 'in.yaml'), big);
      const script = `"${process.execPath}" "${bundle}" < in.yaml 2> err.txt | head -c1 > /dev/null; echo "\${PIPESTATUS[0]}" > status.txt`;
      const shell = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: dir, env: { PATH: process.env['PATH'] ?? '', LIC: LICENSE }, timeout: 20_000 });
      assert.equal(shell.status, 0);
      const stderr = readFileSync(join(dir, 'err.txt'), 'utf8');
      assert.equal(readFileSync(join(dir, 'status.txt'), 'utf8').trim(), '1', stderr);
      assert.equal(stderr, 'registry-proxy: error: cannot write the output to stdout: the reader closed it early (EPIPE)\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the output is the same under any locale: namespaces are ordered by code unit, not by the machine's collation", function () {
    // Danish collates "aa" after "z": sorted by the process's locale, the pull Secrets (and the kustomize
    // command's list) of a render in CI and on a laptop came out in different orders.
    if (new Intl.Collator('da').compare('aa', 'b') < 0) this.skip(); // this Node has no Danish collation
    const pod = (name: string, namespace: string) => `- apiVersion: v1\n  kind: Pod\n  metadata: {name: ${name}, namespace: ${namespace}}\n  spec:\n    containers:\n    - {name: c, image: quay.io/my-org/api:1}\n`;
    const rules = config.replace('probe: {enabled: false}', 'probe: {enabled: false}, rules: [{match: quay.io/my-org/**, private: true}]');
    const input = `${HEAD}items:\n${pod('p1', 'aa-shop')}${pod('p2', 'b-shop')}${rules}`;
    for (const args of [[], ['kustomize']]) {
      const c = run(input, args, { LIC: LICENSE, LC_ALL: 'C' });
      assert.equal(c.status, 0, c.stderr);
      assert.ok(c.stdout.indexOf('aa-shop') < c.stdout.indexOf('b-shop'));
      const danish = run(input, args, { LIC: LICENSE, LC_ALL: 'da_DK.UTF-8', LANG: 'da_DK.UTF-8' });
      assert.equal(danish.stdout, c.stdout, `registry-proxy ${args.join(' ')}`);
    }
  });

  it("yaml's debugging variables (LOG_TOKENS, LOG_STREAM) in the environment do not reach the output", () => {
    // yaml's parser and composer print tokens and documents with console.log, to our stdout, when these
    // are set; the bundle is built without those checks (scripts/bundle.mjs).
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ns}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n';
    const input = `${HEAD}items:\n- ${CONFIG_MAP}\n- ${deployment.trimEnd().replaceAll('\n', '\n  ')}\n${config}`;
    const debug = { LOG_TOKENS: '1', LOG_STREAM: '1' };
    const plain = run(input, [], { LIC: LICENSE });
    assert.equal(plain.status, 0, plain.stderr);
    const logged = run(input, [], { LIC: LICENSE, ...debug });
    assert.equal(logged.stdout, plain.stdout);
    assert.equal(logged.stderr, plain.stderr);
    withConfigFile(HELM_CONFIG, (file) => {
      const stream = `${CONFIG_MAP}\n---\n${deployment}`;
      const rendered = run(stream, ['post-render', '--config', file], { LIC: LICENSE });
      assert.equal(rendered.status, 0, rendered.stderr);
      assert.equal(run(stream, ['post-render', '--config', file], { LIC: LICENSE, ...debug }).stdout, rendered.stdout);
    });
  });

  it('an output of several megabytes, multi-byte characters in it, is the same through a pipe as into a file', () => {
    // More than 1 MiB: written in chunks, one after the other, to the pipe's stream and to the file.
    const large = `${HEAD}items:\n${Array.from({ length: 20_000 }, (_, index) => `- {apiVersion: v1, kind: ConfigMap, metadata: {name: c${index}}, data: {a: "ü€𝄞 ${'x'.repeat(index % 97)}"}}\n`).join('')}${config}`;
    const dir = mkdtempSync(join(tmpdir(), 'registry-proxy-large-'));
    try {
      writeFileSync(join(dir, 'in.yaml'), large);
      const env = { PATH: process.env['PATH'] ?? '', LIC: LICENSE };
      const script = `"${process.execPath}" "${bundle}" < in.yaml > file.yaml && "${process.execPath}" "${bundle}" < in.yaml | cat > pipe.yaml`;
      const shell = spawnSync('bash', ['--norc', '--noprofile', '-o', 'pipefail', '-c', script], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
      assert.equal(shell.status, 0, shell.stderr);
      const file = readFileSync(join(dir, 'file.yaml'));
      assert.ok(file.length > 2 * 1024 * 1024, `only ${file.length} bytes`);
      assert.ok(file.equals(readFileSync(join(dir, 'pipe.yaml'))), 'the pipe got other bytes than the file');
      const text = file.toString('utf8');
      assert.ok(text.startsWith(large.slice(0, large.indexOf('functionConfig:'))), 'the items changed');
      assert.match(text, /\nresults:\n- message: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const args of [[], ['--help']]) {
    it(`a full disk (ENOSPC, > /dev/full)${args.length ? ' with --help' : ''}: one line on stderr, exit 1`, () => {
      const full = openSync('/dev/full', 'w');
      try {
        const result = spawnSync(process.execPath, [bundle, ...args], { input: big, stdio: ['pipe', full, 'pipe'], env: { PATH: process.env['PATH'] ?? '', LIC: LICENSE }, encoding: 'utf8', timeout: 20_000 });
        assert.equal(result.stderr, 'registry-proxy: error: cannot write the output to stdout: no space left on the device (ENOSPC)\n');
        assert.equal(result.status, 1);
      } finally {
        closeSync(full);
      }
    });
  }
});

describe('the bundle as a process: the license stays secret on operator mistakes', function () {
  const withEnvName = (name: string): string => config.replace('licenseIDFromEnv: LIC', `licenseIDFromEnv: ${name}`);
  for (const pasted of ['BVIL3PFTLVL0NQAJWZGW0IBS1V2', 'DEADBEEF0123456789ABCDEF', 'k2bViL3pf', 'A1B2C3D4']) {
    it(`licenseIDFromEnv holding the license itself (${pasted.length} characters, ${/[a-z]/.test(pasted) ? 'mixed' : 'upper'} case) is not echoed`, () => {
      const result = run(`${HEAD}items: []\n${withEnvName(pasted)}`, [], { LIC: LICENSE });
      assert.equal(result.status, 1);
      assert.ok(!result.stderr.includes(pasted) && !result.stdout.includes(`"${pasted}`), result.stderr);
      assert.match(result.stderr, /environment variable named there \(the name is not shown/);
    });
  }

  it('--config <license> names the flag, not the value', () => {
    const result = run('a: 1\n', ['--config', LICENSE]);
    assertCleanFailure(result, /cannot read the configuration file named by --config \(not shown: it does not look like a file path\) \(ENOENT\)/);
  });

  it('REGISTRY_PROXY_CONFIG=<license> names the variable, not the value', () => {
    const result = run('a: 1\n', ['post-render'], { REGISTRY_PROXY_CONFIG: LICENSE });
    assertCleanFailure(result, /cannot read the configuration file named by REGISTRY_PROXY_CONFIG \(not shown/);
  });

  it('a missing file that looks like one is named', () => {
    assertCleanFailure(run('a: 1\n', ['--config', './no-such-file.yaml']), /cannot read the configuration "\.\/no-such-file\.yaml" \(ENOENT\)/);
  });

  // licenseID written in the ResourceList, in an embedded License, and in the environment.
  const sources: Array<[string, (value: string) => string, (value: string) => Record<string, string>]> = [
    ['licenseID', (value) => config.replace('licenseIDFromEnv: LIC', `licenseID: ${JSON.stringify(value)}`), () => ({})],
    ['an embedded License', (value) => config.replace('licenseIDFromEnv: LIC', `license: {apiVersion: kots.io/v1beta1, kind: License, spec: {licenseID: ${JSON.stringify(value)}}}`), () => ({})],
    ['the environment', () => config, (value) => ({ LIC: value })],
  ];
  for (const [source, functionConfig, env] of sources) {
    for (const [shape, value] of [['only spaces', '   '], ['a newline inside', `${LICENSE}\nx`], ['a NUL inside', `${LICENSE.slice(0, 10)}\u0000${LICENSE.slice(10)}`]] as const) {
      if (source === 'the environment' && shape === 'a NUL inside') continue; // an environment cannot hold a NUL
      it(`a license ID with ${shape} from ${source} is refused, not echoed`, () => {
        const result = run(`${HEAD}items: []\n${functionConfig(value)}`, [], env(value));
        assert.equal(result.status, 1, result.stderr);
        assert.match(result.stderr, /^registry-proxy: error: spec\.[\w.]*licenseID\w*: /);
        assert.match(result.stderr, /blank|not set or empty|cannot authenticate/);
        assert.ok(!result.stderr.includes(LICENSE.slice(0, 10)) && !result.stdout.includes(`${LICENSE.slice(0, 10)}\u0000`), result.stderr);
      });
    }
  }
});

const HELM_CONFIG = 'apiVersion: fn.registry-proxy.dev/v1alpha1\nkind: RegistryProxy\nmetadata: {name: x}\nspec:\n  appSlug: my-app\n  licenseIDFromEnv: LIC\n  probe: {enabled: false}\n';

function withConfigFile(text: string, check: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'registry-proxy-config-'));
  try {
    const file = join(dir, 'registry-proxy.yaml');
    writeFileSync(file, text);
    check(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
