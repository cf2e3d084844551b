// A complete Config with the documented defaults, for unit tests of modules that take a Config. The
// defaults themselves are specified independently in test/config/load-config.test.ts.
import { DEFAULT_PROBE, DEFAULT_SECRET_ANNOTATIONS, type Config } from '../../fn/config/config.js';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    appSlug: 'my-app',
    licenseID: 'abc',
    proxyDomain: 'proxy.replicated.com',
    registryDomain: 'registry.replicated.com',
    proxyPublicImages: false,
    additionalNamespaces: [],
    knownImages: [],
    rules: [],
    unknownImages: 'private',
    pullSecretName: 'my-app-registry',
    secretAnnotations: { ...DEFAULT_SECRET_ANNOTATIONS },
    secretLabels: {},
    patchWorkloads: 'all',
    imageFields: [],
    invalidImages: 'error',
    probe: { ...DEFAULT_PROBE, insecureRegistries: [], credentials: [] },
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
