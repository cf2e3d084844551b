// The secret-less pull Secret modes: the ExternalSecret is valid against External Secrets Operator's own
// CRD schema and its template, run by Go's text/template with ESO's functions, gives the exact KOTS
// bytes; the substitution Secret is a valid .dockerconfigjson once the variable is substituted the way
// Flux does; no mode but inline needs or writes the license ID.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { run, REPO_ROOT } from './e2e/support.js';
import { buildDockerConfigJson } from '../fn/pull-secret.js';
import { buildDockerConfigTemplate, buildExternalSecret } from '../fn/pull-secret-mode.js';
import { runResourceList } from '../fn/run.js';
import { testConfig } from './helpers/config-fixture.js';
import { joined } from './helpers/joined-output.js';

const Ajv = AjvModule.default ?? AjvModule;
const CRD = `${REPO_ROOT}test/fixtures/crds/external-secrets/external-secrets.io_externalsecrets.yaml`;
const GO_RENDERER = `${REPO_ROOT}test/fixtures/eso-template/main.go`;
const LICENSE_ID = '2ZSdjUrCVqSkTNr4sYeQx9WVbKn';

interface CrdVersion {
  name: string;
  schema: { openAPIV3Schema: object };
}

function externalSecretValidator(): (value: unknown) => string[] {
  const crd = parse(readFileSync(CRD, 'utf8')) as { spec: { versions: CrdVersion[] } };
  const v1 = crd.spec.versions.find((version) => version.name === 'v1');
  assert.ok(v1, 'the CRD has a v1 version');
  // Kubernetes' structural schemas carry x-kubernetes-* keywords and formats ajv does not know.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(v1.schema.openAPIV3Schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`));
}

const externalSecretConfig = testConfig({
  licenseID: '',
  pullSecretMode: 'externalSecret',
  externalSecret: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, remoteRef: { key: 'customers/acme', property: 'licenseID' }, refreshInterval: '1h' },
  secretLabels: { team: 'a' },
});

async function renderTemplate(template: string, licenseID: string): Promise<string> {
  const result = await run('go', ['run', GO_RENDERER], {
    input: JSON.stringify({ template, data: { licenseID } }),
    env: { ...process.env, GOCACHE: process.env['GOCACHE'] ?? '/tmp/registry-proxy-gocache', GO111MODULE: 'off' },
    timeoutMs: 120_000,
  });
  assert.equal(result.exitCode, 0, `go run failed: ${result.stderr}`);
  return result.stdout;
}

describe('pullSecretMode externalSecret', () => {
  const validate = externalSecretValidator();

  it('is valid against the ExternalSecret CRD (external-secrets.io/v1) schema', () => {
    const object = buildExternalSecret(externalSecretConfig, 'shop', { 'registry-proxy.dev/generated-by': 'registry-proxy' });
    assert.deepEqual(validate(object), []);
    assert.equal(object['apiVersion'], 'external-secrets.io/v1');
  });

  it('the schema check can fail: a creationPolicy ESO does not have is refused', () => {
    const object = buildExternalSecret(externalSecretConfig, 'shop', {}) as { spec: { target: { creationPolicy: string } } };
    object.spec.target.creationPolicy = 'Sometimes';
    assert.notDeepEqual(validate(object), []);
  });

  it('the golden case output validates too', () => {
    const text = readFileSync(`${REPO_ROOT}testdata/pull-secret-mode-external-secret/expected-stdout`, 'utf8');
    const items = (parse(text) as { items: Array<{ kind: string }> }).items.filter((item) => item.kind === 'ExternalSecret');
    assert.equal(items.length, 2);
    for (const item of items) assert.deepEqual(validate(item), []);
  });

  for (const [name, proxyDomain, registryDomain] of [
    ['default domains', 'proxy.replicated.com', 'registry.replicated.com'],
    ['custom domains', 'images.vendor.example', 'registry.vendor.example'],
    ['one host for both', 'images.vendor.example', 'images.vendor.example'],
  ] as const) {
    it(`its template, run by Go text/template with ESO's trim and b64enc, gives the KOTS bytes (${name})`, async function () {
      this.timeout(180_000);
      const config = testConfig({ ...externalSecretConfig, proxyDomain, registryDomain });
      const rendered = await renderTemplate(buildDockerConfigTemplate(config), `${LICENSE_ID}\n`);
      assert.equal(rendered, buildDockerConfigJson(proxyDomain, registryDomain, LICENSE_ID));
    });
  }
});

