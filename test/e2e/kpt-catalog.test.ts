// kpt runs the bundled function (dist/registry-proxy.cjs) on two kinds of kpt packages, each copied to a
// temporary directory made a git repository, so that what the function changed is a `git diff`:
//
// 1. The repository itself (Kptfile, .krmignore, examples/kpt/ and every subpackage the repository holds),
//    with the Kptfile's `image:` entry run through a stand-in `docker` (kpt-docker-standin.ts), with the
//    same entry under `kpt fn eval --image --env`, and with a copy of the Kptfile whose entry is `exec:`.
//    Expected: examples/kpt/.expected/{diff.patch,results.yaml}.
// 2. The catalog-style golden cases examples/kpt/cases/<case>/: a kpt package each (Kptfile, resources,
//    .krmignore listing .expected) and .expected/{config.yaml, diff.patch, results.yaml}. Every case runs
//    twice, and the second run must change nothing.
//
// .expected/config.yaml, the fields this runner reads (the names of kpt's own e2e runner, pkg/test/runner):
//   testType  eval (the only one: a case Kptfile with a pipeline would run whenever the repository renders)
//   fnConfig  the functionConfig file, relative to .expected/ (required)
//   image     run as a container function (kpt fn eval --image, through the stand-in docker); without
//             it, kpt fn eval --exec "<node> dist/registry-proxy.cjs"
//   env       kpt's environment (an exec function inherits it); not with image
//   args      key=value arguments after `--`
//   exitCode  kpt's exit code (default 0); stdErr: text kpt's stderr must contain
// results.yaml is kpt's --results-dir output with the exec command line normalized to
// `<node> <repo>/dist/registry-proxy.cjs`. REGISTRY_PROXY_E2E_UPDATE=1 rewrites diff.patch and results.yaml
// and fails the run, as test/e2e/support.ts does.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  buildFunctionOnce,
  expectedDockerConfigJson,
  findKpt,
  FUNCTION_PATH,
  makeTempDir,
  removeTempDirs,
  REPO_ROOT,
  run,
  shellQuote,
  UPDATE_ENV,
  type RunResult,
} from './support.js';

const IMAGE = 'ghcr.io/registry-proxy/registry-proxy:v0.1.0';
const LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';
const LICENSE_ID = 'catalog-e2e-license-7d2e41';
const EXEC = `${process.execPath} ${FUNCTION_PATH}`;
const NORMALIZED_EXEC = '<node> <repo>/dist/registry-proxy.cjs';
const STANDIN_PATH = fileURLToPath(new URL('./kpt-docker-standin.js', import.meta.url));
const EXAMPLE = 'examples/kpt';
const CONFIG_PATH = `${EXAMPLE}/registry-proxy.yaml`;
const EXAMPLE_EXPECTED = join(REPO_ROOT, EXAMPLE, '.expected');
const CASES = join(REPO_ROOT, EXAMPLE, 'cases');
const SECRETS_FILE = 'registry-proxy-pull-secrets.yaml';
const MISSING_LICENSE = `spec.licenseIDFromEnv: environment variable ${LICENSE_ENV} is not set or empty`;
/** The files of the example app the function changes, and the Secret file it adds. */
const CHANGED_FILES = [`${EXAMPLE}/cronjob.yaml`, `${EXAMPLE}/deployment.yaml`, SECRETS_FILE];

/** `docker version` as kpt calls it before every container function. */
const DOCKER_VERSION = ['version', '--format', '{{.Client.Version}}'];
/** `docker run` as kpt calls it (krm-contract.md), `-e` flags before the image. */
function dockerRun(envFlags: readonly string[] = []): string[] {
  return ['run', '--rm', '-i', '--network', 'none', '--user', 'nobody', '--security-opt=no-new-privileges', '--pull', 'missing', ...envFlags, IMAGE];
}

// ---------------------------------------------------------------------------------------------------
// Processes

/** This process's environment without a license (exec functions inherit it all), plus `extra`. */
function envWith(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[LICENSE_ENV];
  return { ...env, ...extra };
}

function kpt(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run(findKpt(), args, { env });
}

