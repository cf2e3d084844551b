// `kubectl kustomize --enable-alpha-plugins` runs the function as a container transformer; a stand-in
// `docker` first on PATH (docker-standin.ts) records kustomize's `docker run` arguments and runs the
// bundled function in their place. kustomize drops comments and sorts keys before the function runs, so
// the whole output is compared.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  assertMatchesExpected,
  buildFunctionOnce,
  copyFixture,
  DOCKER_STANDIN_PATH,
  expectedDockerConfigJson,
  findKubectl,
  FUNCTION_PATH,
  makeTempDir,
  removeTempDirs,
  run,
  shellQuote,
  type RunResult,
} from './support.js';

const IMAGE = 'ghcr.io/registry-proxy/registry-proxy:v0.1.0';
const LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';
const LICENSE_ID = 'e2e-kustomize-license-5c1d0e9a';
const INVALID_ENUM = 'must be one of "private", "public", "error"';

/** What kustomize v5.5 passes to `docker`, with `--network <network>`. */
function dockerArgv(network: 'none' | 'host'): string[] {
  return [
    'run',
    '--rm',
    '-i',
    '-a',
    'STDIN',
    '-a',
    'STDOUT',
    '-a',
    'STDERR',
    '--network',
    network,
    '--user',
    'nobody',
    '--security-opt=no-new-privileges',
    '-e',
    'LOG_TO_STDERR=true',
    '-e',
    'STRUCTURED_RESULTS=true',
    '-e',
    LICENSE_ENV,
    IMAGE,
  ];
}

interface KustomizeRun {
  result: RunResult;
  /** The argv of every `docker` call, in order. */
  dockerCalls: string[][];
}

