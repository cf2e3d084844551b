// A comment after a file's last object, under the real kpt: kpt sends it as the last lines of that
// object's item. The first run must leave it where it was, exactly once (not in the pull Secret's file,
// not twice), and a second run must change nothing; with `kpt fn eval --exec` and `kpt fn render`.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFunctionOnce, diffDirs, expectedDockerConfigJson, findKpt, FUNCTION_PATH, makeTempDir, removeTempDirs, run, type RunResult } from './support.js';

const LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';
const LICENSE_ID = 'e2e-trailing-comment-license-5d1c';
const EXEC = `${process.execPath} ${FUNCTION_PATH}`;

const OPERATOR = `# The operator, as a release ships it.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: operator
  namespace: operators
spec:
  template:
    spec:
      containers:
        - name: manager
          image: quay.io/acme/operator:1.4.0 # the manager
# END OF OPERATOR
#   (a second line)
`;

// Sorts after the Secrets file, so the operator's comment also sits between two items on the second run.
const SETTINGS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: operators
data:
  mode: fast
# end of settings
`;

const CONFIG = `apiVersion: fn.registry-proxy.dev/v1alpha1
kind: RegistryProxy
metadata:
  name: registry-proxy
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  appSlug: my-app
  licenseIDFromEnv: ${LICENSE_ENV}
  rules:
  - match: quay.io/acme/**
    private: true
  unknownImages: error
  probe: {enabled: false}
`;

function expectedDiff(): string {
  const data = Buffer.from(expectedDockerConfigJson(LICENSE_ID), 'utf8').toString('base64');
  return [
    'diff -ruN original/operator.yaml rendered/operator.yaml',
    '--- original/operator.yaml',
    '+++ rendered/operator.yaml',
    '@@ -9,6 +9,8 @@',
    '     spec:',
    '       containers:',
    '         - name: manager',
    '-          image: quay.io/acme/operator:1.4.0 # the manager',
    '+          image: proxy.replicated.com/proxy/my-app/quay.io/acme/operator:1.4.0 # the manager',
    '+      imagePullSecrets:',
    '+        - name: my-app-registry',
    ' # END OF OPERATOR',
    ' #   (a second line)',
    'diff -ruN original/registry-proxy-pull-secrets.yaml rendered/registry-proxy-pull-secrets.yaml',
    '--- original/registry-proxy-pull-secrets.yaml',
    '+++ rendered/registry-proxy-pull-secrets.yaml',
    '@@ -0,0 +1,11 @@',
    '+apiVersion: v1',
    '+kind: Secret',
    '+metadata:',
    '+  name: my-app-registry',
    '+  namespace: operators',
    '+  annotations:',
    '+    kots.io/creation-phase: "-9999"',
    '+    registry-proxy.dev/generated-by: registry-proxy',
    '+type: kubernetes.io/dockerconfigjson',
    '+data:',
    `+  .dockerconfigjson: ${data}`,
    '',
  ].join('\n');
}

function kpt(args: readonly string[]): Promise<RunResult> {
  return run(findKpt(), args, { env: { ...process.env, [LICENSE_ENV]: LICENSE_ID } });
}

function assertSucceeded(result: RunResult): void {
  assert.equal(result.exitCode, 0, `kpt failed:\n${result.stdout}${result.stderr}`);
}

/** `<root>/original` and `<root>/rendered` with the package; `extra` files go into both. */
function preparePackage(name: string, extra: Record<string, string> = {}): { root: string; rendered: string } {
  const root = makeTempDir(name);
  const original = join(root, 'original');
  mkdirSync(original);
  const files: Record<string, string> = { 'operator.yaml': OPERATOR, 'settings.yaml': SETTINGS, ...extra };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(original, file), text);
  const rendered = join(root, 'rendered');
  cpSync(original, rendered, { recursive: true });
  return { root, rendered };
}

async function assertSecondRunChangesNothing(root: string, rendered: string, args: (dir: string) => string[]): Promise<void> {
  const again = join(root, 'again');
  cpSync(rendered, again, { recursive: true });
  assertSucceeded(await kpt(args(again)));
  assert.equal(await diffDirs(root, 'rendered', 'again'), '', 'a second run changed the package');
}

describe('kpt: a comment after the last object of a file', function () {
  before(async function () {
    findKpt();
    await buildFunctionOnce();
  });
  after(removeTempDirs);

  it('kpt fn eval --exec: stays where it was, once; a second run changes nothing', async function () {
    const configDir = makeTempDir('trailing-comment-config');
    const config = join(configDir, 'registry-proxy.yaml');
    writeFileSync(config, CONFIG);
    const evalArgs = (dir: string): string[] => ['fn', 'eval', dir, '--exec', EXEC, '--fn-config', config];
    const pkg = preparePackage('trailing-comment-eval');
    assertSucceeded(await kpt(evalArgs(pkg.rendered)));
    assert.equal(await diffDirs(pkg.root, 'original', 'rendered'), expectedDiff());
    await assertSecondRunChangesNothing(pkg.root, pkg.rendered, evalArgs);
  });

  it('kpt fn render --allow-exec: the same', async function () {
    const kptfile = `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: operator\npipeline:\n  mutators:\n  - exec: ${EXEC}\n    configPath: registry-proxy.yaml\n`;
    const pkg = preparePackage('trailing-comment-render', { Kptfile: kptfile, 'registry-proxy.yaml': CONFIG });
    const renderArgs = (dir: string): string[] => ['fn', 'render', dir, '--allow-exec'];
    assertSucceeded(await kpt(renderArgs(pkg.rendered)));
    assert.equal(await diffDirs(pkg.root, 'original', 'rendered'), expectedDiff());
    await assertSecondRunChangesNothing(pkg.root, pkg.rendered, renderArgs);
  });
});
