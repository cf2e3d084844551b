import assert from 'node:assert/strict';
import type { ApplicationField, Config } from '../../fn/config/config.js';
import { loadConfig, type ConfigProblem } from '../../fn/config/load-config.js';

// Distinctive, so a search of every message cannot miss it.
const LICENSE_ID = 'LIC-7f3e9c1a-do-not-print';
const ENV = { REGISTRY_PROXY_LICENSE_ID: LICENSE_ID, PADDED: `  ${LICENSE_ID}\t` };
const ALL_UNSET: ApplicationField[] = ['additionalNamespaces', 'proxyPublicImages', 'proxyDomain', 'registryDomain'];

const registryProxy = (spec: unknown): Record<string, unknown> => ({
  apiVersion: 'fn.registry-proxy.dev/v1alpha1',
  kind: 'RegistryProxy',
  metadata: { name: 'registry-proxy' },
  spec,
});
const license = (apiVersion: string, spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion,
  kind: 'License',
  metadata: { name: 'customer' },
  spec: { customerName: 'Customer', channelID: 'c1', signature: 'c2ln', ...spec },
});
const configMap = (data: Record<string, unknown> | undefined): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'function-input' },
  ...(data === undefined ? {} : { data }),
});

/** Every default (README "FunctionConfig"), for appSlug my-app and the test license. */
function defaults(overrides: Partial<Config> = {}): Config {
  return {
    appSlug: 'my-app',
    licenseID: LICENSE_ID,
    proxyDomain: 'proxy.replicated.com',
    registryDomain: 'registry.replicated.com',
    proxyPublicImages: false,
    additionalNamespaces: [],
    knownImages: [],
    rules: [],
    unknownImages: 'private',
    pullSecretName: 'my-app-registry',
    secretAnnotations: { 'kots.io/creation-phase': '-9999' },
    secretLabels: {},
    patchWorkloads: 'all',
    imageFields: [],
    invalidImages: 'error',
    probe: { enabled: true, timeoutSeconds: 10, deadlineSeconds: 60, concurrency: 10, perRegistryConcurrency: 4, insecureRegistries: [], allowPrivateAddresses: false, credentials: [] },
    patchServiceAccounts: 'none',
    kyvernoClonePolicy: { enabled: false, sourceNamespace: undefined },
    pullSecretUsername: 'LICENSE_ID',
    linkedRegistries: [],
    unlinkedRegistries: 'error',
    licenseExpiry: undefined,
    expiredLicense: 'error',
    expiryWarningDays: 30,
    pullSecretMode: 'inline',
    externalSecret: undefined,
    substitution: { variable: 'REGISTRY_PROXY_LICENSE_ID' },
    mode: 'transform',
    allowedRegistries: [],
    ...overrides,
  };
}

function loaded(functionConfig: unknown, env: Record<string, string> = ENV): { config: Config; unset: ApplicationField[]; source: string } {
  const result = loadConfig(functionConfig, env);
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
  return { config: result.loaded.config, unset: [...result.loaded.unset].sort(), source: result.loaded.source };
}

function problems(functionConfig: unknown, env: Record<string, string> = ENV): ConfigProblem[] {
  const result = loadConfig(functionConfig, env);
  assert.equal(result.ok, false, 'expected problems');
  return result.ok ? [] : result.problems;
}