describe('kubectl kustomize --enable-alpha-plugins (container function, stand-in docker)', function () {
  let binDir: string;

  before(async function () {
    findKubectl();
    await buildFunctionOnce();
    binDir = makeTempDir('docker-bin');
    const docker = join(binDir, 'docker');
    writeFileSync(docker, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(DOCKER_STANDIN_PATH)} "$@"\n`);
    chmodSync(docker, 0o755);
  });
  after(removeTempDirs);

  /** A copy of test/smoke/kustomize/package with `edit` applied to its functionConfig file. */
  function prepare(name: string, edit?: (config: string) => string): string {
    const dir = copyFixture('kustomize/package', join(makeTempDir(name), 'kustomize'));
    if (edit) {
      const configPath = join(dir, 'registry-proxy.yaml');
      const config = readFileSync(configPath, 'utf8');
      const edited = edit(config);
      assert.notEqual(edited, config, 'the edit changed nothing');
      writeFileSync(configPath, edited);
    }
    return dir;
  }

  async function kustomize(dir: string, flags: readonly string[] = [], licenseID: string | null = LICENSE_ID): Promise<KustomizeRun> {
    const log = join(makeTempDir('docker-log'), 'argv.jsonl');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${binDir}${delimiter}${process.env['PATH'] ?? ''}`,
      E2E_DOCKER_LOG: log,
      E2E_DOCKER_FUNCTION: FUNCTION_PATH,
      E2E_DOCKER_IMAGE: IMAGE,
    };
    delete env[LICENSE_ENV];
    if (licenseID !== null) env[LICENSE_ENV] = licenseID;
    const result = await run(findKubectl(), ['kustomize', '--enable-alpha-plugins', ...flags, dir], { env });
    const dockerCalls = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as string[])
      : [];
    return { result, dockerCalls };
  }

  function assertBuilt({ result }: KustomizeRun): void {
    assert.equal(result.exitCode, 0, `kustomize failed:\n${result.stderr}`);
  }

  describe('a valid functionConfig', function () {
    let build: KustomizeRun;
    before(async function () {
      build = await kustomize(prepare('valid'));
    });

    it('calls docker once, exactly as kustomize runs a container function without network', function () {
      assert.deepEqual(build.dockerCalls, [dockerArgv('none')], build.result.stderr);
    });

    it('builds exactly the expected output', function () {
      assertBuilt(build);
      assert.equal(build.result.stderr, '');
      assertMatchesExpected(build.result.stdout, 'kustomize/expected.yaml');
    });

    it('outputs the pull Secret with the license-derived .dockerconfigjson', function () {
      assertBuilt(build);
      const objects = parseAllDocuments(build.result.stdout).map((doc) => doc.toJS() as Record<string, unknown>);
      const secrets = objects.filter((object) => object['kind'] === 'Secret');
      const data = Buffer.from(expectedDockerConfigJson(LICENSE_ID), 'utf8').toString('base64');
      assert.deepEqual(secrets, [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'my-app-registry',
            namespace: 'my-app',
            annotations: { 'kots.io/creation-phase': '-9999', 'registry-proxy.dev/generated-by': 'registry-proxy' },
          },
          type: 'kubernetes.io/dockerconfigjson',
          data: { '.dockerconfigjson': data },
        },
      ]);
      const auth = Buffer.from(`LICENSE_ID:${LICENSE_ID}`).toString('base64');
      assert.equal(
        Buffer.from(data, 'base64').toString('utf8'),
        `{"auths":{"proxy.replicated.com":{"auth":"${auth}"},"registry.replicated.com":{"auth":"${auth}"}}}`,
      );
    });

    it('keeps the license ID out of the output except inside the Secret data', function () {
      assertBuilt(build);
      assert.ok(!build.result.stdout.includes(LICENSE_ID), 'the license ID is in the output');
      assert.ok(!build.result.stderr.includes(LICENSE_ID), 'the license ID is on stderr');
      assert.ok(!build.result.stdout.includes(Buffer.from(`LICENSE_ID:${LICENSE_ID}`).toString('base64')), 'the unencoded auth entry is in the output');
    });
  });

  it('reads the license only from the envs the annotation names (the container gets nothing else)', async function () {
    const build = await kustomize(prepare('no-license'), [], null);
    assert.notEqual(build.result.exitCode, 0, 'kustomize succeeded without a license');
    assert.equal(build.result.stdout, '');
    assert.ok(
      build.result.stderr.includes(`spec.licenseIDFromEnv: environment variable ${LICENSE_ENV} is not set or empty`),
      `stderr:\n${build.result.stderr}`,
    );
    assert.deepEqual(build.dockerCalls, [dockerArgv('none')]);
  });

  describe('an invalid functionConfig (unknownImages: maybe)', function () {
    let build: KustomizeRun;
    before(async function () {
      build = await kustomize(prepare('invalid', (config) => config.replace('unknownImages: error', 'unknownImages: maybe')));
    });

    it('fails the build with the field path and the problem on stderr', function () {
      assert.notEqual(build.result.exitCode, 0, 'kustomize succeeded');
      assert.equal(build.result.stdout, '');
      assert.ok(build.result.stderr.includes('spec.unknownImages'), `stderr:\n${build.result.stderr}`);
      assert.ok(build.result.stderr.includes(INVALID_ENUM), `stderr:\n${build.result.stderr}`);
      assert.ok(!build.result.stderr.includes(LICENSE_ID), 'the license ID is on stderr');
    });

    it('prints one readable line naming the field path once', function () {
      const lines = build.result.stderr.split('\n').filter((line) => line.startsWith('registry-proxy:'));
      assert.deepEqual(lines, [`registry-proxy: error: spec.unknownImages: ${INVALID_ENUM}`]);
    });
  });

  describe('network', function () {
    const withNetwork = (config: string): string => config.replace(`image: ${IMAGE}\n`, `image: ${IMAGE}\n        network: true\n`);

    it('network: true in the annotation and the --network flag give --network host', async function () {
      const build = await kustomize(prepare('network', withNetwork), ['--network']);
      assertBuilt(build);
      assert.deepEqual(build.dockerCalls, [dockerArgv('host')]);
      assertMatchesExpected(build.result.stdout, 'kustomize/expected.yaml');
    });

    it('the --network flag alone keeps --network none', async function () {
      const build = await kustomize(prepare('network-flag-only'), ['--network']);
      assertBuilt(build);
      assert.deepEqual(build.dockerCalls, [dockerArgv('none')]);
    });

    it('network: true without the --network flag fails the build before docker runs', async function () {
      const build = await kustomize(prepare('network-not-allowed', withNetwork));
      assert.notEqual(build.result.exitCode, 0, 'kustomize succeeded');
      assert.match(build.result.stderr, /network required but not enabled with --network/);
      assert.deepEqual(build.dockerCalls, []);
    });
  });
});
