// The configuration the rest of the function works with: validated, defaulted, read-only. Its fields
// take their types from the schema (spec-types.ts); only what loading resolves (the license ID, the
// domains, the License's expiry, the local registry's credentials) is stated here.
import type { ResourceRef } from '../results.js';
import { registryProxySpecSchema } from './schema.js';
import type { RegistryProxySpec } from './spec-types.js';

type Spec = RegistryProxySpec;

export type FieldSpec = Spec['imageFields'][number];
export type ProbeSettings = Spec['probe'];
export type LinkedRegistry = Spec['linkedRegistries'][number];
export type PullSecretMode = Spec['pullSecretMode'];

export interface Config
  extends Pick<
    Spec,
    | 'appSlug'
    | 'proxyPublicImages'
    | 'additionalNamespaces'
    | 'knownImages'
    | 'rules'
    | 'unknownImages'
    | 'secretAnnotations'
    | 'secretLabels'
    | 'patchWorkloads'
    | 'imageFields'
    | 'invalidImages'
    | 'probe'
    | 'patchServiceAccounts'
    | 'pullSecretUsername'
    | 'linkedRegistries'
    | 'unlinkedRegistries'
    | 'expiredLicense'
    | 'expiryWarningDays'
    | 'pullSecretMode'
    | 'substitution'
    | 'mode'
    | 'allowedRegistries'
  > {
  /**
   * A credential: only ever written into the generated Secret's data. The pull Secret's password: the
   * license ID, or the service-account token when serviceAccountTokenFromEnv is set; '' when not needed.
   */
  readonly licenseID: string;
  /** Precedence: spec.proxyDomain, the License, the Application, the (staging) default. */
  readonly proxyDomain: string;
  readonly registryDomain: string;
  /** spec.pullSecretName, else <appSlug>-registry. */
  readonly pullSecretName: string;
  readonly kyvernoClonePolicy: { readonly enabled: boolean; readonly sourceNamespace: string | undefined };
  /** From the License's spec.entitlements.expires_at; undefined: it never expires (or no License). */
  readonly licenseExpiry: LicenseExpiry | undefined;
  readonly externalSecret: ExternalSecretSettings | undefined;
  /** Air gap / bring-your-own registry: every image is rewritten to it, no verdicts, no probe. */
  readonly localRegistry?: LocalRegistry | undefined;
}

export interface LocalRegistry {
  /** Lowercase host, optionally with :port. */
  readonly host: string;
  readonly namespace: string | undefined;
  readonly layout: NonNullable<Spec['localRegistry']>['layout'];
  /**
   * Read from usernameFromEnv / passwordFromEnv; undefined: an anonymous registry (no Secret). Loaded
   * with needsCredentials false, both are '' (not read) wherever the variables are named.
   */
  readonly credentials: { readonly username: string; readonly password: string } | undefined;
  readonly insecure: boolean;
}

export interface LicenseExpiry {
  readonly expiresAt: Date;
  /** The field path it was read from, for results. */
  readonly field: string;
}

export interface ExternalSecretSettings {
  readonly secretStoreRef: NonNullable<Spec['externalSecret']>['secretStoreRef'];
  readonly remoteRef: { readonly key: string; readonly property: string | undefined };
  readonly refreshInterval: string | undefined;
}

/** Fields a vendor's kots.io Application may supply when the functionConfig leaves them unset. */
export type ApplicationField = 'additionalNamespaces' | 'proxyPublicImages' | 'proxyDomain' | 'registryDomain';

export interface LoadedConfig {
  readonly config: Config;
  /** The Application fields the functionConfig left unset (the Application, when given, filled them). */
  readonly unset: ReadonlySet<ApplicationField>;
  /** Where the configuration came from, for the summary: "RegistryProxy", "License", "ConfigMap". */
  readonly source: string;
  /** Where proxyDomain came from, for the info result: "spec.proxyDomain", "the License (…)", "the default". */
  readonly proxyDomainSource?: string;
  /** Settings that load but probably do not do what was meant (also the Application's): each a warning result. */
  readonly warnings?: readonly ConfigWarning[];
}

export interface ConfigWarning {
  readonly message: string;
  /** The functionConfig field it is about. */
  readonly field?: string;
  /** Or the item it is about (the Application). */
  readonly resourceRef?: ResourceRef;
}

const specDefaults = registryProxySpecSchema.properties;

// Named views of the schema's defaults, for the modules that compare against them.
export const DEFAULT_PROXY_DOMAIN = specDefaults.proxyDomain.default;
export const DEFAULT_REGISTRY_DOMAIN = specDefaults.registryDomain.default;
export const DEFAULT_PULL_SECRET_USERNAME = specDefaults.pullSecretUsername.default;

// What a staging License (its endpoint on STAGING_ENDPOINT_HOST) selects instead of the defaults.
export const STAGING_PROXY_DOMAIN = 'proxy.staging.replicated.com';
export const STAGING_REGISTRY_DOMAIN = 'registry.staging.replicated.com';
export const STAGING_ENDPOINT_HOST = 'staging.replicated.app';