describe('loadConfig: the accepted forms', () => {
  // Columns:
  //   name     the form
  //   input    the functionConfig
  //   config   the whole Config it must give
  //   unset    the fields a kots.io Application may still supply (sorted)
  //   source   LoadedConfig.source
  const table: Array<{ name: string; input: unknown; config: Config; unset: ApplicationField[]; source: string }> = [
    {
      name: 'RegistryProxy with licenseID: every default',
      input: registryProxy({ appSlug: 'my-app', licenseID: LICENSE_ID }),
      config: defaults(),
      unset: [...ALL_UNSET].sort(),
      source: 'RegistryProxy',
    },
    {
      name: 'RegistryProxy with licenseIDFromEnv (value trimmed)',
      input: registryProxy({ appSlug: 'my-app', licenseIDFromEnv: 'PADDED' }),
      config: defaults(),
      unset: [...ALL_UNSET].sort(),
      source: 'RegistryProxy',
    },
    {
      name: 'RegistryProxy with an embedded production License',
      input: registryProxy({ appSlug: 'my-app', license: license('kots.io/v1beta1', { appSlug: 'my-app', licenseID: LICENSE_ID, endpoint: 'https://replicated.app' }) }),
      config: defaults(),
      unset: [...ALL_UNSET].sort(),
      source: 'RegistryProxy',
    },
    {
      name: 'RegistryProxy with an embedded staging License',
      input: registryProxy({ appSlug: 'my-app', license: license('kots.io/v1beta2', { licenseID: LICENSE_ID, endpoint: 'https://staging.replicated.app' }) }),
      config: defaults({ proxyDomain: 'proxy.staging.replicated.com', registryDomain: 'registry.staging.replicated.com' }),
      unset: [...ALL_UNSET].sort(),
      source: 'RegistryProxy',
    },
    {
      name: 'RegistryProxy with a staging License and explicit domains: the domains win',
      input: registryProxy({
        appSlug: 'my-app',
        license: { spec: { licenseID: LICENSE_ID, endpoint: 'https://staging.replicated.app' } },
        proxyDomain: 'Proxy.Example.com',
        registryDomain: 'registry.example.com:8443',
      }),
      config: defaults({ proxyDomain: 'proxy.example.com', registryDomain: 'registry.example.com:8443' }),
      unset: ['additionalNamespaces', 'proxyPublicImages'],
      source: 'RegistryProxy',
    },
    {
      name: 'RegistryProxy with every field',
      input: registryProxy({
        appSlug: 'my-app',
        licenseID: LICENSE_ID,
        proxyDomain: 'proxy.example.com',
        registryDomain: 'registry.example.com',
        proxyPublicImages: true,
        additionalNamespaces: ['monitoring', '*'],
        knownImages: [{ image: 'nginx:1.25' }, { image: 'quay.io/org/api', isPrivate: true }],
        rules: [{ match: 'quay.io/org/**', private: true }],
        unknownImages: 'error',
        pullSecretName: 'pull.secret',
        secretAnnotations: { a: 'b' },
        secretLabels: { app: 'x' },
        patchWorkloads: 'proxied',
        imageFields: [{ group: 'tekton.dev', version: 'v1', kind: 'Task', path: 'spec/steps[]/image' }],
        invalidImages: 'warn',
        probe: {
          enabled: false,
          timeoutSeconds: 2.5,
          deadlineSeconds: 30,
          concurrency: 2,
          perRegistryConcurrency: 1,
          insecureRegistries: ['localhost:5000'],
          allowPrivateAddresses: false,
          credentials: [{ registry: 'docker.io', usernameFromEnv: 'HUB_USER', passwordFromEnv: 'HUB_TOKEN' }],
        },
        patchServiceAccounts: 'itemsAndDefault',
        kyvernoClonePolicy: { enabled: true, sourceNamespace: 'my-app' },
        linkedRegistries: [{ registry: 'Quay.io' }, { registry: 'index.docker.io', name: 'hub' }],
        unlinkedRegistries: 'warn',
        pullSecretUsername: 'customer@example.com',
        expiredLicense: 'warn',
        expiryWarningDays: 7,
      }),
      config: {
        appSlug: 'my-app',
        licenseID: LICENSE_ID,
        proxyDomain: 'proxy.example.com',
        registryDomain: 'registry.example.com',
        proxyPublicImages: true,
        additionalNamespaces: ['monitoring', '*'],
        // A missing isPrivate means public, as in KOTS's Installation cache.
        knownImages: [
          { image: 'nginx:1.25', isPrivate: false },
          { image: 'quay.io/org/api', isPrivate: true },
        ],
        rules: [{ match: 'quay.io/org/**', private: true }],
        unknownImages: 'error',
        pullSecretName: 'pull.secret',
        secretAnnotations: { a: 'b' },
        secretLabels: { app: 'x' },
        patchWorkloads: 'proxied',
        imageFields: [{ group: 'tekton.dev', version: 'v1', kind: 'Task', path: 'spec/steps[]/image' }],
        invalidImages: 'warn',
        probe: {
          enabled: false,
          timeoutSeconds: 2.5,
          deadlineSeconds: 30,
          concurrency: 2,
          perRegistryConcurrency: 1,
          insecureRegistries: ['localhost:5000'],
          allowPrivateAddresses: false,
          credentials: [{ registry: 'docker.io', usernameFromEnv: 'HUB_USER', passwordFromEnv: 'HUB_TOKEN' }],
        },
        patchServiceAccounts: 'itemsAndDefault',
        kyvernoClonePolicy: { enabled: true, sourceNamespace: 'my-app' },
        // Registry hosts are lowercased and Docker Hub's spellings fold to docker.io, as in image names.
        linkedRegistries: [{ registry: 'quay.io' }, { registry: 'docker.io', name: 'hub' }],
        unlinkedRegistries: 'warn',
        pullSecretUsername: 'customer@example.com',
        licenseExpiry: undefined,
        expiredLicense: 'warn',
        expiryWarningDays: 7,
        pullSecretMode: 'inline',
        externalSecret: undefined,
        substitution: { variable: 'REGISTRY_PROXY_LICENSE_ID' },
        mode: 'transform',
        allowedRegistries: [],
      },
      unset: [],
      source: 'RegistryProxy',
    },
    {
      name: 'RegistryProxy with part of probe: the rest defaults',
      input: registryProxy({ appSlug: 'my-app', licenseID: LICENSE_ID, probe: { concurrency: 3 } }),
      config: defaults({ probe: { ...defaults().probe, concurrency: 3 } }),
      unset: [...ALL_UNSET].sort(),
      source: 'RegistryProxy',
    },
    {
      name: 'License kots.io/v1beta1',
      input: license('kots.io/v1beta1', { appSlug: 'my-app', licenseID: LICENSE_ID, endpoint: 'https://replicated.app' }),
      config: defaults(),
      unset: [...ALL_UNSET].sort(),
      source: 'License',
    },
    {
      name: 'License kots.io/v1beta2',
      input: license('kots.io/v1beta2', { appSlug: 'my-app', licenseID: LICENSE_ID }),
      config: defaults(),
      unset: [...ALL_UNSET].sort(),
      source: 'License',
    },
    {
      name: 'License on the staging endpoint',
      input: license('kots.io/v1beta2', { appSlug: 'my-app', licenseID: LICENSE_ID, endpoint: 'https://staging.replicated.app' }),
      config: defaults({ proxyDomain: 'proxy.staging.replicated.com', registryDomain: 'registry.staging.replicated.com' }),
      unset: [...ALL_UNSET].sort(),
      source: 'License',
    },
    {
      name: 'License on the staging endpoint with a port and a path',
      input: license('kots.io/v1beta1', { appSlug: 'my-app', licenseID: LICENSE_ID, endpoint: 'https://staging.replicated.app:443/v1' }),
      config: defaults({ proxyDomain: 'proxy.staging.replicated.com', registryDomain: 'registry.staging.replicated.com' }),
      unset: [...ALL_UNSET].sort(),
      source: 'License',
    },
    {
      name: 'License on a host that only contains the staging host',
      input: license('kots.io/v1beta1', { appSlug: 'my-app', licenseID: LICENSE_ID, endpoint: 'https://staging.replicated.app.example.com' }),
      config: defaults(),
      unset: [...ALL_UNSET].sort(),
      source: 'License',
    },
    {
      name: 'License with an endpoint that is not a URL',
      input: license('kots.io/v1beta1', { appSlug: 'my-app', licenseID: LICENSE_ID, endpoint: 'staging.replicated.app' }),
      config: defaults(),
      unset: [...ALL_UNSET].sort(),
      source: 'License',
    },
    {
      name: 'ConfigMap with licenseIDFromEnv only',
      input: configMap({ appSlug: 'my-app', licenseIDFromEnv: 'REGISTRY_PROXY_LICENSE_ID' }),
      config: defaults(),
      unset: [...ALL_UNSET].sort(),
      source: 'ConfigMap',
    },
    {
      name: 'ConfigMap with every key',
      input: configMap({
        appSlug: 'my-app',
        licenseID: LICENSE_ID,
        proxyDomain: 'Proxy.Example.com',
        registryDomain: 'registry.example.com',
        proxyPublicImages: 'true',
        additionalNamespaces: 'monitoring,logging,*',
        knownImages: 'nginx:1.25=public,quay.io/org/api=private',
        rules: 'quay.io/org/**=private,docker.io/**=public',
        unknownImages: 'public',
        pullSecretName: 'pull',
        secretAnnotations: 'a=b',
        secretLabels: 'app=x,tier=web',
        patchWorkloads: 'none',
        imageFields: 'Task:spec/steps[]/image,tekton.dev/v1/Pipeline:spec/image',
        invalidImages: 'warn',
        'probe.enabled': 'false',
        'probe.timeoutSeconds': '5',
        'probe.deadlineSeconds': '30',
        'probe.concurrency': '2',
        'probe.perRegistryConcurrency': '1',
        'probe.insecureRegistries': 'localhost:5000,reg.local',
        patchServiceAccounts: 'items',
        'kyvernoClonePolicy.enabled': 'true',
        'kyvernoClonePolicy.sourceNamespace': 'my-app',
        linkedRegistries: 'quay.io, docker.io=hub',
        unlinkedRegistries: 'warn',
        pullSecretUsername: 'customer@example.com',
        expiredLicense: 'warn',
        expiryWarningDays: '7',
      }),
      config: {
        appSlug: 'my-app',
        licenseID: LICENSE_ID,
        proxyDomain: 'proxy.example.com',
        registryDomain: 'registry.example.com',
        proxyPublicImages: true,
        additionalNamespaces: ['monitoring', 'logging', '*'],
        knownImages: [
          { image: 'nginx:1.25', isPrivate: false },
          { image: 'quay.io/org/api', isPrivate: true },
        ],
        rules: [
          { match: 'quay.io/org/**', private: true },
          { match: 'docker.io/**', private: false },
        ],
        unknownImages: 'public',
        pullSecretName: 'pull',
        secretAnnotations: { a: 'b' },
        secretLabels: { app: 'x', tier: 'web' },
        patchWorkloads: 'none',
        imageFields: [
          { kind: 'Task', path: 'spec/steps[]/image' },
          { group: 'tekton.dev', version: 'v1', kind: 'Pipeline', path: 'spec/image' },
        ],
        invalidImages: 'warn',
        probe: {
          enabled: false,
          timeoutSeconds: 5,
          deadlineSeconds: 30,
          concurrency: 2,
          perRegistryConcurrency: 1,
          insecureRegistries: ['localhost:5000', 'reg.local'],
          allowPrivateAddresses: false,
          credentials: [],
        },
        patchServiceAccounts: 'items',
        kyvernoClonePolicy: { enabled: true, sourceNamespace: 'my-app' },
        linkedRegistries: [{ registry: 'quay.io' }, { registry: 'docker.io', name: 'hub' }],
        unlinkedRegistries: 'warn',
        pullSecretUsername: 'customer@example.com',
        licenseExpiry: undefined,
        expiredLicense: 'warn',
        expiryWarningDays: 7,
        pullSecretMode: 'inline',
        externalSecret: undefined,
        substitution: { variable: 'REGISTRY_PROXY_LICENSE_ID' },
        mode: 'transform',
        allowedRegistries: [],
      },
      unset: [],
      source: 'ConfigMap',
    },
  ];

  for (const row of table) {
    it(row.name, () => {
      assert.deepEqual(loaded(row.input), { config: row.config, unset: row.unset, source: row.source });
    });
  }
});

