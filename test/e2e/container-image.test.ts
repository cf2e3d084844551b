// The image itself, built from the unchanged Dockerfile (scripts/container/build-image.sh) and run by a
// real container runtime (podman): under `kpt fn eval --image` and `kpt fn render` (KPT_FN_RUNTIME=podman),
// under `kubectl kustomize --enable-alpha-plugins` through podman-docker's `docker`, under the
// orchestrators' own flags on a read-only root, and stopped by signals. Where the base images are local
// stand-ins (no Docker Hub here), every test run says so and how they differ (test/e2e/podman.ts).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { formatInterrupted } from '../../fn/signals.js';
import { baseImages, ORCHESTRATOR_FLAGS, PODMAN, podman, requireImage } from './podman.js';
import { readImageNodeVersion } from '../container/runtime-node.js';
import {
  assertMatchesExpected,
  buildFunctionOnce,
  copyFixture,
  diffDirs,
  findKpt,
  findKubectl,
  FUNCTION_PATH,
  makeTempDir,
  removeTempDirs,
  REPO_ROOT,
  run,
  SMOKE,
  type RunResult,
  startSilentServer,
  type SilentServer,
} from './support.js';

const LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';
/** The license the committed expectations were made with (kpt.test.ts, kustomize.test.ts). */
const KPT_LICENSE_ID = 'e2e-kpt-license-7f3a9c2b41d8';
const KUSTOMIZE_LICENSE_ID = 'e2e-kustomize-license-5c1d0e9a';
const PUBLISHED_IMAGE = 'ghcr.io/registry-proxy/registry-proxy:v0.1.0';
/** The shim podman-docker installs: `docker` that runs podman. */
const PODMAN_DOCKER_SHIM = '/usr/bin/docker';
const OFFLINE_LIMIT_MS = 5_000;
const SIGNAL_LIMIT_MS = 3_000;

interface ResultItem {
  message?: string;
  severity?: string;
}

/** This process's environment without any license, plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[LICENSE_ENV];
  return { ...env, KPT_FN_RUNTIME: 'podman', ...extra };
}

function assertSucceeded(result: RunResult): void {
  assert.equal(result.exitCode, 0, `failed (exit ${result.exitCode}):\n${result.stdout}${result.stderr}`);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `<root>/original` and `<root>/rendered`: two copies of the kpt package; kpt works on `rendered`. */
function preparePackage(name: string, edit?: (original: string) => void): { root: string; rendered: string } {
  const root = makeTempDir(name);
  const original = copyFixture('kpt/package', join(root, 'original'));
  edit?.(original);
  const rendered = join(root, 'rendered');
  cpSync(original, rendered, { recursive: true });
  return { root, rendered };
}

