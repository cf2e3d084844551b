// kpt runs the bundled function as an exec function (`kpt fn eval --exec`, `kpt fn render --allow-exec`)
// on copies of test/smoke/kpt/package, and the files it writes are compared with what we intend.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  assertMatchesExpected,
  buildFunctionOnce,
  copyFixture,
  diffDirs,
  expectedDockerConfigJson,
  findKpt,
  FUNCTION_PATH,
  makeTempDir,
  readTree,
  removeTempDirs,
  run,
  SMOKE,
  type RunResult,
} from './support.js';

const LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';
const LICENSE_ID = 'e2e-kpt-license-7f3a9c2b41d8';
const EXEC = `${process.execPath} ${FUNCTION_PATH}`;
const CONFIG = join(SMOKE, 'kpt', 'registry-proxy.yaml');
const EXPECTED_DIFF = 'kpt/expected.diff';
const SECRETS_FILE = 'registry-proxy-pull-secrets.yaml';
const INVALID_ENUM = 'must be one of "private", "public", "error"';

/** The pull Secret as kpt writes it to disk (its internal annotations removed). */
function secretYaml(namespace: string, licenseID: string): string {
  const data = Buffer.from(expectedDockerConfigJson(licenseID), 'utf8').toString('base64');
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: my-app-registry',
    `  namespace: ${namespace}`,
    '  annotations:',
    '    kots.io/creation-phase: "-9999"',
    '    registry-proxy.dev/generated-by: registry-proxy',
    'type: kubernetes.io/dockerconfigjson',
    'data:',
    `  .dockerconfigjson: ${data}`,
    '',
  ].join('\n');
}

/** This process's environment without any license, plus `extra` (exec functions inherit it all). */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[LICENSE_ENV];
  delete env['LIC'];
  return { ...env, ...extra };
}