// Every error, with its field path. Columns:
//   name       what is wrong
//   input      the functionConfig (env: ENV unless given)
//   problems   every problem, in order: [field, message]
const ACCEPTED = 'expected a RegistryProxy (fn.registry-proxy.dev/v1alpha1), a License (kots.io/v1beta1 or kots.io/v1beta2) or a ConfigMap (v1)';
const errorTable: Array<{ name: string; input: unknown; env?: Record<string, string>; problems: Array<[string, string]> }> = [
  { name: 'no functionConfig', input: undefined, problems: [['functionConfig', `no functionConfig: ${ACCEPTED}`]] },
  { name: 'null functionConfig', input: null, problems: [['functionConfig', `no functionConfig: ${ACCEPTED}`]] },
  { name: 'a list', input: [LICENSE_ID], problems: [['functionConfig', `functionConfig is not a map: ${ACCEPTED}`]] },
  { name: 'a string', input: LICENSE_ID, problems: [['functionConfig', `functionConfig is not a map: ${ACCEPTED}`]] },
  { name: 'another kind', input: { apiVersion: 'v1', kind: 'Secret', data: { id: LICENSE_ID } }, problems: [['functionConfig', `unsupported functionConfig Secret v1: ${ACCEPTED}`]] },
  { name: 'no kind or apiVersion', input: { spec: { licenseID: LICENSE_ID } }, problems: [['functionConfig', `unsupported functionConfig (no kind) (no apiVersion): ${ACCEPTED}`]] },
  {
    name: 'RegistryProxy of another version',
    input: { apiVersion: 'fn.registry-proxy.dev/v1', kind: 'RegistryProxy', spec: { appSlug: 'my-app', licenseID: LICENSE_ID } },
    problems: [['functionConfig', `unsupported functionConfig RegistryProxy fn.registry-proxy.dev/v1: ${ACCEPTED}`]],
  },
  { name: 'License of another version', input: license('kots.io/v1', { appSlug: 'my-app', licenseID: LICENSE_ID }), problems: [['functionConfig', `unsupported functionConfig License kots.io/v1: ${ACCEPTED}`]] },
  { name: 'RegistryProxy without spec', input: registryProxy(undefined), problems: [['spec', 'spec: missing: spec.appSlug and a license are required']] },
  { name: 'no license', input: registryProxy({ appSlug: 'my-app' }), problems: [['spec', 'spec: exactly one of licenseID, licenseIDFromEnv or license is required']] },
  {
    name: 'two licenses',
    input: registryProxy({ appSlug: 'my-app', licenseID: LICENSE_ID, licenseIDFromEnv: 'REGISTRY_PROXY_LICENSE_ID' }),
    problems: [['spec', 'spec: exactly one of licenseID, licenseIDFromEnv or license is required']],
  },
  { name: 'no appSlug', input: registryProxy({ licenseID: LICENSE_ID }), problems: [['spec', 'spec: missing required field "appSlug"']] },
  { name: 'empty licenseID', input: registryProxy({ appSlug: 'my-app', licenseID: '' }), problems: [['spec.licenseID', 'spec.licenseID: must NOT have fewer than 1 characters']] },
  { name: 'a numeric licenseID', input: registryProxy({ appSlug: 'my-app', licenseID: 12345 }), problems: [['spec.licenseID', 'spec.licenseID: must be string']] },
  {
    name: 'licenseIDFromEnv not set',
    input: registryProxy({ appSlug: 'my-app', licenseIDFromEnv: 'NOT_SET' }),
    problems: [['spec.licenseIDFromEnv', 'spec.licenseIDFromEnv: environment variable NOT_SET is not set or empty']],
  },
  {
    name: 'licenseIDFromEnv not set, in the image (REGISTRY_PROXY_CONTAINER=true)',
    input: registryProxy({ appSlug: 'my-app', licenseIDFromEnv: 'NOT_SET' }),
    env: { REGISTRY_PROXY_CONTAINER: 'true' },
    problems: [
      [
        'spec.licenseIDFromEnv',
        "spec.licenseIDFromEnv: environment variable NOT_SET is not set or empty in the function's container (kpt fn render passes no environment to a container function: put licenseID in the functionConfig, use an exec: pipeline entry, or run kpt fn eval --env NOT_SET; kustomize: envs: [NOT_SET])",
      ],
    ],
  },
  {
    name: 'licenseIDFromEnv blank',
    input: registryProxy({ appSlug: 'my-app', licenseIDFromEnv: 'BLANK' }),
    env: { BLANK: ' \t' },
    problems: [['spec.licenseIDFromEnv', 'spec.licenseIDFromEnv: environment variable BLANK is not set or empty']],
  },
  {
    name: 'embedded License without licenseID',
    input: registryProxy({ appSlug: 'my-app', license: { apiVersion: 'kots.io/v1beta1', kind: 'License', spec: { appSlug: 'my-app' } } }),
    problems: [['spec.license.spec', 'spec.license.spec: missing required field "licenseID"']],
  },
  {
    name: 'embedded License of another kind and version',
    input: registryProxy({ appSlug: 'my-app', license: { apiVersion: 'kots.io/v1', kind: 'Licence', spec: { licenseID: LICENSE_ID } } }),
    problems: [
      ['spec.license.apiVersion', 'spec.license.apiVersion: must be one of "kots.io/v1beta1", "kots.io/v1beta2"'],
      ['spec.license.kind', 'spec.license.kind: is not in the expected form'],
    ],
  },
  { name: 'appSlug over 63 characters', input: registryProxy({ appSlug: 'a'.repeat(64), licenseID: LICENSE_ID }), problems: [['spec.appSlug', 'spec.appSlug: must NOT have more than 63 characters']] },
  {
    name: 'every field wrong at once',
    input: registryProxy({
      appSlug: 'My_App',
      licenseID: LICENSE_ID,
      proxyDomain: 'https://proxy.example.com',
      registryDomain: 'not a host',
      proxyPublicImages: 'yes',
      additionalNamespaces: ['ok', 'Bad_NS', '*'],
      knownImages: [{ image: '' }, { isPrivate: true }, { image: 'a', private: true }],
      rules: [{ match: 'x' }, { match: '', private: true }],
      unknownImages: 'maybe',
      pullSecretName: 'Upper',
      secretAnnotations: { a: 1 },
      secretLabels: 'app=x',
      patchWorkloads: 'some',
      imageFields: [{ path: '/spec//image' }, { kind: 'Task' }],
      invalidImages: 'ignore',
      probe: {
        enabled: 'no',
        timeoutSeconds: 0,
        deadlineSeconds: 99999,
        concurrency: 0.5,
        perRegistryConcurrency: 100,
        insecureRegistries: ['bad host'],
        credentials: [{ registry: 'docker.io', usernameFromEnv: '1USER', passwordFromEnv: 'TOKEN' }, { registry: 'x.io' }],
        retries: 3,
      },
      patchServiceAccounts: 'all',
      kyvernoClonePolicy: { enabled: 'yes', sourceNamespace: 'NS' },
      typo: true,
    }),
    problems: [
      ['spec', 'spec: unknown field "typo"'],
      ['spec.appSlug', 'spec.appSlug: must be a lowercase DNS label (a-z, 0-9, -)'],
      ['spec.proxyDomain', 'spec.proxyDomain: must be a host name, optionally with :port'],
      ['spec.registryDomain', 'spec.registryDomain: must be a host name, optionally with :port'],
      ['spec.proxyPublicImages', 'spec.proxyPublicImages: must be boolean'],
      ['spec.additionalNamespaces[1]', 'spec.additionalNamespaces[1]: must be a namespace name (a DNS label) or "*"'],
      ['spec.knownImages[0].image', 'spec.knownImages[0].image: must NOT have fewer than 1 characters'],
      ['spec.knownImages[1]', 'spec.knownImages[1]: missing required field "image"'],
      ['spec.knownImages[2]', 'spec.knownImages[2]: unknown field "private"'],
      ['spec.rules[0]', 'spec.rules[0]: missing required field "private"'],
      ['spec.rules[1].match', 'spec.rules[1].match: must NOT have fewer than 1 characters'],
      ['spec.unknownImages', 'spec.unknownImages: must be one of "private", "public", "error"'],
      ['spec.pullSecretName', 'spec.pullSecretName: must be a lowercase DNS subdomain'],
      ['spec.secretAnnotations.a', 'spec.secretAnnotations.a: must be string'],
      ['spec.secretLabels', 'spec.secretLabels: must be object'],
      ['spec.patchWorkloads', 'spec.patchWorkloads: must be one of "all", "proxied", "none"'],
      ['spec.imageFields[0].path', 'spec.imageFields[0].path: must be a field path like spec/steps[]/image'],
      ['spec.imageFields[1]', 'spec.imageFields[1]: missing required field "path"'],
      ['spec.invalidImages', 'spec.invalidImages: must be one of "error", "warn"'],
      ['spec.probe', 'spec.probe: unknown field "retries"'],
      ['spec.probe.enabled', 'spec.probe.enabled: must be boolean'],
      ['spec.probe.timeoutSeconds', 'spec.probe.timeoutSeconds: must be > 0'],
      ['spec.probe.deadlineSeconds', 'spec.probe.deadlineSeconds: must be <= 3600'],
      ['spec.probe.concurrency', 'spec.probe.concurrency: must be integer'],
      ['spec.probe.concurrency', 'spec.probe.concurrency: must be >= 1'],
      ['spec.probe.perRegistryConcurrency', 'spec.probe.perRegistryConcurrency: must be <= 64'],
      ['spec.probe.insecureRegistries[0]', 'spec.probe.insecureRegistries[0]: must be a host name, optionally with :port'],
      ['spec.probe.credentials[0].usernameFromEnv', 'spec.probe.credentials[0].usernameFromEnv: must be an environment variable name'],
      ['spec.probe.credentials[1]', 'spec.probe.credentials[1]: missing required field "usernameFromEnv"'],
      ['spec.probe.credentials[1]', 'spec.probe.credentials[1]: missing required field "passwordFromEnv"'],
      ['spec.patchServiceAccounts', 'spec.patchServiceAccounts: must be one of "none", "items", "itemsAndDefault"'],
      ['spec.kyvernoClonePolicy.enabled', 'spec.kyvernoClonePolicy.enabled: must be boolean'],
      ['spec.kyvernoClonePolicy.sourceNamespace', 'spec.kyvernoClonePolicy.sourceNamespace: is not in the expected form'],
    ],
  },
  { name: 'License without appSlug or licenseID', input: license('kots.io/v1beta1', {}), problems: [['spec.appSlug', 'spec.appSlug: the License has no appSlug'], ['spec.licenseID', 'spec.licenseID: the License has no licenseID']] },
  {
    name: 'License without spec',
    input: { apiVersion: 'kots.io/v1beta2', kind: 'License' },
    problems: [['spec.appSlug', 'spec.appSlug: the License has no appSlug'], ['spec.licenseID', 'spec.licenseID: the License has no licenseID']],
  },
  { name: 'License with a numeric licenseID', input: license('kots.io/v1beta1', { appSlug: 'my-app', licenseID: 42 }), problems: [['spec.licenseID', 'spec.licenseID: the License has no licenseID']] },
  { name: 'License with an invalid appSlug', input: license('kots.io/v1beta1', { appSlug: 'My App', licenseID: LICENSE_ID }), problems: [['spec.appSlug', 'spec.appSlug: must be a lowercase DNS label (a-z, 0-9, -)']] },
  { name: 'ConfigMap without data', input: configMap(undefined), problems: [['data', 'data: missing required field "appSlug"']] },
  { name: 'ConfigMap with unknown keys', input: configMap({ appSlug: 'my-app', licenseID: LICENSE_ID, licence: LICENSE_ID, 'probe.retries': '3' }), problems: [['data', 'data: unknown field "licence"'], ['data', 'data: unknown field "probe.retries"']] },
  {
    name: 'ConfigMap booleans that are not "true"/"false"',
    input: configMap({ appSlug: 'my-app', licenseID: LICENSE_ID, proxyPublicImages: 'yes', 'probe.enabled': 'True', 'kyvernoClonePolicy.enabled': true }),
    problems: [
      ['data.proxyPublicImages', 'data.proxyPublicImages: must be one of "true", "false"'],
      ['data.probe.enabled', 'data.probe.enabled: must be one of "true", "false"'],
      ['data.kyvernoClonePolicy.enabled', 'data.kyvernoClonePolicy.enabled: must be one of "true", "false"'],
    ],
  },
  { name: 'ConfigMap with a number instead of a string', input: configMap({ appSlug: 'my-app', licenseID: LICENSE_ID, 'probe.concurrency': 5 }), problems: [['data.probe.concurrency', 'data.probe.concurrency: must be string']] },
  {
    name: 'ConfigMap values the spec schema refuses, named by ConfigMap key',
    input: configMap({
      appSlug: 'My App',
      licenseID: LICENSE_ID,
      proxyDomain: 'bad host',
      additionalNamespaces: 'ok,Bad_NS',
      unknownImages: 'maybe',
      pullSecretName: 'X',
      imageFields: 'Task:/bad',
      'probe.concurrency': '0',
      'probe.perRegistryConcurrency': '1.5',
      'probe.insecureRegistries': 'bad host',
      'kyvernoClonePolicy.sourceNamespace': 'NS',
    }),
    problems: [
      ['data.appSlug', 'data.appSlug: must be a lowercase DNS label (a-z, 0-9, -)'],
      ['data.proxyDomain', 'data.proxyDomain: must be a host name, optionally with :port'],
      ['data.additionalNamespaces', 'data.additionalNamespaces: must be a namespace name (a DNS label) or "*"'],
      ['data.unknownImages', 'data.unknownImages: must be one of "private", "public", "error"'],
      ['data.pullSecretName', 'data.pullSecretName: must be a lowercase DNS subdomain'],
      ['data.imageFields', 'data.imageFields: must be a field path like spec/steps[]/image'],
      ['data.probe.concurrency', 'data.probe.concurrency: must be >= 1'],
      ['data.probe.perRegistryConcurrency', 'data.probe.perRegistryConcurrency: must be integer'],
      ['data.probe.insecureRegistries', 'data.probe.insecureRegistries: must be a host name, optionally with :port'],
      ['data.kyvernoClonePolicy.sourceNamespace', 'data.kyvernoClonePolicy.sourceNamespace: is not in the expected form'],
    ],
  },
  { name: 'ConfigMap with an empty licenseID', input: configMap({ appSlug: 'my-app', licenseID: '  ' }), problems: [['data.licenseID', 'data.licenseID: must NOT have fewer than 1 characters']] },
  {
    name: 'ConfigMap licenseIDFromEnv not set',
    input: configMap({ appSlug: 'my-app', licenseIDFromEnv: 'NOT_SET' }),
    problems: [['data.licenseIDFromEnv', 'data.licenseIDFromEnv: environment variable NOT_SET is not set or empty']],
  },
  // The license oneOf is about the data map itself: its path is `data`, not `data.`.
  { name: 'ConfigMap without a license', input: configMap({ appSlug: 'my-app' }), problems: [['data', 'data: exactly one of licenseID, licenseIDFromEnv or license is required']] },
  {
    name: 'ConfigMap with two licenses',
    input: configMap({ appSlug: 'my-app', licenseID: LICENSE_ID, licenseIDFromEnv: 'REGISTRY_PROXY_LICENSE_ID' }),
    problems: [['data', 'data: exactly one of licenseID, licenseIDFromEnv or license is required']],
  },
  {
    // README: "Every problem is reported at once".
    name: 'ConfigMap with a malformed list and a schema error: both reported',
    input: configMap({ appSlug: 'My App', licenseID: LICENSE_ID, knownImages: 'nginx' }),
    problems: [
      ['data.knownImages', 'data.knownImages: entries must look like key=value, separated by commas'],
      ['data.appSlug', 'data.appSlug: must be a lowercase DNS label (a-z, 0-9, -)'],
    ],
  },
];

