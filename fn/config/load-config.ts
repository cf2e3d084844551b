// Turns a functionConfig (RegistryProxy, the customer's License, or a ConfigMap) into a Config:
// schema validation -> defaults -> cross-field checks, every problem reported at once, the license
// ID never echoed.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { readLicenseFacts } from '../license/license-facts.js';
import {
  DEFAULT_EXPIRY_WARNING_DAYS,
  DEFAULT_PROBE,
  DEFAULT_PULL_SECRET_USERNAME,
  DEFAULT_PROXY_DOMAIN,
  DEFAULT_REGISTRY_DOMAIN,
  DEFAULT_SECRET_ANNOTATIONS,
  DEFAULT_SUBSTITUTION_VARIABLE,
  STAGING_ENDPOINT_HOST,
  STAGING_PROXY_DOMAIN,
  STAGING_REGISTRY_DOMAIN,
  type ApplicationField,
  type Config,
  type ExternalSecretSettings,
  type LocalRegistry,
  type LoadedConfig,
} from './config.js';
import { convertConfigMapData } from './configmap-data.js';
import { validateConfigMapData, validateSpec } from './validators.generated.js';

export interface ConfigProblem {
  field: string;
  message: string;
}

export type ConfigResult = { ok: true; loaded: LoadedConfig } | { ok: false; problems: ConfigProblem[] };

export const REGISTRY_PROXY_API_VERSION = 'fn.registry-proxy.dev/v1alpha1';
const ACCEPTED =
  `expected a RegistryProxy (${REGISTRY_PROXY_API_VERSION}), a License (kots.io/v1beta1 or kots.io/v1beta2) or a ConfigMap (v1)`;

interface Validators {
  spec: ValidateFunction;
  configMapData: ValidateFunction;
}

/** Compiled at build time (scripts/generate-validators.mjs) from schema.ts. */
function getValidators(): Validators {
  return { spec: validateSpec as ValidateFunction, configMapData: validateConfigMapData as ValidateFunction };
}

export function loadConfig(functionConfig: unknown, env: Readonly<Record<string, string | undefined>>): ConfigResult {
  if (functionConfig === undefined || functionConfig === null) {
    return fail('functionConfig', `no functionConfig: ${ACCEPTED}`);
  }
  if (!isRecord(functionConfig)) return fail('functionConfig', `functionConfig is not a map: ${ACCEPTED}`);
  const apiVersion = functionConfig['apiVersion'];
  const kind = functionConfig['kind'];
  if (kind === 'RegistryProxy' && apiVersion === REGISTRY_PROXY_API_VERSION) {
    return loadSpec(functionConfig['spec'], 'spec', 'RegistryProxy', env);
  }
  if (kind === 'License' && (apiVersion === 'kots.io/v1beta1' || apiVersion === 'kots.io/v1beta2')) {
    return loadLicense(functionConfig, env);
  }
  if (kind === 'ConfigMap' && apiVersion === 'v1') {
    const data = functionConfig['data'] ?? {};
    const validate = getValidators().configMapData;
    if (!validate(data)) return { ok: false, problems: describeErrors(validate.errors ?? [], 'data') };
    const converted = convertConfigMapData(data as Record<string, string>);
    const loaded = loadSpec(converted.spec, 'data', 'ConfigMap', env, converted.fieldOf);
    if (converted.ok) return loaded;
    return { ok: false, problems: [...converted.problems, ...(loaded.ok ? [] : loaded.problems)] };
  }
  return fail('functionConfig', `unsupported functionConfig ${String(kind ?? '(no kind)')} ${String(apiVersion ?? '(no apiVersion)')}: ${ACCEPTED}`);
}

function loadLicense(license: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const spec = isRecord(license['spec']) ? license['spec'] : {};
  const appSlug = spec['appSlug'];
  const problems: ConfigProblem[] = [];
  if (typeof appSlug !== 'string' || appSlug === '') problems.push({ field: 'spec.appSlug', message: 'spec.appSlug: the License has no appSlug' });
  if (typeof spec['licenseID'] !== 'string' || spec['licenseID'].trim() === '') {
    problems.push({ field: 'spec.licenseID', message: 'spec.licenseID: the License has no licenseID' });
  }
  if (problems.length > 0) return { ok: false, problems };
  return loadSpec({ appSlug, license }, 'spec', 'License', env, undefined, '');
}

