// Turns a functionConfig (RegistryProxy, the customer's License, or a ConfigMap) and the vendor's
// Application among the items into a Config: schema validation and defaults (the generated validators,
// from schema.ts) -> the Application's settings -> cross-field checks, every problem reported at once, the
// license ID never echoed. The Config it returns is frozen: nothing changes it after loading.
import type { ErrorObject } from 'ajv';
import { readLicenseFacts } from '../license/license-facts.js';
import type { ResourceRef } from '../results.js';
import { readApplicationSettings } from './application-defaults.js';
import {
  STAGING_ENDPOINT_HOST,
  STAGING_PROXY_DOMAIN,
  STAGING_REGISTRY_DOMAIN,
  type ApplicationField,
  type Config,
  type ConfigWarning,
  type ExternalSecretSettings,
  type LocalRegistry,
  type LoadedConfig,
} from './config.js';
import { convertConfigMapData } from './configmap-data.js';
import { isRecord } from './is-record.js';
import type { RegistryProxySpec } from './spec-types.js';
import { validateConfigMapData, validateSpec } from './validators.generated.js';


export interface ConfigProblem {
  field: string;
  message: string;
}

export type ConfigResult = { ok: true; loaded: LoadedConfig } | { ok: false; problems: ConfigProblem[] };

/** The vendor's kots.io/v1beta1 Application item (fn/find-application.ts finds it). */
export interface ApplicationItem {
  /** The item as plain data. */
  value: unknown;
  ref: ResourceRef;
}

export interface LoadOptions {
  /** The vendor's Application among the items: it supplies what the functionConfig leaves unset. */
  application?: ApplicationItem | undefined;
  /**
   * false: the caller writes no pull Secret (known-images, images, kustomize), so no credential is read
   * and none is required. The config loads as in pullSecretMode reference, except with a localRegistry,
   * whose pull Secret mode decides which pod specs get imagePullSecrets: that mode stays, and its
   * usernameFromEnv/passwordFromEnv are taken as given (credentials '') without being read.
   */
  needsCredentials?: boolean;
  /** 'check': `registry-proxy check` asks for check mode whatever the functionConfig's own mode says. */
  mode?: 'check';
}

export const REGISTRY_PROXY_API_VERSION = 'fn.registry-proxy.dev/v1alpha1';
const ACCEPTED =
  `expected a RegistryProxy (${REGISTRY_PROXY_API_VERSION}), a License (kots.io/v1beta1 or kots.io/v1beta2) or a ConfigMap (v1)`;

const APPLICATION_FIELDS: readonly ApplicationField[] = ['additionalNamespaces', 'proxyPublicImages', 'proxyDomain', 'registryDomain'];

type Env = Readonly<Record<string, string | undefined>>;
type FieldOf = (path: string) => string;

/** Where a spec sits in the functionConfig, for field paths in problems. */
interface SpecPlace {
  root: string;
  source: string;
  fieldOf: FieldOf;
  licensePath: string;
}

export function loadConfig(functionConfig: unknown, env: Env, options: LoadOptions = {}): ConfigResult {
  if (functionConfig === undefined || functionConfig === null) {
    return fail('functionConfig', `no functionConfig: ${ACCEPTED}`);
  }
  if (!isRecord(functionConfig)) return fail('functionConfig', `functionConfig is not a map: ${ACCEPTED}`);
  const apiVersion = functionConfig['apiVersion'];
  const kind = functionConfig['kind'];
  if (kind === 'RegistryProxy' && apiVersion === REGISTRY_PROXY_API_VERSION) {
    return loadSpec(functionConfig['spec'], place('spec', 'RegistryProxy'), env, options);
  }
  if (kind === 'License' && (apiVersion === 'kots.io/v1beta1' || apiVersion === 'kots.io/v1beta2')) {
    return loadLicense(functionConfig, env, options);
  }
  if (kind === 'ConfigMap' && apiVersion === 'v1') {
    const data = functionConfig['data'] ?? {};
    if (!validateConfigMapData(data)) return { ok: false, problems: describeErrors(validateConfigMapData.errors ?? [], place('data', 'ConfigMap').fieldOf) };
    const converted = convertConfigMapData(data);
    const loaded = loadSpec(converted.spec, { ...place('data', 'ConfigMap'), fieldOf: converted.fieldOf, licensePath: converted.fieldOf('.license') }, env, options);
    if (converted.ok) return loaded;
    return { ok: false, problems: [...converted.problems, ...(loaded.ok ? [] : loaded.problems)] };
  }
  return fail('functionConfig', `unsupported functionConfig ${String(kind ?? '(no kind)')} ${String(apiVersion ?? '(no apiVersion)')}: ${ACCEPTED}`);
}