describe('loadConfig: errors', () => {
  for (const row of errorTable) {
    it(row.name, () => {
      assert.deepEqual(
        problems(row.input, row.env).map((problem) => [problem.field, problem.message]),
        row.problems,
      );
    });
  }

  it('every message starts with its field path', () => {
    for (const row of errorTable) {
      const result = loadConfig(row.input, row.env ?? ENV);
      for (const problem of result.ok ? [] : result.problems) {
        if (problem.field === 'functionConfig') continue;
        assert.ok(problem.message.startsWith(`${problem.field}: `), `${row.name}: ${JSON.stringify(problem)}`);
      }
    }
  });
});

describe('loadConfig: the license ID never appears in a problem', () => {
  it(`is absent from every message and field of the error table (${errorTable.length} inputs, most holding it)`, () => {
    let holding = 0;
    let messages = 0;
    for (const row of errorTable) {
      if (JSON.stringify(row.input ?? null).includes(LICENSE_ID)) holding++;
      const result = loadConfig(row.input, row.env ?? ENV);
      assert.equal(result.ok, false, row.name);
      for (const problem of result.ok ? [] : result.problems) {
        messages++;
        assert.ok(!problem.message.includes(LICENSE_ID), `${row.name}: the license ID is in ${JSON.stringify(problem.message)}`);
        assert.ok(!problem.field.includes(LICENSE_ID), `${row.name}: the license ID is in field ${JSON.stringify(problem.field)}`);
      }
    }
    // The search really looked at inputs that hold the ID, and at many messages.
    assert.ok(holding >= 15, `only ${holding} inputs hold the license ID`);
    assert.ok(messages >= 60, `only ${messages} messages searched`);
  });

  it('is absent when it sits where a value is refused or echoed', () => {
    const inputs: unknown[] = [
      registryProxy({ appSlug: 'my-app', licenseID: LICENSE_ID, unknownImages: LICENSE_ID }),
      registryProxy({ appSlug: 'my-app', licenseID: LICENSE_ID, proxyDomain: `https://${LICENSE_ID}` }),
      registryProxy({ appSlug: LICENSE_ID, licenseID: LICENSE_ID }),
      registryProxy({ appSlug: 'my-app', licenseIDFromEnv: LICENSE_ID }),
      registryProxy({ appSlug: 'my-app', license: { apiVersion: LICENSE_ID, spec: { licenseID: LICENSE_ID } } }),
      registryProxy({ appSlug: 'my-app', licenseID: LICENSE_ID, knownImages: [{ image: 'a', isPrivate: LICENSE_ID }] }),
      license('kots.io/v1beta1', { appSlug: LICENSE_ID, licenseID: LICENSE_ID }),
      configMap({ appSlug: 'my-app', licenseID: LICENSE_ID, unknownImages: LICENSE_ID, rules: `x=${LICENSE_ID}`, knownImages: LICENSE_ID }),
      configMap({ appSlug: 'my-app', licenseID: LICENSE_ID, proxyPublicImages: LICENSE_ID, 'probe.timeoutSeconds': LICENSE_ID }),
    ];
    for (const input of inputs) {
      const result = loadConfig(input, ENV);
      assert.equal(result.ok, false, JSON.stringify(input));
      for (const problem of result.ok ? [] : result.problems) {
        assert.ok(!`${problem.field} ${problem.message}`.includes(LICENSE_ID), `leaked: ${problem.field}: ${problem.message}`);
      }
    }
  });
});