function loadSpec(
  spec: unknown,
  root: string,
  source: string,
  env: Readonly<Record<string, string | undefined>>,
  fieldOf: (path: string) => string = (path) => `${root}${path}`,
  licensePath: string = fieldOf('.license'),
): ConfigResult {
  if (spec === undefined || spec === null) return fail(root, `${root}: missing: ${root === 'spec' ? 'spec.appSlug and a license are required' : 'appSlug and a license are required'}`);
  const validate = getValidators().spec;
  if (!validate(spec)) {
    return { ok: false, problems: describeErrors(validate.errors ?? [], root, fieldOf) };
  }
  const raw = spec as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  const pullSecretMode = (raw['pullSecretMode'] as Config['pullSecretMode'] | undefined) ?? 'inline';
  const mode = (raw['mode'] as Config['mode'] | undefined) ?? 'transform';
  // Only an inline Secret holds the license ID: the other modes and check mode never read it. A
  // service-account token is the password instead of the license ID: then none is needed.
  // The local registry's own credentials are the pull Secret's: no license ID either.
  const licenseID =
    pullSecretMode !== 'inline' || mode !== 'transform' || raw['localRegistry'] !== undefined
      ? ''
      : raw['serviceAccountTokenFromEnv'] === undefined
        ? resolveLicenseID(raw, env, root, fieldOf, problems)
        : resolveToken(raw, env, fieldOf, problems);
  const staging = isStagingLicense(raw['license']);
  const licenseFacts = readLicenseFacts(raw['license'], licensePath);
  problems.push(...licenseFacts.problems);
  const unset = new Set<ApplicationField>();
  for (const field of ['additionalNamespaces', 'proxyPublicImages', 'proxyDomain', 'registryDomain'] as const) {
    if (raw[field] === undefined) unset.add(field);
  }
  // Precedence of the proxy domain: spec.proxyDomain > the License > the Application > the defaults.
  const proxyDomainSource =
    raw['proxyDomain'] !== undefined ? fieldOf('.proxyDomain') : licenseFacts.proxyDomain !== undefined ? licenseFacts.proxyDomain.source : staging ? "the staging default (the License's endpoint)" : 'the default';
  if (licenseFacts.proxyDomain !== undefined) unset.delete('proxyDomain');
  const appSlug = raw['appSlug'] as string;
  const config: Config = {
    appSlug,
    licenseID: licenseID ?? '',
    proxyDomain:
      (raw['proxyDomain'] as string | undefined)?.toLowerCase() ?? licenseFacts.proxyDomain?.value ?? (staging ? STAGING_PROXY_DOMAIN : DEFAULT_PROXY_DOMAIN),
    registryDomain:
      (raw['registryDomain'] as string | undefined)?.toLowerCase() ?? (staging ? STAGING_REGISTRY_DOMAIN : DEFAULT_REGISTRY_DOMAIN),
    proxyPublicImages: (raw['proxyPublicImages'] as boolean | undefined) ?? false,
    additionalNamespaces: (raw['additionalNamespaces'] as string[] | undefined) ?? [],
    knownImages: ((raw['knownImages'] as Array<{ image: string; isPrivate?: boolean }> | undefined) ?? []).map((entry) => ({
      image: entry.image,
      isPrivate: entry.isPrivate ?? false,
    })),
    rules: (raw['rules'] as Config['rules'] | undefined) ?? [],
    unknownImages: (raw['unknownImages'] as Config['unknownImages'] | undefined) ?? 'private',
    pullSecretName: (raw['pullSecretName'] as string | undefined) ?? `${appSlug}-registry`,
    secretAnnotations: (raw['secretAnnotations'] as Record<string, string> | undefined) ?? { ...DEFAULT_SECRET_ANNOTATIONS },
    secretLabels: (raw['secretLabels'] as Record<string, string> | undefined) ?? {},
    patchWorkloads: (raw['patchWorkloads'] as Config['patchWorkloads'] | undefined) ?? 'all',
    imageFields: (raw['imageFields'] as Config['imageFields'] | undefined) ?? [],
    invalidImages: (raw['invalidImages'] as Config['invalidImages'] | undefined) ?? 'error',
    probe: { ...DEFAULT_PROBE, ...((raw['probe'] as Partial<Config['probe']> | undefined) ?? {}) },
    patchServiceAccounts: (raw['patchServiceAccounts'] as Config['patchServiceAccounts'] | undefined) ?? 'none',
    kyvernoClonePolicy: {
      enabled: (raw['kyvernoClonePolicy'] as { enabled?: boolean } | undefined)?.enabled ?? false,
      sourceNamespace: (raw['kyvernoClonePolicy'] as { sourceNamespace?: string } | undefined)?.sourceNamespace,
    },
    pullSecretUsername: (raw['pullSecretUsername'] as string | undefined) ?? DEFAULT_PULL_SECRET_USERNAME,
    linkedRegistries: ((raw['linkedRegistries'] as Config['linkedRegistries'] | undefined) ?? []).map((entry) => ({
      ...entry,
      registry: normalizeRegistryHost(entry.registry),
    })),
    unlinkedRegistries: (raw['unlinkedRegistries'] as Config['unlinkedRegistries'] | undefined) ?? 'error',
    licenseExpiry: licenseFacts.expiry,
    expiredLicense: (raw['expiredLicense'] as Config['expiredLicense'] | undefined) ?? 'error',
    expiryWarningDays: (raw['expiryWarningDays'] as number | undefined) ?? DEFAULT_EXPIRY_WARNING_DAYS,
    pullSecretMode,
    externalSecret: readExternalSecret(raw['externalSecret']),
    substitution: { variable: (raw['substitution'] as { variable?: string } | undefined)?.variable ?? DEFAULT_SUBSTITUTION_VARIABLE },
    mode,
    allowedRegistries: (raw['allowedRegistries'] as string[] | undefined) ?? [],
  };
  const localRegistry = readLocalRegistry(raw, env, fieldOf, problems);
  if (localRegistry !== undefined) config.localRegistry = localRegistry;
  if (pullSecretMode === 'externalSecret' && config.externalSecret === undefined) {
    problems.push({ field: fieldOf('.externalSecret'), message: `${fieldOf('.externalSecret')}: pullSecretMode externalSecret needs externalSecret.secretStoreRef and externalSecret.remoteRef` });
  }
  if (config.pullSecretName.length > 253) {
    problems.push({ field: fieldOf('.pullSecretName'), message: `${fieldOf('.appSlug')}: the default pull Secret name would be longer than 253 characters` });
  }
  if (problems.length > 0) return { ok: false, problems };
  const warnings: NonNullable<LoadedConfig['warnings']> = [];
  if (raw['serviceAccountTokenFromEnv'] !== undefined && raw['pullSecretUsername'] === undefined) {
    // Replicated documents token logins with the account's email as username, never with LICENSE_ID.
    warnings.push({
      field: fieldOf('.pullSecretUsername'),
      message: `the pull Secret pairs the service-account token with the username ${DEFAULT_PULL_SECRET_USERNAME}; Replicated documents token logins as docker login -u <the service account's email> -p <token>: set pullSecretUsername`,
    });
  }
  return { ok: true, loaded: { config, unset, source, proxyDomainSource, ...(warnings.length > 0 ? { warnings } : {}) } };
}