function place(root: string, source: string): SpecPlace {
  const fieldOf: FieldOf = (path) => `${root}${path}`;
  return { root, source, fieldOf, licensePath: fieldOf('.license') };
}

function loadLicense(license: Record<string, unknown>, env: Env, options: LoadOptions): ConfigResult {
  const spec = isRecord(license['spec']) ? license['spec'] : {};
  const appSlug = spec['appSlug'];
  const problems: ConfigProblem[] = [];
  if (typeof appSlug !== 'string' || appSlug === '') problems.push({ field: 'spec.appSlug', message: 'spec.appSlug: the License has no appSlug' });
  if (typeof spec['licenseID'] !== 'string' || spec['licenseID'].trim() === '') {
    problems.push({ field: 'spec.licenseID', message: 'spec.licenseID: the License has no licenseID' });
  }
  if (problems.length > 0) return { ok: false, problems };
  return loadSpec({ appSlug, license }, { ...place('spec', 'License'), licensePath: '' }, env, options);
}

function loadSpec(input: unknown, at: SpecPlace, env: Env, options: LoadOptions): ConfigResult {
  const { root, fieldOf } = at;
  if (input === undefined || input === null) return fail(root, `${root}: missing: ${root === 'spec' ? 'spec.appSlug and a license are required' : 'appSlug and a license are required'}`);
  const needsCredentials = options.needsCredentials ?? true;
  // Before the validator fills in the defaults: which fields the functionConfig itself sets.
  const given = new Set(isRecord(input) ? Object.keys(input) : []);
  // The validator writes the defaults into what it validates: a copy, never the caller's value.
  const candidate = structuredClone(input);
  if (!needsCredentials && isRecord(candidate) && candidate['localRegistry'] === undefined) candidate['pullSecretMode'] = 'reference';
  if (options.mode !== undefined && isRecord(candidate)) candidate['mode'] = options.mode;
  if (!validateSpec(candidate)) return { ok: false, problems: describeErrors(validateSpec.errors ?? [], fieldOf) };
  const spec = candidate;
  const problems: ConfigProblem[] = [];
  // Only an inline Secret holds the license ID: the other modes and check mode never read it. A
  // service-account token is the password instead of the license ID: then none is needed.
  // The local registry's own credentials are the pull Secret's: no license ID either.
  const licenseID =
    spec.pullSecretMode !== 'inline' || spec.mode !== 'transform' || spec.localRegistry !== undefined
      ? ''
      : spec.serviceAccountTokenFromEnv === undefined
        ? resolveLicenseID(spec, env, root, fieldOf, problems)
        : resolveToken(spec.serviceAccountTokenFromEnv, env, fieldOf, problems);
  const staging = isStagingLicense(spec.license);
  const licenseFacts = readLicenseFacts(spec.license, at.licensePath);
  problems.push(...licenseFacts.problems);
  const unset = new Set(APPLICATION_FIELDS.filter((field) => !given.has(field)));
  if (licenseFacts.proxyDomain !== undefined) unset.delete('proxyDomain');
  const application = options.application === undefined ? undefined : readApplicationSettings(options.application.value, unset);
  // Precedence of the proxy domain: spec.proxyDomain > the License > the Application > the defaults.
  const proxyDomainSource = given.has('proxyDomain')
    ? fieldOf('.proxyDomain')
    : (licenseFacts.proxyDomain?.source ?? application?.proxyDomainSource ?? (staging ? "the staging default (the License's endpoint)" : 'the default'));
  const localRegistry = readLocalRegistry(spec, env, fieldOf, problems, needsCredentials);
  const config: Config = {
    appSlug: spec.appSlug,
    licenseID: licenseID ?? '',
    proxyDomain: given.has('proxyDomain')
      ? spec.proxyDomain.toLowerCase()
      : (licenseFacts.proxyDomain?.value ?? application?.proxyDomain ?? (staging ? STAGING_PROXY_DOMAIN : spec.proxyDomain)),
    registryDomain: given.has('registryDomain') ? spec.registryDomain.toLowerCase() : (application?.registryDomain ?? (staging ? STAGING_REGISTRY_DOMAIN : spec.registryDomain)),
    proxyPublicImages: application?.proxyPublicImages ?? spec.proxyPublicImages,
    additionalNamespaces: application?.additionalNamespaces ?? spec.additionalNamespaces,
    knownImages: spec.knownImages,
    rules: spec.rules,
    unknownImages: spec.unknownImages,
    pullSecretName: spec.pullSecretName ?? `${spec.appSlug}-registry`,
    secretAnnotations: spec.secretAnnotations,
    secretLabels: spec.secretLabels,
    patchWorkloads: spec.patchWorkloads,
    imageFields: spec.imageFields,
    invalidImages: spec.invalidImages,
    probe: spec.probe,
    patchServiceAccounts: spec.patchServiceAccounts,
    kyvernoClonePolicy: { enabled: spec.kyvernoClonePolicy.enabled, sourceNamespace: spec.kyvernoClonePolicy.sourceNamespace },
    pullSecretUsername: spec.pullSecretUsername,
    linkedRegistries: spec.linkedRegistries.map((entry) => ({ ...entry, registry: normalizeRegistryHost(entry.registry) })),
    unlinkedRegistries: spec.unlinkedRegistries,
    licenseExpiry: licenseFacts.expiry,
    expiredLicense: spec.expiredLicense,
    expiryWarningDays: spec.expiryWarningDays,
    pullSecretMode: spec.pullSecretMode,
    externalSecret: readExternalSecret(spec.externalSecret),
    substitution: spec.substitution,
    mode: spec.mode,
    allowedRegistries: spec.allowedRegistries,
    ...(localRegistry === undefined ? {} : { localRegistry }),
  };
  if (spec.pullSecretMode === 'externalSecret' && config.externalSecret === undefined) {
    problems.push({ field: fieldOf('.externalSecret'), message: `${fieldOf('.externalSecret')}: pullSecretMode externalSecret needs externalSecret.secretStoreRef and externalSecret.remoteRef` });
  }
  if (config.pullSecretName.length > 253) {
    problems.push({ field: fieldOf('.pullSecretName'), message: `${fieldOf('.appSlug')}: the default pull Secret name would be longer than 253 characters` });
  }
  if (problems.length > 0) return { ok: false, problems };
  const applicationRef = options.application?.ref;
  const warnings: ConfigWarning[] = (application?.problems ?? []).map((problem) => ({ message: `${problem}: ignored`, ...(applicationRef === undefined ? {} : { resourceRef: applicationRef }) }));
  if (spec.serviceAccountTokenFromEnv !== undefined && !given.has('pullSecretUsername')) {
    // Replicated documents token logins with the account's email as username, never with LICENSE_ID.
    warnings.push({
      field: fieldOf('.pullSecretUsername'),
      message: `the pull Secret pairs the service-account token with the username ${spec.pullSecretUsername}; Replicated documents token logins as docker login -u <the service account's email> -p <token>: set pullSecretUsername`,
    });
  }
  const loaded: LoadedConfig = { config: deepFreeze(config), unset, source: at.source, proxyDomainSource, ...(warnings.length > 0 ? { warnings } : {}) };
  return { ok: true, loaded: Object.freeze(loaded) };
}