describe('loadConfig: a license ID pasted into licenseIDFromEnv', () => {
  it('is not echoed in the problem (it is a credential)', () => {
    const pasted = '2bViL3pfTLVL0NqaJWzgW0Ibs1V'.replace(/^2/, 'K');
    const result = loadConfig({ apiVersion: 'fn.registry-proxy.dev/v1alpha1', kind: 'RegistryProxy', spec: { appSlug: 'my-app', licenseIDFromEnv: pasted } }, {});
    assert.equal(result.ok, false);
    const messages = result.ok ? [] : result.problems.map((problem) => problem.message);
    assert.deepEqual(messages, ['spec.licenseIDFromEnv: environment variable named there (the name is not shown: it does not look like a variable name and may be the license ID itself) is not set or empty']);
    assert.ok(!messages.join('\n').includes(pasted));
  });

  // Every shape a license may have is kept out of the message; variable names are still named.
  for (const pasted of ['2BVIL3PFTLVL0NQAJWZGW0IBS1V', 'DEADBEEFCAFEBABE0123', 'ABCDEF0123456789', 'k2bViL3p', 'a1b2c3', 'x', 'DEADBEEFCAFE']) {
    it(`does not echo ${pasted.length}-character ${JSON.stringify(pasted.replace(/[A-Za-z0-9]/g, '?'))}`, () => {
      const result = loadConfig({ apiVersion: 'fn.registry-proxy.dev/v1alpha1', kind: 'RegistryProxy', spec: { appSlug: 'my-app', licenseIDFromEnv: pasted } }, {});
      assert.equal(result.ok, false);
      const messages = result.ok ? [] : result.problems.map((problem) => problem.message);
      assert.equal(messages.length, 1);
      assert.ok(!messages[0]!.includes(pasted), messages[0]);
    });
  }
  for (const name of ['LIC', 'LICENSE_ID', 'REGISTRY_PROXY_LICENSE_ID', 'MY_LICENSE_2']) {
    it(`names the variable ${name}`, () => {
      const result = loadConfig({ apiVersion: 'fn.registry-proxy.dev/v1alpha1', kind: 'RegistryProxy', spec: { appSlug: 'my-app', licenseIDFromEnv: name } }, {});
      assert.deepEqual(result.ok ? [] : result.problems.map((problem) => problem.message), [`spec.licenseIDFromEnv: environment variable ${name} is not set or empty`]);
    });
  }
});