describe('the container image, run by podman', function () {
  let image: string;

  before(async function () {
    image = (await requireImage(this)).image;
    await buildFunctionOnce();
  });
  after(removeTempDirs);

  describe('what is inside', function () {
    interface ImageConfig {
      Config: { User?: string; Entrypoint?: string[] | null; Cmd?: string[] | null; Labels?: Record<string, string> };
    }
    let config: ImageConfig['Config'];
    before(async function () {
      const inspect = await podman(['image', 'inspect', image]);
      assertSucceeded(inspect);
      config = (JSON.parse(inspect.stdout) as ImageConfig[])[0]?.Config ?? {};
    });

    it('runs as 65534:65534, node as PID 1 in exec form on the bundle, no CMD', function () {
      assert.equal(config.User, '65534:65534');
      assert.deepEqual(config.Entrypoint, ['node', '/app/registry-proxy.cjs']);
      assert.ok(config.Cmd === null || config.Cmd === undefined || config.Cmd.length === 0, `CMD ${JSON.stringify(config.Cmd)}`);
    });

    it("compiles the bundle with the code cache its build stage made (REGISTRY_PROXY_DEBUG)", async function () {
      const result = await podman(['run', '--rm', ...ORCHESTRATOR_FLAGS, '-e', 'REGISTRY_PROXY_DEBUG=1', image, '--help']);
      assertSucceeded(result);
      assert.match(result.stderr, /^registry-proxy: debug: code cache accepted\n/);
    });

    it('has the OCI labels, the version from package.json and the revision from git', async function () {
      const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
      const head = await run('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT });
      const labels = config.Labels ?? {};
      assert.equal(labels['org.opencontainers.image.version'], version);
      assert.equal(labels['org.opencontainers.image.revision'], head.stdout.trim());
      for (const key of ['title', 'description', 'source', 'licenses']) assert.ok((labels[`org.opencontainers.image.${key}`] ?? '') !== '', `no ${key} label`);
    });

    it('adds to its base exactly the files of dist/ in /app, byte-identical to npm run build\'s but the code cache made by its own Node, root-owned, mode 644', async function () {
      const runtimeBase = baseImages().at(-1) ?? '';
      const mounted = await podman(['image', 'mount', image]);
      const baseMounted = await podman(['image', 'mount', runtimeBase]);
      try {
        assertSucceeded(mounted);
        assertSucceeded(baseMounted);
        const root = mounted.stdout.trim();
        const baseRoot = baseMounted.stdout.trim();
        const added = listTree(root).filter((path) => !existsIn(baseRoot, path));
        // The code cache is the one the image's build stage made with its own Node (scripts/bundle.mjs).
        const cache = `registry-proxy.v${readImageNodeVersion()}-${process.arch}.code-cache`;
        const shipped = ['registry-proxy.bundle.js', 'registry-proxy.cjs', 'registry-proxy.probe.cjs', cache];
        assert.deepEqual(added, ['app', ...shipped.map((name) => `app/${name}`)]);
        for (const name of shipped.filter((file) => file !== cache)) {
          assert.equal(sha256(readFileSync(join(root, 'app', name))), sha256(readFileSync(join(dirname(FUNCTION_PATH), name))), `the image ships another ${name} than dist/'s`);
        }
        for (const name of shipped) {
          const stat = statSync(join(root, 'app', name));
          assert.deepEqual([stat.uid, stat.gid, stat.mode & 0o777], [0, 0, 0o644], name);
        }
      } finally {
        await podman(['image', 'unmount', image]);
        await podman(['image', 'unmount', runtimeBase]);
      }
    });
  });

  describe('kpt fn eval --image (KPT_FN_RUNTIME=podman) on a package with comments', function () {
    for (const [how, envFlag, kptEnv] of [
      ['--env NAME (the license in kpt\'s environment)', LICENSE_ENV, { [LICENSE_ENV]: KPT_LICENSE_ID }],
      ['--env NAME=VALUE', `${LICENSE_ENV}=${KPT_LICENSE_ID}`, {}],
    ] as const) {
      it(`${how}: exactly the expected diff on disk`, async function () {
        const pkg = preparePackage('image-eval');
        const result = await run(findKpt(), ['fn', 'eval', pkg.rendered, '--image', image, '--fn-config', join(SMOKE, 'kpt', 'registry-proxy.yaml'), '--env', envFlag], { env: envWith(kptEnv) });
        assertSucceeded(result);
        assertMatchesExpected(await diffDirs(pkg.root, 'original', 'rendered'), 'kpt/expected.diff');
      });
    }
  });

  describe('kpt fn render with a Kptfile image: entry', function () {
    /** The package with a pipeline running the image on `config` (render passes a container no environment). */
    function withPipeline(config: string): (original: string) => void {
      return (original) => {
        writeFileSync(join(original, 'registry-proxy.yaml'), config);
        const kptfile = readFileSync(join(original, 'Kptfile'), 'utf8');
        writeFileSync(join(original, 'Kptfile'), `${kptfile}pipeline:\n  mutators:\n  - image: ${image}\n    configPath: registry-proxy.yaml\n`);
      };
    }
    const fnConfig = readFileSync(join(SMOKE, 'kpt', 'registry-proxy.yaml'), 'utf8');

    it('with licenseID in the functionConfig: exactly the expected diff on disk', async function () {
      const config = fnConfig.replace(`licenseIDFromEnv: ${LICENSE_ENV}`, `licenseID: ${KPT_LICENSE_ID}`);
      assert.notEqual(config, fnConfig);
      const pkg = preparePackage('image-render', withPipeline(config));
      const result = await run(findKpt(), ['fn', 'render', pkg.rendered], { env: envWith({}) });
      assertSucceeded(result);
      assertMatchesExpected(await diffDirs(pkg.root, 'original', 'rendered'), 'kpt/expected.diff');
    });

    it('with licenseIDFromEnv: fails, saying render passes no environment and what to do instead; the license stays out', async function () {
      const pkg = preparePackage('image-render-env', withPipeline(fnConfig));
      const result = await run(findKpt(), ['fn', 'render', pkg.rendered], { env: envWith({ [LICENSE_ENV]: KPT_LICENSE_ID }) });
      assert.notEqual(result.exitCode, 0);
      const output = `${result.stdout}${result.stderr}`;
      assert.match(output, new RegExp(`environment variable ${LICENSE_ENV} is not set or empty in the function's container`));
      assert.match(output, /kpt fn render passes no environment to a container function/);
      assert.match(output, /licenseID in the functionConfig/);
      assert.match(output, new RegExp(`kpt fn eval --env ${LICENSE_ENV}`));
      assert.ok(!output.includes(KPT_LICENSE_ID));
      assert.equal(await diffDirs(pkg.root, 'original', 'rendered'), '', 'a failed render changed files');
    });
  });

  it('kubectl kustomize --enable-alpha-plugins: the transformer\'s image with envs:, through podman-docker\'s docker, gives exactly the expected output', async function () {
    const dir = copyFixture('kustomize/package', join(makeTempDir('image-kustomize'), 'kustomize'));
    const configPath = join(dir, 'registry-proxy.yaml');
    const config = readFileSync(configPath, 'utf8');
    assert.ok(config.includes(`image: ${PUBLISHED_IMAGE}\n        envs:\n        - ${LICENSE_ENV}\n`), 'the fixture no longer names the image with envs:');
    writeFileSync(configPath, config.replace(PUBLISHED_IMAGE, image));
    // kustomize runs whatever `docker` comes first on PATH; this machine's /usr/local/bin/docker is a CLI
    // with no daemon, so the shim goes first.
    const binDir = makeTempDir('shim-bin');
    symlinkSync(PODMAN_DOCKER_SHIM, join(binDir, 'docker'));
    const env = envWith({ PATH: `${binDir}${delimiter}${process.env['PATH'] ?? ''}`, [LICENSE_ENV]: KUSTOMIZE_LICENSE_ID });
    const result = await run(findKubectl(), ['kustomize', '--enable-alpha-plugins', dir], { env });
    assertSucceeded(result);
    assert.equal(result.stderr, '');
    assertMatchesExpected(result.stdout, 'kustomize/expected.yaml');
  });

  describe("under the orchestrators' flags (--network none --user nobody --security-opt=no-new-privileges)", function () {
    it(`on a read-only root (no tmpfs either): an undecided image gives the "no network" warning in under ${OFFLINE_LIMIT_MS / 1000} s`, async function () {
      const started = performance.now();
      const result = await podman(['run', '--rm', '-i', ...ORCHESTRATOR_FLAGS, '--read-only', '--read-only-tmpfs=false', '-e', `${LICENSE_ENV}=${KPT_LICENSE_ID}`, image], { input: OFFLINE_INPUT });
      const elapsed = performance.now() - started;
      assertSucceeded(result);
      assert.ok(elapsed < OFFLINE_LIMIT_MS, `took ${Math.round(elapsed)} ms: the probe waited for a network that is not there`);
      const results = (parse(result.stdout) as { results?: ResultItem[] }).results ?? [];
      assert.ok(results.some((entry) => entry.severity === 'warning' && entry.message?.startsWith('no network') === true), JSON.stringify(results, null, 2));
      assert.ok(!result.stderr.includes(KPT_LICENSE_ID) && !JSON.stringify(results).includes(KPT_LICENSE_ID));
    });

    it('on a writable root: changes no file in the container beyond what podman itself does (podman diff)', async function () {
      /** `podman diff` of a container run with the orchestrators' flags, `extra` before the image. */
      async function diffOf(label: string, extra: readonly string[], args: readonly string[]): Promise<string> {
        const name = `registry-proxy-e2e-diff-${label}-${process.pid}`;
        try {
          const result = await podman(['run', '-i', '--name', name, ...ORCHESTRATOR_FLAGS, ...extra, image, ...args], { input: OFFLINE_INPUT });
          assertSucceeded(result);
          const diff = await podman(['diff', name]);
          assertSucceeded(diff);
          return diff.stdout;
        } finally {
          await podman(['rm', '--force', name]);
        }
      }
      // podman prepares /etc (hosts, resolv.conf) in every container: a container that runs nothing shows it too.
      const baseline = await diffOf('baseline', ['--entrypoint', 'node'], ['-e', '0']);
      assert.equal(await diffOf('function', ['-e', `${LICENSE_ENV}=${KPT_LICENSE_ID}`], []), baseline, 'the function wrote into its container');
    });
  });

  describe('signals to the container (PID 1): the run ends at once, exit 128+n, one line, no output', function () {
    let silent: SilentServer;

    before(async function () {
      // An HTTPS proxy that accepts and never answers: the probe stays busy until it is stopped. (A registry
      // on loopback would need a port, and an image whose registry has a port is never probed.)
      silent = await startSilentServer();
    });
    after(function () {
      silent?.close();
    });

    /** `podman run` of the image, with `--network host` so that it reaches the loopback registry. */
    function startContainer(name: string, input: string | undefined) {
      const proxy = ['-e', `HTTPS_PROXY=http://127.0.0.1:${silent.port}`];
      const child = spawn(PODMAN, ['run', '--rm', '-i', '--name', name, '--network', 'host', '--user', 'nobody', '--security-opt=no-new-privileges', '-e', `${LICENSE_ENV}=${KPT_LICENSE_ID}`, ...proxy, image], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out = { stdout: '', stderr: '' };
      child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString('utf8')));
      child.stdin.on('error', () => {});
      if (input !== undefined) child.stdin.end(input);
      const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Bounded: a container that ignores the signal fails the test instead of hanging it (rm --force ends it).
      const exited = Promise.race([closed, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), SIGNAL_LIMIT_MS + 5_000))]);
      return { out, exited, child };
    }

    async function waitForRunning(name: string): Promise<void> {
      for (let attempt = 0; attempt < 200; attempt++) {
        const state = await podman(['inspect', '--format', '{{.State.Running}}', name]);
        if (state.stdout.trim() === 'true') return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.fail(`container ${name} never ran`);
    }

    for (const [signal, code] of [['TERM', 143], ['INT', 130]] as const) {
      it(`podman kill --signal ${signal} mid-probe (a proxy that never answers): exit ${code} in under ${SIGNAL_LIMIT_MS / 1000} s`, async function () {
        const name = `registry-proxy-e2e-sig${signal}-${process.pid}`;
        const probed = silent.nextConnection();
        const container = startContainer(name, probeInput());
        try {
          await probed;
          const killed = performance.now();
          await podman(['kill', '--signal', signal, name]);
          const exitCode = await container.exited;
          const elapsed = performance.now() - killed;
          assert.equal(exitCode, code, container.out.stderr);
          assert.ok(elapsed < SIGNAL_LIMIT_MS, `ended ${Math.round(elapsed)} ms after SIG${signal}`);
          assert.equal(container.out.stdout, '');
          assert.equal(container.out.stderr, formatInterrupted(`SIG${signal}`));
        } finally {
          await podman(['rm', '--force', name]);
        }
      });
    }

    it('podman kill --signal TERM while it waits for stdin: exit 143, no "cannot read stdin (EINTR)"', async function () {
      const name = `registry-proxy-e2e-sigstdin-${process.pid}`;
      const container = startContainer(name, undefined);
      try {
        await waitForRunning(name);
        await new Promise((resolve) => setTimeout(resolve, 300)); // node is up and reading
        await podman(['kill', '--signal', 'TERM', name]);
        assert.equal(await container.exited, 143, container.out.stderr);
        assert.equal(container.out.stdout, '');
        assert.equal(container.out.stderr, formatInterrupted('SIGTERM'));
      } finally {
        container.child.stdin.destroy();
        await podman(['rm', '--force', name]);
      }
    });
  });
});