/** Freezes a plain data tree in place (a Date stays as it is: nothing here sets one). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof Date || Object.isFrozen(value)) return value;
  for (const entry of Object.values(value)) deepFreeze(entry);
  return Object.freeze(value);
}

/**
 * `localRegistry` with its credentials read from the environment. Only inline and reference make sense
 * there: the other modes template the license ID, which the customer's registry does not take.
 */
function readLocalRegistry(spec: RegistryProxySpec, env: Env, fieldOf: FieldOf, problems: ConfigProblem[], needsCredentials: boolean): LocalRegistry | undefined {
  const value = spec.localRegistry;
  if (value === undefined) return undefined;
  const mode = spec.pullSecretMode;
  if (mode === 'externalSecret' || mode === 'substitution') {
    problems.push({ field: fieldOf('.pullSecretMode'), message: `${fieldOf('.pullSecretMode')}: ${mode} templates the license ID, which localRegistry does not use: use inline (the registry's credentials from localRegistry.usernameFromEnv and passwordFromEnv) or reference` });
  }
  if (spec.mode === 'check') problems.push({ field: fieldOf('.mode'), message: `${fieldOf('.mode')}: check mode does not support localRegistry yet` });
  let credentials: LocalRegistry['credentials'];
  const { usernameFromEnv, passwordFromEnv } = value;
  if (usernameFromEnv !== undefined && passwordFromEnv !== undefined && mode !== 'reference') {
    if (!needsCredentials) credentials = { username: '', password: '' };
    else {
      const read = (key: 'usernameFromEnv' | 'passwordFromEnv', name: string): string | undefined => {
        const found = env[name];
        if (found !== undefined && found.trim() !== '') return found.trim();
        const field = fieldOf(`.localRegistry.${key}`);
        const named = looksLikeVariableName(name) ? name : 'named there (the name is not shown: it does not look like a variable name and may be the credential itself)';
        problems.push({ field, message: `${field}: environment variable ${named} is not set or empty (it should hold the registry ${key === 'usernameFromEnv' ? 'username' : 'password'})` });
        return undefined;
      };
      const username = read('usernameFromEnv', usernameFromEnv);
      const password = read('passwordFromEnv', passwordFromEnv);
      if (username !== undefined && username.includes(':')) problems.push({ field: fieldOf('.localRegistry.usernameFromEnv'), message: `${fieldOf('.localRegistry.usernameFromEnv')}: the username must not contain ":" (it is the username of a basic-auth pair)` });
      if (username !== undefined && password !== undefined) credentials = { username, password };
    }
  }
  return { host: value.host.toLowerCase(), namespace: value.namespace, layout: value.layout, credentials, insecure: value.insecure };
}