describe('loadConfig: a license ID that cannot authenticate', () => {
  // Columns: name; licenseID as written (each source gets the same value); the problem's message tail.
  const table: Array<[string, string, RegExp]> = [
    ['blank', '', /blank|not set or empty|fewer than 1|has no licenseID/],
    ['only spaces', '   ', /blank|not set or empty|fewer than 1|has no licenseID/],
    ['a newline inside', 'abc\ndef', /space, line break or control character inside/],
    ['a NUL inside', 'abc\u0000def', /space, line break or control character inside/],
    ['a space inside', 'abc def', /space, line break or control character inside/],
  ];
  for (const [name, value, message] of table) {
    const sources: Array<[string, unknown, Record<string, string>]> = [
      ['licenseID', { apiVersion: 'fn.registry-proxy.dev/v1alpha1', kind: 'RegistryProxy', spec: { appSlug: 'my-app', licenseID: value } }, {}],
      ['licenseIDFromEnv', { apiVersion: 'fn.registry-proxy.dev/v1alpha1', kind: 'RegistryProxy', spec: { appSlug: 'my-app', licenseIDFromEnv: 'LIC' } }, { LIC: value }],
      ['an embedded License', { apiVersion: 'fn.registry-proxy.dev/v1alpha1', kind: 'RegistryProxy', spec: { appSlug: 'my-app', license: { apiVersion: 'kots.io/v1beta1', kind: 'License', spec: { licenseID: value } } } }, {}],
      ['the License itself', { apiVersion: 'kots.io/v1beta1', kind: 'License', spec: { appSlug: 'my-app', licenseID: value } }, {}],
      ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', data: { appSlug: 'my-app', licenseID: value } }, {}],
    ];
    for (const [source, input, env] of sources) {
      it(`refuses ${name} from ${source}`, () => {
        const result = loadConfig(input, env);
        assert.equal(result.ok, false, `accepted ${JSON.stringify(value)}`);
        const messages = result.ok ? [] : result.problems.map((problem) => problem.message);
        assert.ok(messages.some((line) => message.test(line)), messages.join(' | '));
        if (value.trim().length > 2) assert.ok(!messages.join(' ').includes(value.trim()), messages.join(' | '));
      });
    }
  }
  it('trims a trailing newline, as from a file', () => {
    const result = loadConfig({ apiVersion: 'fn.registry-proxy.dev/v1alpha1', kind: 'RegistryProxy', spec: { appSlug: 'my-app', licenseID: 'abc123\n' } }, {});
    assert.equal(result.ok ? result.loaded.config.licenseID : undefined, 'abc123');
  });
});