/**
 * `localRegistry` with its credentials read from the environment. Only inline and reference make sense
 * there: the other modes template the license ID, which the customer's registry does not take.
 */
function readLocalRegistry(raw: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>, fieldOf: (path: string) => string, problems: ConfigProblem[]): LocalRegistry | undefined {
  const value = raw['localRegistry'] as { host: string; namespace?: string; layout?: LocalRegistry['layout']; usernameFromEnv?: string; passwordFromEnv?: string; insecure?: boolean } | undefined;
  if (value === undefined) return undefined;
  const mode = raw['pullSecretMode'];
  if (mode === 'externalSecret' || mode === 'substitution') {
    problems.push({ field: fieldOf('.pullSecretMode'), message: `${fieldOf('.pullSecretMode')}: ${String(mode)} templates the license ID, which localRegistry does not use: use inline (the registry's credentials from localRegistry.usernameFromEnv and passwordFromEnv) or reference` });
  }
  if (raw['mode'] === 'check') problems.push({ field: fieldOf('.mode'), message: `${fieldOf('.mode')}: check mode does not support localRegistry yet` });
  let credentials: LocalRegistry['credentials'];
  if (value.usernameFromEnv !== undefined && value.passwordFromEnv !== undefined && mode !== 'reference') {
    const read = (key: 'usernameFromEnv' | 'passwordFromEnv'): string | undefined => {
      const name = value[key]!;
      const found = env[name];
      if (found !== undefined && found.trim() !== '') return found.trim();
      const field = fieldOf(`.localRegistry.${key}`);
      const named = looksLikeVariableName(name) ? name : 'named there (the name is not shown: it does not look like a variable name and may be the credential itself)';
      problems.push({ field, message: `${field}: environment variable ${named} is not set or empty (it should hold the registry ${key === 'usernameFromEnv' ? 'username' : 'password'})` });
      return undefined;
    };
    const username = read('usernameFromEnv');
    const password = read('passwordFromEnv');
    if (username !== undefined && username.includes(':')) problems.push({ field: fieldOf('.localRegistry.usernameFromEnv'), message: `${fieldOf('.localRegistry.usernameFromEnv')}: the username must not contain ":" (it is the username of a basic-auth pair)` });
    if (username !== undefined && password !== undefined) credentials = { username, password };
  }
  return { host: value.host.toLowerCase(), namespace: value.namespace, layout: value.layout ?? 'path', credentials, insecure: value.insecure ?? false };
}