/** Paths under `root` (relative, sorted), directories included; links are listed, not followed. */
function listTree(root: string): string[] {
  const paths: string[] = [];
  const walk = (relativeDir: string): void => {
    for (const entry of readdirSync(join(root, relativeDir), { withFileTypes: true })) {
      const path = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      paths.push(path);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk('');
  return paths.sort();
}

/** Whether `path` exists under `root` as an entry of its own (a link is not followed: it points into the image). */
function existsIn(root: string, path: string): boolean {
  try {
    lstatSync(join(root, path));
    return true;
  } catch {
    return false;
  }
}

function resourceList(image: string, probe: string): string {
  return `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: x
    namespace: ns
  spec:
    selector:
      matchLabels: {app: x}
    template:
      metadata:
        labels: {app: x}
      spec:
        containers:
        - name: x
          image: ${image}
functionConfig:
  apiVersion: fn.registry-proxy.dev/v1alpha1
  kind: RegistryProxy
  metadata:
    name: registry-proxy
  spec:
    appSlug: my-app
    licenseIDFromEnv: ${LICENSE_ENV}
    probe: ${probe}
`;
}

// One image no rule or known image decides, so the probe must run; its own timeout (10 s) is longer than
// the limit: only the up-front offline check makes the run fast.
const OFFLINE_INPUT = resourceList('ghcr.io/o/x:1', '{timeoutSeconds: 10}');

/** An image probed through the proxy that never answers, with long timeouts. */
function probeInput(): string {
  return resourceList('quay.io/o/x:1', '{timeoutSeconds: 60, deadlineSeconds: 120}');
}