function kpt(args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<RunResult> {
  return run(findKpt(), args, { env, ...(cwd ? { cwd } : {}) });
}

function evalWithConfig(dir: string, licenseID: string, config = CONFIG, extra: readonly string[] = []): Promise<RunResult> {
  return kpt(['fn', 'eval', dir, '--exec', EXEC, '--fn-config', config, ...extra], envWith({ [LICENSE_ENV]: licenseID }));
}

function output(result: RunResult): string {
  return `${result.stdout}${result.stderr}`;
}

function assertSucceeded(result: RunResult): void {
  assert.equal(result.exitCode, 0, `kpt failed:\n${output(result)}`);
}

/** `<root>/original` and `<root>/rendered`: two copies of the package; kpt works on `rendered`. */
function preparePackage(name: string): { root: string; original: string; rendered: string } {
  const root = makeTempDir(name);
  const original = copyFixture('kpt/package', join(root, 'original'));
  const rendered = join(root, 'rendered');
  cpSync(original, rendered, { recursive: true });
  return { root, original, rendered };
}

interface KptResult {
  message: string;
  severity: string;
  resourceRef?: { apiVersion: string; kind: string; name: string; namespace?: string };
  field?: { path: string; currentValue?: string; proposedValue?: string };
  file?: { path: string; index?: number };
}

interface FunctionResultList {
  exitCode: number;
  items: Array<{ exec?: string; exitCode: number; stderr?: string; results?: KptResult[] }>;
}

function readResults(dir: string): FunctionResultList {
  return parse(readFileSync(join(dir, 'results.yaml'), 'utf8')) as FunctionResultList;
}

describe('kpt (exec function)', function () {
  before(async function () {
    findKpt();
    await buildFunctionOnce();
  });
  after(removeTempDirs);

  describe('kpt fn eval --exec --fn-config', function () {
    let pkg: ReturnType<typeof preparePackage>;
    let resultsDir: string;
    let result: RunResult;
    before(async function () {
      pkg = preparePackage('eval');
      resultsDir = join(pkg.root, 'results');
      result = await evalWithConfig(pkg.rendered, LICENSE_ID, CONFIG, ['--results-dir', resultsDir]);
    });

    it('succeeds', function () {
      assertSucceeded(result);
      assert.match(output(result), /\[PASS\]/);
    });

    it('changes exactly the image lines, adds imagePullSecrets and writes the Secret file (the expected diff)', async function () {
      assertSucceeded(result);
      assertMatchesExpected(await diffDirs(pkg.root, 'original', 'rendered'), EXPECTED_DIFF);
    });

    it('writes the pull Secret with the license-derived .dockerconfigjson', function () {
      assertSucceeded(result);
      const text = readFileSync(join(pkg.rendered, SECRETS_FILE), 'utf8');
      assert.equal(text, secretYaml('my-app', LICENSE_ID));
      const secret = parse(text) as { data: Record<string, string> };
      const json = Buffer.from(secret.data['.dockerconfigjson'] ?? '', 'base64').toString('utf8');
      const auth = Buffer.from(`LICENSE_ID:${LICENSE_ID}`).toString('base64');
      assert.deepEqual(JSON.parse(json), { auths: { 'proxy.replicated.com': { auth }, 'registry.replicated.com': { auth } } });
      assert.equal(json, `{"auths":{"proxy.replicated.com":{"auth":"${auth}"},"registry.replicated.com":{"auth":"${auth}"}}}`);
    });

    it('keeps the license ID out of kpt output, the results and every file except the Secret data', function () {
      assertSucceeded(result);
      assert.ok(!output(result).includes(LICENSE_ID), 'the license ID is in kpt output');
      assert.ok(!readFileSync(join(resultsDir, 'results.yaml'), 'utf8').includes(LICENSE_ID), 'the license ID is in results.yaml');
      const secretData = Buffer.from(expectedDockerConfigJson(LICENSE_ID)).toString('base64');
      const auth = Buffer.from(`LICENSE_ID:${LICENSE_ID}`).toString('base64');
      for (const [path, text] of readTree(pkg.rendered)) {
        assert.ok(!text.includes(LICENSE_ID), `the license ID is in ${path}`);
        assert.ok(!text.includes(auth), `the unencoded auth entry is in ${path}`);
        assert.equal(text.includes(secretData), path === SECRETS_FILE, `Secret data in ${path}`);
      }
    });

    it('reports one info result per rewritten image in --results-dir, with field.path and proposedValue', function () {
      assertSucceeded(result);
      const list = readResults(resultsDir);
      assert.equal(list.exitCode, 0);
      assert.equal(list.items.length, 1);
      const results = list.items[0]?.results ?? [];
      assert.deepEqual(
        results.filter((entry) => entry.severity !== 'info'),
        [],
        'no warnings or errors',
      );
      const proxy = 'proxy.replicated.com/proxy/my-app/';
      const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
      const rewrites = results
        .filter((entry) => entry.field !== undefined)
        .map((entry) => ({
          kind: entry.resourceRef?.kind,
          name: entry.resourceRef?.name,
          namespace: entry.resourceRef?.namespace,
          file: entry.file?.path,
          path: entry.field?.path,
          currentValue: entry.field?.currentValue,
          proposedValue: entry.field?.proposedValue,
        }))
        .sort((a, b) => `${a.kind}/${a.path}`.localeCompare(`${b.kind}/${b.path}`));
      const row = (kind: string, name: string, file: string, path: string, image: string) => ({
        kind,
        name,
        namespace: 'my-app',
        file,
        path,
        currentValue: image,
        proposedValue: `${proxy}${image}`,
      });
      assert.deepEqual(rewrites, [
        row('CronJob', 'report', 'cronjob.yaml', 'spec.jobTemplate.spec.template.spec.containers[0].image', 'ghcr.io/my-org/report:1.0'),
        row('Deployment', 'api', 'deployment.yaml', 'spec.template.spec.containers[0].image', 'quay.io/my-org/api:v1.0.1'),
        row('StatefulSet', 'db', 'statefulset.yaml', 'spec.template.spec.containers[0].image', `quay.io/my-org/postgres@${digest}`),
        row('StatefulSet', 'db', 'statefulset.yaml', 'spec.template.spec.initContainers[0].image', 'quay.io/my-org/migrate:2.3'),
      ]);
      const summaries = results.filter((entry) => entry.field === undefined);
      assert.equal(summaries.length, 1, 'one summary');
      assert.match(summaries[0]?.message ?? '', /^rewrote 4 image\(s\) in 3 object\(s\) to proxy\.replicated\.com\/proxy\/my-app; 5 distinct image\(s\) seen;/);
    });

    it('changes nothing when run again on its output (idempotent)', async function () {
      assertSucceeded(result);
      const again = join(pkg.root, 'again');
      cpSync(pkg.rendered, again, { recursive: true });
      const second = await evalWithConfig(again, LICENSE_ID);
      assertSucceeded(second);
      assert.equal(await diffDirs(pkg.root, 'rendered', 'again'), '');
    });
  });

  describe('kpt fn render --allow-exec (Kptfile pipeline with configPath)', function () {
    let pkg: ReturnType<typeof preparePackage>;
    let kptfile: string;
    let config: string;
    let result: RunResult;
    before(async function () {
      pkg = preparePackage('render');
      kptfile = `${readFileSync(join(pkg.original, 'Kptfile'), 'utf8')}pipeline:\n  mutators:\n  - exec: ${EXEC}\n    configPath: registry-proxy.yaml\n`;
      config = readFileSync(CONFIG, 'utf8');
      for (const dir of [pkg.original, pkg.rendered]) {
        writeFileSync(join(dir, 'Kptfile'), kptfile);
        writeFileSync(join(dir, 'registry-proxy.yaml'), config);
      }
      result = await kpt(['fn', 'render', pkg.rendered, '--allow-exec'], envWith({ [LICENSE_ENV]: LICENSE_ID }));
    });

    it('gives the same expected diff; the Kptfile and the configPath file stay untouched', async function () {
      assertSucceeded(result);
      assertMatchesExpected(await diffDirs(pkg.root, 'original', 'rendered'), EXPECTED_DIFF);
      assert.equal(readFileSync(join(pkg.rendered, 'Kptfile'), 'utf8'), kptfile);
      assert.equal(readFileSync(join(pkg.rendered, 'registry-proxy.yaml'), 'utf8'), config);
      assert.ok(!output(result).includes(LICENSE_ID), 'the license ID is in kpt output');
    });

    it('changes nothing when rendered again', async function () {
      assertSucceeded(result);
      const again = join(pkg.root, 'again');
      cpSync(pkg.rendered, again, { recursive: true });
      assertSucceeded(await kpt(['fn', 'render', again, '--allow-exec'], envWith({ [LICENSE_ENV]: LICENSE_ID })));
      assert.equal(await diffDirs(pkg.root, 'rendered', 'again'), '');
    });
  });

  it('kpt fn eval --exec -- key=value (a ConfigMap functionConfig) gives the same expected diff', async function () {
    const pkg = preparePackage('configmap');
    const result = await kpt(
      [
        'fn',
        'eval',
        pkg.rendered,
        '--exec',
        EXEC,
        '--',
        'appSlug=my-app',
        'licenseIDFromEnv=LIC',
        'rules=quay.io/my-org/**=private,ghcr.io/my-org/**=private',
        'knownImages=nginx:1.25=public',
        'unknownImages=error',
      ],
      envWith({ LIC: LICENSE_ID }),
    );
    assertSucceeded(result);
    assertMatchesExpected(await diffDirs(pkg.root, 'original', 'rendered'), EXPECTED_DIFF);
    assert.ok(!output(result).includes(LICENSE_ID), 'the license ID is in kpt output');
  });

  describe('a functionConfig with a bad field (unknownImages: maybe)', function () {
    let pkg: ReturnType<typeof preparePackage>;
    let resultsDir: string;
    let result: RunResult;
    before(async function () {
      pkg = preparePackage('invalid');
      const bad = join(pkg.root, 'bad-config.yaml');
      writeFileSync(bad, readFileSync(CONFIG, 'utf8').replace('unknownImages: error', 'unknownImages: maybe'));
      resultsDir = join(pkg.root, 'results');
      result = await evalWithConfig(pkg.rendered, LICENSE_ID, bad, ['--results-dir', resultsDir]);
    });

    it('fails kpt, changes nothing on disk, and shows the field path and the problem', function () {
      assert.notEqual(result.exitCode, 0, `kpt succeeded:\n${output(result)}`);
      assert.match(output(result), /\[FAIL\]/);
      assert.deepEqual(readTree(pkg.rendered), readTree(pkg.original));
      assert.ok(output(result).includes('spec.unknownImages'), `no field path in kpt output:\n${output(result)}`);
      assert.ok(output(result).includes(INVALID_ENUM), `no problem text in kpt output:\n${output(result)}`);
      const item = readResults(resultsDir).items[0];
      assert.equal(item?.exitCode, 1);
      assert.deepEqual(
        item?.results?.map((entry) => [entry.severity, entry.field?.path]),
        [['error', 'spec.unknownImages']],
      );
      assert.ok(!output(result).includes(LICENSE_ID), 'the license ID is in kpt output');
    });

    it('names the field path once, on the function stderr and in the result line kpt prints', function () {
      const item = readResults(resultsDir).items[0];
      assert.equal(item?.stderr, `registry-proxy: error: spec.unknownImages: ${INVALID_ENUM}\n`);
      assert.ok(output(result).includes(`[error] spec.unknownImages: ${INVALID_ENUM}\n`), `kpt output:\n${output(result)}`);
    });
  });

  it('writes one Secret per namespace to one file, and removes the one a namespace no longer needs', async function () {
    const pkg = preparePackage('namespaces');
    const statefulSet = join(pkg.rendered, 'statefulset.yaml');
    writeFileSync(statefulSet, readFileSync(statefulSet, 'utf8').replace('namespace: my-app', 'namespace: data'));
    assertSucceeded(await evalWithConfig(pkg.rendered, LICENSE_ID));
    assert.equal(readFileSync(join(pkg.rendered, SECRETS_FILE), 'utf8'), `${secretYaml('data', LICENSE_ID)}---\n${secretYaml('my-app', LICENSE_ID)}`);

    cpSync(pkg.rendered, join(pkg.root, 'first-run'), { recursive: true });
    assertSucceeded(await evalWithConfig(pkg.rendered, LICENSE_ID));
    assert.equal(await diffDirs(pkg.root, 'first-run', 'rendered'), '', 'a second run changed the package');

    writeFileSync(statefulSet, readFileSync(statefulSet, 'utf8').replace('namespace: data', 'namespace: my-app'));
    assertSucceeded(await evalWithConfig(pkg.rendered, LICENSE_ID));
    assert.equal(readFileSync(join(pkg.rendered, SECRETS_FILE), 'utf8'), secretYaml('my-app', LICENSE_ID));
  });

  it('replaces the Secret in place when the license changes, and changes nothing else', async function () {
    const pkg = preparePackage('relicense');
    assertSucceeded(await evalWithConfig(pkg.rendered, LICENSE_ID));
    const first = readTree(pkg.rendered);
    const newLicense = 'e2e-kpt-license-second-0b5e';
    assertSucceeded(await evalWithConfig(pkg.rendered, newLicense));
    const second = readTree(pkg.rendered);
    assert.deepEqual([...second.keys()], [...first.keys()]);
    for (const [path, text] of second) {
      if (path === SECRETS_FILE) assert.equal(text, secretYaml('my-app', newLicense));
      else assert.equal(text, first.get(path), `${path} changed`);
    }
  });

  it('adds the Secret beside a user object already in registry-proxy-pull-secrets.yaml (no index collision)', async function () {
    const pkg = preparePackage('user-file');
    const userObject = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: user-owned', '  namespace: my-app', 'data:', '  note: "kept"', ''].join('\n');
    for (const dir of [pkg.original, pkg.rendered]) writeFileSync(join(dir, SECRETS_FILE), userObject);
    const result = await evalWithConfig(pkg.rendered, LICENSE_ID);
    assertSucceeded(result);
    // The user's object is kept as written, and exactly one generated Secret appears, wherever kpt puts it.
    const documents = [...readTree(pkg.rendered)].flatMap(([path, text]) => text.split(/^---\n/m).map((doc) => ({ path, doc })));
    assert.deepEqual(
      documents.filter(({ doc }) => doc.includes('name: user-owned')),
      [{ path: SECRETS_FILE, doc: userObject }],
    );
    assert.deepEqual(
      documents.filter(({ doc }) => doc.includes('kind: Secret')).map(({ doc }) => doc),
      [secretYaml('my-app', LICENSE_ID)],
    );
  });

  it('keeps comments on the generated Secret when it regenerates it (echoes the orchestrator annotations)', async function () {
    const pkg = preparePackage('secret-comments');
    assertSucceeded(await evalWithConfig(pkg.rendered, LICENSE_ID));
    const secretsFile = join(pkg.rendered, SECRETS_FILE);
    const commented = `# Generated by registry-proxy: do not edit.\n${readFileSync(secretsFile, 'utf8').replace(
      '  name: my-app-registry\n',
      '  name: my-app-registry # the pull Secret\n',
    )}`;
    writeFileSync(secretsFile, commented);
    assertSucceeded(await evalWithConfig(pkg.rendered, LICENSE_ID));
    assert.equal(readFileSync(secretsFile, 'utf8'), commented);
  });

  it('kpt fn render of a package and its subpackage: the subpackage keeps its own Secret file', async function () {
    const pkg = preparePackage('subpackage');
    const pipeline = `pipeline:\n  mutators:\n  - exec: ${EXEC}\n    configPath: registry-proxy.yaml\n`;
    const config = readFileSync(CONFIG, 'utf8');
    const sub = join(pkg.rendered, 'sub');
    mkdirSync(sub);
    writeFileSync(join(pkg.rendered, 'Kptfile'), `${readFileSync(join(pkg.rendered, 'Kptfile'), 'utf8')}${pipeline}`);
    writeFileSync(join(pkg.rendered, 'registry-proxy.yaml'), config);
    writeFileSync(join(sub, 'Kptfile'), `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: sub\n${pipeline}`);
    writeFileSync(join(sub, 'registry-proxy.yaml'), config);
    writeFileSync(join(sub, 'cronjob.yaml'), readFileSync(join(pkg.original, 'cronjob.yaml'), 'utf8').replace('name: report', 'name: sub-report'));
    const result = await kpt(['fn', 'render', pkg.rendered, '--allow-exec'], envWith({ [LICENSE_ENV]: LICENSE_ID }));
    assertSucceeded(result);
    // The subpackage renders first and writes its Secret; the parent finds it there (same namespace)
    // and must leave it in the subpackage, so the subpackage stays complete on its own.
    const secrets = [...readTree(pkg.rendered)].filter(([, text]) => text.includes('kind: Secret'));
    assert.deepEqual(secrets, [[join('sub', SECRETS_FILE), secretYaml('my-app', LICENSE_ID)]]);
  });
});