describe('loadConfig: the vendor Application (options.application)', () => {
  const application = (spec: Record<string, unknown>): { value: unknown; ref: { apiVersion: string; kind: string; name: string } } => ({
    value: { apiVersion: 'kots.io/v1beta1', kind: 'Application', metadata: { name: 'my-app' }, spec },
    ref: { apiVersion: 'kots.io/v1beta1', kind: 'Application', name: 'my-app' },
  });
  const settings = { proxyRegistryDomain: 'Proxy.Vendor.Example', replicatedRegistryDomain: 'registry.vendor.example', proxyPublicImages: true, additionalNamespaces: ['extra'] };

  it('supplies what the functionConfig leaves unset, and says where the proxy domain came from', () => {
    const result = loadConfig(registryProxy({ appSlug: 'my-app', licenseIDFromEnv: 'REGISTRY_PROXY_LICENSE_ID' }), ENV, { application: application(settings) });
    assert.ok(result.ok);
    assert.deepEqual(result.loaded.config, defaults({ proxyDomain: 'proxy.vendor.example', registryDomain: 'registry.vendor.example', proxyPublicImages: true, additionalNamespaces: ['extra'] }));
    assert.equal(result.loaded.proxyDomainSource, 'the Application (spec.proxyRegistryDomain, deprecated)');
    assert.equal(result.loaded.warnings, undefined);
  });

  it('yields to the functionConfig and to the License', () => {
    const spec = {
      appSlug: 'my-app',
      proxyPublicImages: false,
      additionalNamespaces: [],
      registryDomain: 'registry.example',
      license: { apiVersion: 'kots.io/v1beta1', kind: 'License', spec: { licenseID: LICENSE_ID, replicatedProxyDomain: 'proxy.license.example' } },
    };
    const result = loadConfig(registryProxy(spec), ENV, { application: application(settings) });
    assert.ok(result.ok);
    assert.deepEqual(
      [result.loaded.config.proxyDomain, result.loaded.config.registryDomain, result.loaded.config.proxyPublicImages, result.loaded.config.additionalNamespaces],
      ['proxy.license.example', 'registry.example', false, []],
    );
  });

  it('turns values it cannot use into warnings about the Application item', () => {
    const result = loadConfig(registryProxy({ appSlug: 'my-app', licenseID: LICENSE_ID }), ENV, { application: application({ proxyRegistryDomain: 'https://x/', additionalNamespaces: ['ok', 'Not_OK'] }) });
    assert.ok(result.ok);
    assert.deepEqual(result.loaded.warnings, [
      { message: 'spec.additionalNamespaces: "Not_OK" is not a namespace name: ignored', resourceRef: application({}).ref },
      { message: 'spec.proxyRegistryDomain: must be a host name, optionally with :port: ignored', resourceRef: application({}).ref },
    ]);
    assert.deepEqual([result.loaded.config.proxyDomain, result.loaded.config.additionalNamespaces], ['proxy.replicated.com', ['ok']]);
  });
});