function output(result: RunResult): string {
  return `${result.stdout}${result.stderr}`;
}

function assertSucceeded(result: RunResult): void {
  assert.equal(result.exitCode, 0, `kpt failed:\n${output(result)}`);
}

/** git without the user's or the system's configuration, so the diff text is the same everywhere. */
const GIT_ENV: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

async function git(dir: string, args: readonly string[]): Promise<string> {
  const result = await run('git', args, { cwd: dir, env: GIT_ENV });
  assert.equal(result.exitCode, 0, `git ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** Makes `dir` a git repository whose one commit is its current content. */
async function commitAll(dir: string): Promise<void> {
  await git(dir, ['init', '--quiet']);
  await git(dir, ['add', '--all']);
  await git(dir, ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', 'commit', '--quiet', '--no-verify', '-m', 'original']);
}

/** `git diff` of `dir` against its commit, new files included: what kpt and the function changed. */
async function diffSinceCommit(dir: string): Promise<string> {
  await git(dir, ['add', '--all']);
  return git(dir, ['diff', '--cached', '--no-color', '--no-ext-diff', 'HEAD']);
}

/** The files a `git diff` names, in its order. */
function changedFiles(diff: string): string[] {
  return [...diff.matchAll(/^diff --git a\/(\S+) b\//gm)].map((match) => match[1] ?? '');
}

/** kpt's results.yaml with the machine-specific parts replaced: the exec command line, the package path. */
function readResults(resultsDir: string, packageDir: string): string {
  return readFileSync(join(resultsDir, 'results.yaml'), 'utf8').replaceAll(EXEC, NORMALIZED_EXEC).replaceAll(packageDir, '<package>');
}

/** Asserts `actual` equals the file at `path`; with REGISTRY_PROXY_E2E_UPDATE=1 writes it and fails. */
function assertMatchesFile(actual: string, path: string): void {
  if (process.env[UPDATE_ENV] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    assert.fail(`wrote ${relative(REPO_ROOT, path)}: review it (git diff), then run again without ${UPDATE_ENV}`);
  }
  assert.ok(existsSync(path), `${relative(REPO_ROOT, path)} is missing (write it with ${UPDATE_ENV}=1, then review)`);
  assert.equal(actual, readFileSync(path, 'utf8'), `differs from ${relative(REPO_ROOT, path)} (regenerate with ${UPDATE_ENV}=1, then review)`);
}

// ---------------------------------------------------------------------------------------------------
// The stand-in docker

interface Docker {
  /** PATH, E2E_DOCKER_* for kpt: `docker` is the stand-in. */
  env(): Record<string, string>;
  /** The argv of every call since the last `env()`, in order. */
  calls(): string[][];
}

function installDocker(): Docker {
  const binDir = makeTempDir('catalog-docker-bin');
  const docker = join(binDir, 'docker');
  writeFileSync(docker, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(STANDIN_PATH)} "$@"\n`);
  chmodSync(docker, 0o755);
  let log = '';
  return {
    env() {
      log = join(makeTempDir('catalog-docker-log'), 'argv.jsonl');
      return {
        PATH: `${binDir}${delimiter}${process.env['PATH'] ?? ''}`,
        E2E_DOCKER_LOG: log,
        E2E_DOCKER_FUNCTION: FUNCTION_PATH,
        E2E_DOCKER_IMAGE: IMAGE,
      };
    },
    calls() {
      if (log === '' || !existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as string[]);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The repository as a kpt package

/** Every directory below `root` that holds a Kptfile (kpt fn render's subpackages), relative to it. */
function findSubpackages(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.git') continue;
      const path = join(dir, entry.name);
      if (existsSync(join(path, 'Kptfile'))) found.push(relative(root, path));
      walk(path);
    }
  };
  walk(root);
  return found.sort();
}

interface PackageCopy {
  dir: string;
  resultsDir: string;
}

/**
 * The repository's package in a fresh git repository: Kptfile, .krmignore, examples/kpt/ and every other
 * subpackage of the repository (kpt fn render reads them all, whatever .krmignore says). `edit` changes
 * the copy before the commit, so the diff shows only what kpt and the function did.
 */
async function copyRepositoryPackage(name: string, edit: (dir: string) => void = () => {}): Promise<PackageCopy> {
  const root = makeTempDir(`catalog-${name}`);
  const dir = join(root, 'registry-proxy');
  mkdirSync(dir);
  for (const path of ['Kptfile', '.krmignore', EXAMPLE, ...findSubpackages(REPO_ROOT).filter((sub) => !sub.startsWith(`${EXAMPLE}/`))]) {
    cpSync(join(REPO_ROOT, path), join(dir, path), { recursive: true });
  }
  edit(dir);
  await commitAll(dir);
  return { dir, resultsDir: join(root, 'results') };
}

function replaceOnce(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  assert.equal(text.split(from).length, 2, `${JSON.stringify(from)} is not in ${path} exactly once`);
  writeFileSync(path, text.replace(from, to));
}

/** The Secret file as the function writes it, decoded: the license-derived .dockerconfigjson. */
function assertSecretFor(dir: string, licenseID: string): void {
  const secret = parse(readFileSync(join(dir, SECRETS_FILE), 'utf8')) as { data?: Record<string, string> };
  const encoded = Buffer.from(expectedDockerConfigJson(licenseID), 'utf8').toString('base64');
  assert.equal(secret.data?.['.dockerconfigjson'], encoded);
}

interface Kptfile {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown };
  info?: { description?: unknown };
  pipeline?: { mutators?: unknown };
}

