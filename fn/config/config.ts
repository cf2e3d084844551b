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
  credentials: Array<{ registry: string; usernameFromEnv: string; passwordFromEnv: string }>;
}

export interface Config {
  appSlug: string;
  /** A credential: only ever written into the generated Secret's data. */
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
  /** How the pull Secret reaches the cluster; every mode but inline needs no license ID (licenseID is ''). */
  pullSecretMode: PullSecretMode;
  externalSecret: ExternalSecretSettings | undefined;
  substitution: { variable: string };
  /** check: items unchanged, what the transform would change becomes errors. */
  mode: 'transform' | 'check';
  /** Check mode: globs over the normalized repository; empty means no restriction. */
  allowedRegistries: string[];
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
}

export const DEFAULT_PROXY_DOMAIN = 'proxy.replicated.com';
export const DEFAULT_REGISTRY_DOMAIN = 'registry.replicated.com';
export const STAGING_PROXY_DOMAIN = 'proxy.staging.replicated.com';
export const STAGING_REGISTRY_DOMAIN = 'registry.staging.replicated.com';
export const STAGING_ENDPOINT_HOST = 'staging.replicated.app';
export const DEFAULT_SECRET_ANNOTATIONS: Readonly<Record<string, string>> = { 'kots.io/creation-phase': '-9999' };

export const DEFAULT_PROBE: Readonly<ProbeSettings> = {
  enabled: true,
  timeoutSeconds: 10,
  deadlineSeconds: 60,
  concurrency: 10,
  perRegistryConcurrency: 4,
  insecureRegistries: [],
  credentials: [],
};
