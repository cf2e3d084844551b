// The configuration the rest of the function works with, already validated and defaulted.

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
}

export interface ProbeSettings {
  enabled: boolean;
  timeoutSeconds: number;
  deadlineSeconds: number;
  concurrency: number;
  perRegistryConcurrency: number;
  insecureRegistries: string[];
  allowPrivateAddresses: boolean;
  credentials: Array<{ registry: string; usernameFromEnv: string; passwordFromEnv: string }>;
}

export interface Config {
  appSlug: string;
  /**
   * A credential: only ever written into the generated Secret's data. The pull Secret's password: the
   * license ID, or the service-account token when serviceAccountTokenFromEnv is set.
   */
  licenseID: string;
  proxyDomain: string;
  registryDomain: string;
  proxyPublicImages: boolean;
  additionalNamespaces: string[];
  knownImages: Array<{ image: string; isPrivate: boolean }>;
  rules: Array<{ match: string; private: boolean }>;
  unknownImages: 'private' | 'public' | 'error';
  pullSecretName: string;
  secretAnnotations: Record<string, string>;
  secretLabels: Record<string, string>;
  patchWorkloads: 'all' | 'proxied' | 'none';
  imageFields: FieldSpec[];
  invalidImages: 'error' | 'warn';
  probe: ProbeSettings;
  /** Also reference the pull Secret from ServiceAccounts: those in the items, and generated `default` ones. */
  patchServiceAccounts: 'none' | 'items' | 'itemsAndDefault';
  /** Emit a Kyverno ClusterPolicy that clones the pull Secret into every namespace, present and future. */
  kyvernoClonePolicy: { enabled: boolean; sourceNamespace: string | undefined };
  /** The pull Secret's username: the literal LICENSE_ID (KOTS), or e.g. the customer's email. */
  pullSecretUsername: string;
  /** The external registries linked in the Vendor Portal; empty: every registry is assumed linked. */
  linkedRegistries: LinkedRegistry[];
  unlinkedRegistries: 'error' | 'warn';
  /** From the License's spec.entitlements.expires_at; undefined: it never expires (or no License). */
  licenseExpiry: LicenseExpiry | undefined;
  expiredLicense: 'error' | 'warn';
  expiryWarningDays: number;
  /** How the pull Secret reaches the cluster; every mode but inline needs no license ID (licenseID is ''). */
  pullSecretMode: PullSecretMode;
  externalSecret: ExternalSecretSettings | undefined;
  substitution: { variable: string };
  /** check: items unchanged, what the transform would change becomes errors. */
  mode: 'transform' | 'check';
  /** Check mode: globs over the normalized repository; empty means no restriction. */
  allowedRegistries: string[];
  /** Air gap / bring-your-own registry: every image is rewritten to it, no verdicts, no probe. */
  localRegistry?: LocalRegistry | undefined;
}

export interface LocalRegistry {
  /** Lowercase host, optionally with :port. */
  host: string;
  namespace: string | undefined;
  /** path: Embedded Cluster v3 (host dropped, path kept); kots: KOTS's DestImage (last path segment). */
  layout: 'path' | 'kots';
  /** Read from usernameFromEnv / passwordFromEnv; undefined: an anonymous registry (no Secret). */
  credentials: { username: string; password: string } | undefined;
  insecure: boolean;
}

export interface LinkedRegistry {
  /** Lowercase, as normalized: docker.io for Docker Hub. */
  registry: string;
  /** The Vendor Portal's Registry Name: the proxied name's path segment instead of the host. */
  name?: string;
}

export interface LicenseExpiry {
  expiresAt: Date;
  /** The field path it was read from, for results. */
  field: string;
}

export type PullSecretMode = 'inline' | 'reference' | 'externalSecret' | 'substitution';

export interface ExternalSecretSettings {
  secretStoreRef: { name: string; kind: 'SecretStore' | 'ClusterSecretStore' };
  remoteRef: { key: string; property: string | undefined };
  refreshInterval: string | undefined;
}

export const DEFAULT_SUBSTITUTION_VARIABLE = 'REGISTRY_PROXY_LICENSE_ID';

/** Fields a vendor's kots.io Application may supply when the functionConfig leaves them unset. */
export type ApplicationField = 'additionalNamespaces' | 'proxyPublicImages' | 'proxyDomain' | 'registryDomain';

export interface LoadedConfig {
  config: Config;
  unset: Set<ApplicationField>;
  /** Where the configuration came from, for the summary: "RegistryProxy", "License", "ConfigMap". */
  source: string;
  /** Where proxyDomain came from, for the info result: "spec.proxyDomain", "the License (…)", "the default". */
  proxyDomainSource?: string;
  /** Settings that load but probably do not do what was meant: each becomes a warning result. */
  warnings?: Array<{ field: string; message: string }>;
}

export const DEFAULT_PROXY_DOMAIN = 'proxy.replicated.com';
export const DEFAULT_REGISTRY_DOMAIN = 'registry.replicated.com';
export const STAGING_PROXY_DOMAIN = 'proxy.staging.replicated.com';
export const STAGING_REGISTRY_DOMAIN = 'registry.staging.replicated.com';
export const STAGING_ENDPOINT_HOST = 'staging.replicated.app';
export const DEFAULT_PULL_SECRET_USERNAME = 'LICENSE_ID';
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;
export const DEFAULT_SECRET_ANNOTATIONS: Readonly<Record<string, string>> = { 'kots.io/creation-phase': '-9999' };

export const DEFAULT_PROBE: Readonly<ProbeSettings> = {
  enabled: true,
  timeoutSeconds: 10,
  deadlineSeconds: 60,
  concurrency: 10,
  perRegistryConcurrency: 4,
  insecureRegistries: [],
  allowPrivateAddresses: false,
  credentials: [],
};