describe('kpt catalog: the repository as a kpt package', function () {
  let docker: Docker;
  before(async function () {
    findKpt();
    await buildFunctionOnce();
    docker = installDocker();
  });
  after(removeTempDirs);

  it('declares the example pipeline in a top-level Kptfile whose configPath resolves from the package root', function () {
    const kptfile = parse(readFileSync(join(REPO_ROOT, 'Kptfile'), 'utf8')) as Kptfile;
    assert.equal(kptfile.apiVersion, 'kpt.dev/v1');
    assert.equal(kptfile.kind, 'Kptfile');
    assert.equal(kptfile.metadata?.name, 'registry-proxy');
    assert.equal(typeof kptfile.info?.description, 'string');
    assert.deepEqual(kptfile.pipeline?.mutators, [{ image: IMAGE, configPath: CONFIG_PATH, selectors: [{ namespace: 'storefront' }] }]);
    const config = readFileSync(join(REPO_ROOT, CONFIG_PATH), 'utf8');
    const schemaLine = config.split('\n')[0] ?? '';
    assert.equal(schemaLine, '# yaml-language-server: $schema=../../schemas/registry-proxy.schema.json');
    assert.ok(existsSync(join(REPO_ROOT, EXAMPLE, '../../schemas/registry-proxy.schema.json')), 'the $schema path does not resolve');
    const parsed = parse(config) as { metadata?: { annotations?: Record<string, unknown> }; spec?: Record<string, unknown> };
    assert.equal(parsed.metadata?.annotations?.['config.kubernetes.io/local-config'], 'true');
    assert.equal(parsed.spec?.['licenseIDFromEnv'], LICENSE_ENV);
  });

  it('reads only the Kptfile and examples/kpt from the repository (.krmignore)', async function () {
    // Read-only: -o stdout writes nothing. `cat` echoes the ResourceList kpt builds from the package.
    const result = await kpt(['fn', 'eval', REPO_ROOT, '--exec', 'cat', '-o', 'stdout'], envWith());
    assertSucceeded(result);
    const list = parse(result.stdout) as { items: Array<{ metadata?: { annotations?: Record<string, string> } }> };
    const paths = list.items.map((item) => item.metadata?.annotations?.['internal.config.kubernetes.io/path'] ?? '(no path)').sort();
    const expected = ['Kptfile', `${EXAMPLE}/cronjob.yaml`, `${EXAMPLE}/deployment.yaml`, `${EXAMPLE}/registry-proxy.yaml`, `${EXAMPLE}/service.yaml`];
    // A rendered working copy also holds the generated Secret file: part of the package.
    if (existsSync(join(REPO_ROOT, SECRETS_FILE))) expected.push(SECRETS_FILE);
    assert.deepEqual(paths, expected.sort());
  });

  it('kpt fn render with the image entry as committed fails: render passes no environment to a container', async function () {
    const pkg = await copyRepositoryPackage('render-no-env');
    const result = await kpt(['fn', 'render', pkg.dir], envWith({ ...docker.env(), [LICENSE_ENV]: LICENSE_ID }));
    assert.equal(result.exitCode, 1, `kpt did not fail as expected:\n${output(result)}`);
    assert.ok(output(result).includes(`[error] ${MISSING_LICENSE}\n`), `kpt output:\n${output(result)}`);
    assert.ok(output(result).includes(`"registry-proxy: error: ${MISSING_LICENSE}"`), `kpt output:\n${output(result)}`);
    // The license is in kpt's environment, but no `-e` reaches docker.
    assert.deepEqual(docker.calls(), [DOCKER_VERSION, dockerRun()]);
    assert.equal(await diffSinceCommit(pkg.dir), '');
  });

  describe('kpt fn render with the image entry (a test-only functionConfig holding the license ID)', function () {
    let pkg: PackageCopy;
    let result: RunResult;
    let calls: string[][];
    before(async function () {
      pkg = await copyRepositoryPackage('render-image', (dir) => {
        replaceOnce(join(dir, CONFIG_PATH), `licenseIDFromEnv: ${LICENSE_ENV}`, `licenseID: ${LICENSE_ID}`);
      });
      result = await kpt(['fn', 'render', pkg.dir, '--results-dir', pkg.resultsDir], envWith(docker.env()));
      calls = docker.calls();
    });

    it('runs docker exactly as kpt runs a container function (no network, user nobody, no env)', function () {
      assertSucceeded(result);
      assert.deepEqual(calls, [DOCKER_VERSION, dockerRun()]);
    });

    it('changes only examples/kpt and adds the Secret file: examples/kpt/.expected/diff.patch', async function () {
      assertSucceeded(result);
      const diff = await diffSinceCommit(pkg.dir);
      assert.deepEqual(changedFiles(diff), CHANGED_FILES);
      assertMatchesFile(diff, join(EXAMPLE_EXPECTED, 'diff.patch'));
      assertSecretFor(pkg.dir, LICENSE_ID);
    });

    it('reports examples/kpt/.expected/results.yaml', function () {
      assertSucceeded(result);
      assertMatchesFile(readResults(pkg.resultsDir, pkg.dir), join(EXAMPLE_EXPECTED, 'results.yaml'));
    });

    it('changes nothing when rendered again', async function () {
      assertSucceeded(result);
      const first = await diffSinceCommit(pkg.dir);
      assertSucceeded(await kpt(['fn', 'render', pkg.dir], envWith(docker.env())));
      assert.equal(await diffSinceCommit(pkg.dir), first);
    });
  });

  describe('kpt fn eval --image --fn-config examples/kpt/registry-proxy.yaml --env REGISTRY_PROXY_LICENSE_ID', function () {
    let pkg: PackageCopy;
    let result: RunResult;
    let calls: string[][];
    const evalArgs = (dir: string, extra: readonly string[] = []) => ['fn', 'eval', dir, '--image', IMAGE, '--fn-config', join(dir, CONFIG_PATH), '--env', LICENSE_ENV, ...extra];
    before(async function () {
      pkg = await copyRepositoryPackage('eval-image');
      result = await kpt(evalArgs(pkg.dir, ['--results-dir', pkg.resultsDir]), envWith({ ...docker.env(), [LICENSE_ENV]: LICENSE_ID }));
      calls = docker.calls();
    });

    it('passes the license to the container as -e NAME, and nothing else', function () {
      assertSucceeded(result);
      assert.deepEqual(calls, [DOCKER_VERSION, dockerRun(['-e', LICENSE_ENV])]);
      assert.ok(!output(result).includes(LICENSE_ID), 'the license ID is in kpt output');
    });

    it('gives the same diff (examples/kpt/.expected/diff.patch) and results', async function () {
      assertSucceeded(result);
      const diff = await diffSinceCommit(pkg.dir);
      assert.deepEqual(changedFiles(diff), CHANGED_FILES);
      assertMatchesFile(diff, join(EXAMPLE_EXPECTED, 'diff.patch'));
      assertMatchesFile(readResults(pkg.resultsDir, pkg.dir), join(EXAMPLE_EXPECTED, 'results.yaml'));
    });

    it('changes nothing when run again', async function () {
      assertSucceeded(result);
      const first = await diffSinceCommit(pkg.dir);
      assertSucceeded(await kpt(evalArgs(pkg.dir), envWith({ ...docker.env(), [LICENSE_ENV]: LICENSE_ID })));
      assert.equal(await diffSinceCommit(pkg.dir), first);
    });
  });

  describe('kpt fn render --allow-exec (a copy of the Kptfile whose entry is exec: the bundle)', function () {
    let pkg: PackageCopy;
    let result: RunResult;
    before(async function () {
      pkg = await copyRepositoryPackage('render-exec', (dir) => {
        replaceOnce(join(dir, 'Kptfile'), `- image: ${IMAGE}\n`, `- exec: ${EXEC}\n`);
      });
      result = await kpt(['fn', 'render', pkg.dir, '--allow-exec'], envWith({ [LICENSE_ENV]: LICENSE_ID }));
    });

    it('gives the same diff: examples/kpt/.expected/diff.patch (the exec function inherits the license)', async function () {
      assertSucceeded(result);
      const diff = await diffSinceCommit(pkg.dir);
      assert.deepEqual(changedFiles(diff), CHANGED_FILES);
      assertMatchesFile(diff, join(EXAMPLE_EXPECTED, 'diff.patch'));
      assert.ok(!output(result).includes(LICENSE_ID), 'the license ID is in kpt output');
    });

    it('changes nothing when rendered again', async function () {
      assertSucceeded(result);
      const first = await diffSinceCommit(pkg.dir);
      assertSucceeded(await kpt(['fn', 'render', pkg.dir, '--allow-exec'], envWith({ [LICENSE_ENV]: LICENSE_ID })));
      assert.equal(await diffSinceCommit(pkg.dir), first);
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// The golden cases

interface CaseConfig {
  fnConfig: string;
  image?: string;
  env: Record<string, string>;
  args: Record<string, string>;
  exitCode: number;
  stdErr: string;
}

const CONFIG_KEYS = new Set(['testType', 'fnConfig', 'image', 'env', 'args', 'exitCode', 'stdErr']);

function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined) return {};
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${what} must be a map`);
  const entries = Object.entries(value);
  for (const [key, entry] of entries) assert.equal(typeof entry, 'string', `${what}.${key} must be a string`);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** `.expected/config.yaml`, checked: an unknown or mistyped field fails the case rather than being ignored. */
function readCaseConfig(caseDir: string): CaseConfig {
  const path = join(caseDir, '.expected', 'config.yaml');
  const raw: unknown = parse(readFileSync(path, 'utf8'));
  assert.ok(typeof raw === 'object' && raw !== null && !Array.isArray(raw), `${path}: not a map`);
  const fields = raw as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !CONFIG_KEYS.has(key));
  assert.deepEqual(unknown, [], `${path}: unknown fields (accepted: ${[...CONFIG_KEYS].join(', ')})`);
  assert.equal(fields['testType'], 'eval', `${path}: testType must be eval`);
  const fnConfig = fields['fnConfig'];
  assert.ok(typeof fnConfig === 'string' && fnConfig !== '', `${path}: fnConfig is required`);
  const image = fields['image'];
  assert.ok(image === undefined || image === IMAGE, `${path}: image must be ${IMAGE} (the stand-in docker runs nothing else)`);
  const exitCode = fields['exitCode'] ?? 0;
  assert.ok(Number.isInteger(exitCode), `${path}: exitCode must be an integer`);
  const stdErr = fields['stdErr'] ?? '';
  assert.equal(typeof stdErr, 'string', `${path}: stdErr must be a string`);
  const env = stringMap(fields['env'], 'env');
  assert.ok(image === undefined || Object.keys(env).length === 0, `${path}: env reaches no container function`);
  return {
    fnConfig,
    ...(image !== undefined ? { image } : {}),
    env,
    args: stringMap(fields['args'], 'args'),
    exitCode: exitCode as number,
    stdErr: stdErr as string,
  };
}

function findCases(): string[] {
  if (!existsSync(CASES)) return [];
  return readdirSync(CASES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(CASES, entry.name, '.expected')))
    .map((entry) => entry.name)
    .sort();
}

describe('kpt catalog: golden cases (examples/kpt/cases)', function () {
  const cases = findCases();
  let docker: Docker;
  before(async function () {
    findKpt();
    await buildFunctionOnce();
    docker = installDocker();
  });
  after(removeTempDirs);

  it('finds cases', function () {
    assert.ok(cases.length > 0, `no case in ${relative(REPO_ROOT, CASES)}: zero cases is a failure`);
  });

  for (const name of cases) {
    describe(name, function () {
      const caseDir = join(CASES, name);
      let config: CaseConfig;
      let dir: string;
      const runs: RunResult[] = [];
      const diffs: string[] = [];
      let results = '';

      async function evalCase(resultsDir: string): Promise<RunResult> {
        const args = ['fn', 'eval', dir, ...(config.image !== undefined ? ['--image', config.image] : ['--exec', EXEC])];
        args.push('--fn-config', join(dir, '.expected', config.fnConfig), '--results-dir', resultsDir, '--truncate-output=false');
        const fnArgs = Object.entries(config.args).sort(([a], [b]) => a.localeCompare(b));
        if (fnArgs.length > 0) args.push('--', ...fnArgs.map(([key, value]) => `${key}=${value}`));
        const env = config.image !== undefined ? envWith(docker.env()) : envWith(config.env);
        return kpt(args, env);
      }

      before(async function () {
        config = readCaseConfig(caseDir);
        const root = makeTempDir(`case-${name}`);
        dir = join(root, name);
        cpSync(caseDir, dir, { recursive: true });
        await commitAll(dir);
        for (const count of [1, 2]) {
          const resultsDir = join(root, `results-${count}`);
          runs.push(await evalCase(resultsDir));
          diffs.push(await diffSinceCommit(dir));
          if (count === 1 && existsSync(join(resultsDir, 'results.yaml'))) results = readResults(resultsDir, dir);
        }
      });

      it('is a kpt package whose .krmignore lists .expected, with no pipeline of its own', function () {
        const kptfile = parse(readFileSync(join(caseDir, 'Kptfile'), 'utf8')) as Kptfile;
        assert.equal(kptfile.apiVersion, 'kpt.dev/v1');
        assert.equal(kptfile.kind, 'Kptfile');
        assert.equal(kptfile.metadata?.name, name);
        // kpt fn render of the repository renders every subpackage's pipeline: a case must not have one.
        assert.equal(kptfile.pipeline, undefined);
        assert.ok(readFileSync(join(caseDir, '.krmignore'), 'utf8').split('\n').includes('.expected'));
      });

      it('exits as .expected/config.yaml says, with its stdErr', function () {
        const first = runs[0];
        assert.ok(first !== undefined);
        assert.equal(first.exitCode, config.exitCode, `kpt output:\n${output(first)}`);
        assert.ok(first.stderr.includes(config.stdErr), `kpt stderr lacks ${JSON.stringify(config.stdErr)}:\n${first.stderr}`);
        if (config.image !== undefined) assert.deepEqual(docker.calls().slice(0, 2), [DOCKER_VERSION, dockerRun()]);
      });

      it('changes the package as .expected/diff.patch', function () {
        assertMatchesFile(diffs[0] ?? '', join(caseDir, '.expected', 'diff.patch'));
      });

      it('reports .expected/results.yaml', function () {
        assertMatchesFile(results, join(caseDir, '.expected', 'results.yaml'));
      });

      it('changes nothing when run a second time', function () {
        assert.equal(runs[1]?.exitCode, config.exitCode, `second run:\n${runs[1] ? output(runs[1]) : ''}`);
        assert.equal(diffs[1], diffs[0]);
      });
    });
  }
});