describe('loadConfig: needsCredentials false (the caller writes no pull Secret)', () => {
  it('needs no license and reads none from the environment', () => {
    for (const spec of [{ appSlug: 'my-app' }, { appSlug: 'my-app', licenseIDFromEnv: 'UNSET_VARIABLE' }, { appSlug: 'my-app', pullSecretMode: 'externalSecret' }]) {
      const result = loadConfig(registryProxy(spec), {}, { needsCredentials: false });
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual([result.loaded.config.licenseID, result.loaded.config.pullSecretMode], ['', 'reference']);
    }
    assert.equal(loadConfig(registryProxy({ appSlug: 'my-app', licenseIDFromEnv: 'UNSET_VARIABLE' }), {}).ok, false);
  });

  it('keeps a local registry named with credentials authenticated without reading them', () => {
    const localRegistry = { host: 'registry.local:5000', usernameFromEnv: 'LOCAL_USER', passwordFromEnv: 'LOCAL_PASSWORD' };
    const result = loadConfig(registryProxy({ appSlug: 'my-app', localRegistry }), {}, { needsCredentials: false });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.loaded.config.localRegistry?.credentials, { username: '', password: '' });
    assert.equal(result.loaded.config.pullSecretMode, 'inline');
    assert.equal(loadConfig(registryProxy({ appSlug: 'my-app', localRegistry }), {}).ok, false);
  });
});

describe("loadConfig: mode 'check' (registry-proxy check)", () => {
  it('checks whatever mode the functionConfig names, in each of its three kinds, and reads no license ID', () => {
    const inputs = [
      registryProxy({ appSlug: 'my-app', mode: 'transform', licenseIDFromEnv: 'UNSET_VARIABLE' }),
      configMap({ appSlug: 'my-app', mode: 'transform' }),
      license('kots.io/v1beta1', { appSlug: 'my-app', licenseID: LICENSE_ID }),
    ];
    for (const input of inputs) {
      const result = loadConfig(input, {}, { mode: 'check' });
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual([result.loaded.config.mode, result.loaded.config.licenseID], ['check', '']);
      const unchecked = loadConfig(input, {});
      assert.ok(!unchecked.ok || unchecked.loaded.config.mode === 'transform', 'without the option the functionConfig\'s own mode holds');
    }
  });
});

describe('loadConfig: the loaded config is read-only', () => {
  it('is frozen throughout, and the functionConfig given is left as it was', () => {
    const input = registryProxy({ appSlug: 'my-app', licenseID: LICENSE_ID, knownImages: [{ image: 'nginx' }] });
    const before = JSON.stringify(input);
    const result = loadConfig(input, ENV);
    assert.ok(result.ok);
    assert.equal(JSON.stringify(input), before, 'the validator filled its defaults into the caller\'s value');
    const { config } = result.loaded;
    for (const value of [result.loaded, config, config.probe, config.probe.insecureRegistries, config.knownImages, config.knownImages[0], config.secretAnnotations, config.kyvernoClonePolicy]) {
      assert.ok(Object.isFrozen(value), JSON.stringify(value));
    }
  });
});
