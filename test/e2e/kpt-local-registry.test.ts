// localRegistry mode in a Kptfile pipeline under the real `kpt fn render --allow-exec`: every image moves to
// the customer's registry (layout path), the proxy prefix removed, tag and digest kept; the pull Secret is
// keyed by that registry with the credentials from the environment; a second render changes nothing.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildFunctionOnce, findKpt, FUNCTION_PATH, makeTempDir, removeTempDirs, run, type RunResult } from './support.js';

const EXEC = `${process.execPath} ${FUNCTION_PATH}`;
const USER_ENV = 'LOCAL_REGISTRY_USER';
const PASSWORD_ENV = 'LOCAL_REGISTRY_PASSWORD';
const PASSWORD = 'kpt-local-registry-password-7f3a';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

const DEPLOYMENT = `# The app, as the vendor ships it
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: api
        image: proxy.replicated.com/proxy/my-app/ghcr.io/acme/api:2.1.0 # already proxied
      - name: cache
        image: redis:7
      initContainers:
      - name: migrate
        image: quay.io/acme/migrate@${DIGEST}
`;

const CONFIG = `apiVersion: fn.registry-proxy.dev/v1alpha1
kind: RegistryProxy
metadata:
  name: registry-proxy
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  appSlug: my-app
  localRegistry:
    host: registry.example.com:5443
    namespace: acme
    usernameFromEnv: ${USER_ENV}
    passwordFromEnv: ${PASSWORD_ENV}
`;

const KPTFILE = `apiVersion: kpt.dev/v1
kind: Kptfile
metadata:
  name: pkg
  annotations:
    config.kubernetes.io/local-config: "true"
pipeline:
  mutators:
  - exec: ${EXEC}
    configPath: registry-proxy.yaml
`;

describe('localRegistry under kpt fn render --allow-exec', function () {
  this.timeout(120_000);
  let pkg: string;
  let first: RunResult;
  let afterFirst: string;
  const env = { ...process.env, [USER_ENV]: 'acme-ci', [PASSWORD_ENV]: PASSWORD };

  before(async function () {
    await buildFunctionOnce();
    pkg = join(makeTempDir('kpt-local-registry'), 'pkg');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'Kptfile'), KPTFILE);
    writeFileSync(join(pkg, 'registry-proxy.yaml'), CONFIG);
    writeFileSync(join(pkg, 'deployment.yaml'), DEPLOYMENT);
    first = await run(findKpt(), ['fn', 'render', pkg, '--allow-exec'], { env });
    afterFirst = readFileSync(join(pkg, 'deployment.yaml'), 'utf8');
  });
  after(removeTempDirs);

  it('rewrites every image to the local registry, path layout, the comments where they were', function () {
    assert.equal(first.exitCode, 0, `${first.stdout}${first.stderr}`);
    assert.equal(
      afterFirst,
      `# The app, as the vendor ships it
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: api
        image: registry.example.com:5443/acme/acme/api:2.1.0 # already proxied
      - name: cache
        image: registry.example.com:5443/acme/redis:7
      initContainers:
      - name: migrate
        image: registry.example.com:5443/acme/acme/migrate@${DIGEST}
      imagePullSecrets:
      - name: my-app-registry
`,
    );
  });

  it('writes one pull Secret for the local registry with the credentials from the environment, and kpt shows no password', function () {
    const secrets = parseAllDocuments(readFileSync(join(pkg, 'registry-proxy-pull-secrets.yaml'), 'utf8')).map(
      (document) => document.toJS() as { metadata: { name: string; namespace?: string }; type: string; data: Record<string, string> },
    );
    assert.deepEqual(secrets.map((secret) => `${secret.metadata.namespace}/${secret.metadata.name}`), ['shop/my-app-registry']);
    assert.equal(secrets[0]!.type, 'kubernetes.io/dockerconfigjson');
    const auth = Buffer.from(`acme-ci:${PASSWORD}`).toString('base64');
    assert.equal(Buffer.from(secrets[0]!.data['.dockerconfigjson']!, 'base64').toString('utf8'), JSON.stringify({ auths: { 'registry.example.com:5443': { auth } } }));
    assert.ok(!`${first.stdout}${first.stderr}`.includes(PASSWORD), 'the password is in kpt output');
  });

  it('a second render changes nothing', async function () {
    const secretsBefore = readFileSync(join(pkg, 'registry-proxy-pull-secrets.yaml'), 'utf8');
    const second = await run(findKpt(), ['fn', 'render', pkg, '--allow-exec'], { env });
    assert.equal(second.exitCode, 0, `${second.stdout}${second.stderr}`);
    assert.equal(readFileSync(join(pkg, 'deployment.yaml'), 'utf8'), afterFirst);
    assert.equal(readFileSync(join(pkg, 'registry-proxy-pull-secrets.yaml'), 'utf8'), secretsBefore);
  });
});