/** Docker Hub's other spellings fold to docker.io, as image names do (distribution's normalize.go). */
function normalizeRegistryHost(host: string): string {
  const lower = host.toLowerCase();
  return lower === 'index.docker.io' || lower === 'registry-1.docker.io' ? 'docker.io' : lower;
}

function resolveToken(name: string, env: Env, fieldOf: FieldOf, problems: ConfigProblem[]): string | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    const field = fieldOf('.serviceAccountTokenFromEnv');
    // A token pasted here by mistake must not be echoed: it is a credential.
    const named = looksLikeVariableName(name) ? name : 'named there (the name is not shown: it does not look like a variable name and may be the token itself)';
    problems.push({ field, message: `${field}: environment variable ${named} is not set or empty (it should hold the Enterprise Portal service-account token)` });
    return undefined;
  }
  return value.trim();
}

function readExternalSecret(value: RegistryProxySpec['externalSecret']): ExternalSecretSettings | undefined {
  if (value === undefined) return undefined;
  return {
    secretStoreRef: { name: value.secretStoreRef.name, kind: value.secretStoreRef.kind },
    remoteRef: { key: value.remoteRef.key, property: value.remoteRef.property },
    refreshInterval: value.refreshInterval,
  };
}

function resolveLicenseID(spec: RegistryProxySpec, env: Env, root: string, fieldOf: FieldOf, problems: ConfigProblem[]): string | undefined {
  if (typeof spec.licenseID === 'string') return checkLicenseID(spec.licenseID, fieldOf('.licenseID'), 'licenseID', problems);
  const fromEnv = spec.licenseIDFromEnv;
  if (typeof fromEnv === 'string') {
    const value = env[fromEnv];
    // A license ID pasted here by mistake must not be echoed: it is a credential.
    const named = looksLikeVariableName(fromEnv) ? fromEnv : 'named there (the name is not shown: it does not look like a variable name and may be the license ID itself)';
    if (value === undefined || value.trim() === '') {
      problems.push({
        field: fieldOf('.licenseIDFromEnv'),
        message: `${fieldOf('.licenseIDFromEnv')}: environment variable ${named} is not set or empty${inContainerHint(env, fromEnv === named ? fromEnv : 'NAME')}`,
      });
      return undefined;
    }
    return checkLicenseID(value, fieldOf('.licenseIDFromEnv'), `environment variable ${named}`, problems);
  }
  if (spec.license !== undefined) return checkLicenseID(spec.license.spec.licenseID, fieldOf('.license.spec.licenseID'), 'the License', problems);
  problems.push({ field: root, message: `${root}: a license is required (licenseID, licenseIDFromEnv or license; or serviceAccountTokenFromEnv, or a pullSecretMode other than inline)` });
  return undefined;
}

/**
 * A license ID as the proxy needs it: surrounding whitespace trimmed (a trailing newline from a file or
 * a Secret), and then one token of printable characters. Anything else cannot authenticate and would
 * fail only at pull time; the message never quotes the value.
 */
function checkLicenseID(value: string, field: string, where: string, problems: ConfigProblem[]): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') {
    problems.push({ field, message: `${field}: the license ID from ${where} is blank` });
    return undefined;
  }
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(trimmed)) {
    problems.push({ field, message: `${field}: the license ID from ${where} has a space, line break or control character inside, so it cannot authenticate` });
    return undefined;
  }
  return trimmed;
}

/**
 * The image sets REGISTRY_PROXY_CONTAINER: there the environment is the container's, which holds only what
 * the orchestrator passed, and `kpt fn render` passes nothing; say so, and what works instead.
 */