/** Docker Hub's other spellings fold to docker.io, as image names do (distribution's normalize.go). */
function normalizeRegistryHost(host: string): string {
  const lower = host.toLowerCase();
  return lower === 'index.docker.io' || lower === 'registry-1.docker.io' ? 'docker.io' : lower;
}

function resolveToken(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  fieldOf: (path: string) => string,
  problems: ConfigProblem[],
): string | undefined {
  const name = raw['serviceAccountTokenFromEnv'] as string;
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

function readExternalSecret(value: unknown): ExternalSecretSettings | undefined {
  if (!isRecord(value)) return undefined;
  const store = value['secretStoreRef'] as { name: string; kind?: ExternalSecretSettings['secretStoreRef']['kind'] };
  const remote = value['remoteRef'] as { key: string; property?: string };
  return {
    secretStoreRef: { name: store.name, kind: store.kind ?? 'SecretStore' },
    remoteRef: { key: remote.key, property: remote.property },
    refreshInterval: value['refreshInterval'] as string | undefined,
  };
}

function resolveLicenseID(
  raw: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  root: string,
  fieldOf: (path: string) => string,
  problems: ConfigProblem[],
): string | undefined {
  if (typeof raw['licenseID'] === 'string') return checkLicenseID(raw['licenseID'], fieldOf('.licenseID'), 'licenseID', problems);
  const fromEnv = raw['licenseIDFromEnv'];
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
  const license = raw['license'];
  if (isRecord(license) && isRecord(license['spec']) && typeof license['spec']['licenseID'] === 'string') {
    return checkLicenseID(license['spec']['licenseID'], fieldOf('.license.spec.licenseID'), 'the License', problems);
  }
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
function inContainerHint(env: Readonly<Record<string, string | undefined>>, name: string): string {
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
function describeErrors(errors: ErrorObject[], root: string, fieldOf: (path: string) => string = (path) => `${root}${path}`): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.schemaPath.includes('/oneOf/') || error.schemaPath.includes('/anyOf/') || error.keyword === 'if') continue;
    const path = fieldOf(jsonPointerToPath(error.instancePath));
    let message: string;
    if (error.keyword === 'additionalProperties') {
      const name = String((error.params as { additionalProperty?: unknown }).additionalProperty);
      message = `${path}: unknown field "${name}"`;
    } else if (error.keyword === 'oneOf') {
      message = `${path}: exactly one of licenseID, licenseIDFromEnv or license is required`;
    } else if (error.keyword === 'not' && error.schemaPath === '#/then/not') {
      message = `${path}: at most one of licenseID, licenseIDFromEnv or license (this mode needs none)`;
    } else if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
      message = `${path}: must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
    } else if (error.keyword === 'required') {
      const name = String((error.params as { missingProperty?: unknown }).missingProperty);
      message = `${path}: missing required field "${name}"`;
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

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