/** Flux's envsubst (drone/envsubst) replaces `${NAME}` in the whole manifest text before applying it. */
function substitute(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => variables[name] ?? whole);
}

describe('pullSecretMode substitution', () => {
  it('after substitution the Secret is a .dockerconfigjson kubelet reads: username LICENSE_ID, password the license ID, per host', () => {
    const text = readFileSync(`${REPO_ROOT}testdata/pull-secret-mode-substitution/expected-stdout`, 'utf8');
    assert.ok(!text.includes(LICENSE_ID));
    const substituted = substitute(text, { LICENSE: LICENSE_ID });
    const secrets = (parse(substituted) as { items: Array<{ kind: string; type?: string; stringData?: Record<string, string> }> }).items.filter((item) => item.kind === 'Secret');
    assert.equal(secrets.length, 2);
    for (const secret of secrets) {
      assert.equal(secret.type, 'kubernetes.io/dockerconfigjson');
      const config = JSON.parse(secret.stringData!['.dockerconfigjson']!) as { auths: Record<string, { username: string; password: string; auth?: string }> };
      assert.deepEqual(Object.keys(config.auths), ['proxy.replicated.com', 'registry.replicated.com']);
      for (const entry of Object.values(config.auths)) {
        // kubelet (pkg/credentialprovider/config.go) uses username/password when auth is absent.
        assert.deepEqual(entry, { username: 'LICENSE_ID', password: LICENSE_ID });
      }
    }
  });
});

describe('secret-less modes need no license and write none', () => {
  const input = (mode: string, extra = ''): string => `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: api, namespace: shop}
  spec:
    template:
      spec:
        containers:
        - {name: api, image: quay.io/org/api:1}
functionConfig:
  apiVersion: fn.registry-proxy.dev/v1alpha1
  kind: RegistryProxy
  spec:
    appSlug: my-app
    licenseIDFromEnv: LIC
    pullSecretMode: ${mode}
    rules: [{match: "quay.io/org/**", private: true}]
${extra}`;
  const extras: Record<string, string> = {
    reference: '',
    substitution: '',
    externalSecret: '    externalSecret: {secretStoreRef: {name: s}, remoteRef: {key: k}}\n',
  };
  for (const mode of ['reference', 'externalSecret', 'substitution']) {
    it(`${mode}: with the variable unset it renders; with it set the output still holds no license ID`, async () => {
      const unset = joined(await runResourceList(input(mode, extras[mode]), { env: {} }));
      assert.equal(unset.exitCode, 0, unset.stderr.join('\n'));
      const set = joined(await runResourceList(input(mode, extras[mode]), { env: { LIC: LICENSE_ID } }));
      assert.equal(set.stdout, unset.stdout);
      const base64 = Buffer.from(`LICENSE_ID:${LICENSE_ID}`).toString('base64');
      for (const document of parseAllDocuments(set.stdout)) assert.ok(!document.toString().includes(LICENSE_ID) && !document.toString().includes(base64));
    });
  }

  it('externalSecret: a Secret of the user\'s with the pull Secret\'s name and namespace is an error (ESO would have to own it)', async () => {
    const text = input('externalSecret', extras['externalSecret']).replace(
      'functionConfig:',
      '- apiVersion: v1\n  kind: Secret\n  metadata: {name: my-app-registry, namespace: shop}\n  type: kubernetes.io/dockerconfigjson\nfunctionConfig:',
    );
    const result = await runResourceList(text, { env: {} });
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr.join('\n'), /Secret\/my-app-registry: a Secret named my-app-registry already exists in namespace shop: the ExternalSecret would have to own it/);
  });

  it('inline still needs it', async () => {
    const result = await runResourceList(input('inline'), { env: {} });
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr.join('\n'), /environment variable LIC is not set/);
  });
});