function inContainerHint(env: Env, name: string): string {
  if (env['REGISTRY_PROXY_CONTAINER'] !== 'true') return '';
  return ` in the function's container (kpt fn render passes no environment to a container function: put licenseID in the functionConfig, use an exec: pipeline entry, or run kpt fn eval --env ${name}; kustomize: envs: [${name}])`;
}

/**
 * Whether a licenseIDFromEnv value is safe to echo: upper-case words joined by underscores, as variables
 * are named (LICENSE_ID, REGISTRY_PROXY_LICENSE_ID, LIC). A value with digits and no underscore, lower
 * case, or of any other shape may be the license itself and is not echoed.
 */
function looksLikeVariableName(name: string): boolean {
  if (name.length > 64 || !/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/.test(name) || /^[A-F0-9_]{8,}$/.test(name)) return false;
  return name.includes('_') ? /[A-Z]{2}/.test(name) : !/[0-9]/.test(name) && name.length <= 16;
}

export function isStagingLicense(license: unknown): boolean {
  if (!isRecord(license) || !isRecord(license['spec'])) return false;
  const endpoint = license['spec']['endpoint'];
  if (typeof endpoint !== 'string') return false;
  try {
    return new URL(endpoint).hostname === STAGING_ENDPOINT_HOST;
  } catch {
    return false;
  }
}

/** ajv errors as one problem each, in field-path form, without ever quoting the offending value. */
function describeErrors(errors: readonly ErrorObject[], fieldOf: FieldOf): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.schemaPath.includes('/oneOf/') || error.schemaPath.includes('/anyOf/') || error.keyword === 'if') continue;
    const path = fieldOf(jsonPointerToPath(error.instancePath));
    let message: string;
    if (error.keyword === 'additionalProperties') {
      message = `${path}: unknown field "${String(error.params['additionalProperty'])}"`;
    } else if (error.keyword === 'oneOf') {
      message = `${path}: exactly one of licenseID, licenseIDFromEnv or license is required`;
    } else if (error.keyword === 'not' && error.schemaPath === '#/then/not') {
      message = `${path}: at most one of licenseID, licenseIDFromEnv or license (this mode needs none)`;
    } else if (error.keyword === 'enum') {
      const allowed: unknown = error.params['allowedValues'];
      message = `${path}: must be one of ${(Array.isArray(allowed) ? allowed : []).map((value) => JSON.stringify(value)).join(', ')}`;
    } else if (error.keyword === 'required') {
      message = `${path}: missing required field "${String(error.params['missingProperty'])}"`;
    } else if (error.keyword === 'anyOf' && error.instancePath.includes('additionalNamespaces')) {
      message = `${path}: must be a namespace name (a DNS label) or "*"`;
    } else if (error.keyword === 'pattern' || error.keyword === 'const' || error.keyword === 'anyOf') {
      message = `${path}: ${describePattern(error)}`;
    } else {
      message = `${path}: ${error.message ?? 'is invalid'}`;
    }
    if (seen.has(message)) continue;
    seen.add(message);
    problems.push({ field: path, message });
  }
  return problems;
}

function describePattern(error: ErrorObject): string {
  const path = error.instancePath;
  if (path.endsWith('appSlug')) return 'must be a lowercase DNS label (a-z, 0-9, -)';
  if (path.endsWith('localRegistry/host')) return 'must be a host name, optionally with :port, and no path (a repository prefix goes in localRegistry.namespace)';
  if (path.endsWith('localRegistry/namespace')) return 'must be a repository prefix: path components of lowercase letters and digits (joined inside by ".", "_" or "-"), separated by "/"';
  if (path.endsWith('Domain') || path.includes('insecureRegistries') || path.endsWith('registry')) return 'must be a host name, optionally with :port';
  if (path.endsWith('pullSecretName')) return 'must be a lowercase DNS subdomain';
  if (path.endsWith('FromEnv') || path.endsWith('substitution/variable')) return 'must be an environment variable name';
  if (path.includes('linkedRegistries') && path.endsWith('/name')) return 'must be the Registry Name as in the Vendor Portal: one path segment of lowercase letters and digits, separated by ".", "_" or "-"';
  if (path.endsWith('pullSecretUsername')) return 'must not contain ":" or whitespace (it is the username of a basic-auth pair)';
  if (path.endsWith('refreshInterval')) return 'must be a Go duration like 1h or 15m';
  if (path.endsWith('path')) return 'must be a field path like spec/steps[]/image';
  return 'is not in the expected form';
}

function jsonPointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
}

function fail(field: string, message: string): ConfigResult {
  return { ok: false, problems: [{ field, message }] };
}
