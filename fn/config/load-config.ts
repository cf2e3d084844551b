// Turns a functionConfig (RegistryProxy, the customer's License, or a ConfigMap) into a Config:
// schema validation -> defaults -> cross-field checks, every problem reported at once, the license
// ID never echoed.
import type { ErrorObject, ValidateFunction } from 'ajv';
import {
  DEFAULT_PROBE,
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
  if (typeof spec['licenseID'] !== 'string' || spec['licenseID'] === '') {
    problems.push({ field: 'spec.licenseID', message: 'spec.licenseID: the License has no licenseID' });
  }
  if (problems.length > 0) return { ok: false, problems };
  return loadSpec({ appSlug, license }, 'spec', 'License', env);
}

function loadSpec(
  spec: unknown,
  root: string,
  source: string,
  env: Readonly<Record<string, string | undefined>>,
  fieldOf: (path: string) => string = (path) => `${root}${path}`,
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
  // Only an inline Secret holds the license ID: the other modes and check mode never read it.
  const licenseID = pullSecretMode === 'inline' && mode === 'transform' ? resolveLicenseID(raw, env, root, fieldOf, problems) : '';
  const staging = isStagingLicense(raw['license']);
  const unset = new Set<ApplicationField>();
  for (const field of ['additionalNamespaces', 'proxyPublicImages', 'proxyDomain', 'registryDomain'] as const) {
    if (raw[field] === undefined) unset.add(field);
  }
  const appSlug = raw['appSlug'] as string;
  const config: Config = {
    appSlug,
    licenseID: licenseID ?? '',
    proxyDomain: (raw['proxyDomain'] as string | undefined)?.toLowerCase() ?? (staging ? STAGING_PROXY_DOMAIN : DEFAULT_PROXY_DOMAIN),
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
    pullSecretMode,
    externalSecret: readExternalSecret(raw['externalSecret']),
    substitution: { variable: (raw['substitution'] as { variable?: string } | undefined)?.variable ?? DEFAULT_SUBSTITUTION_VARIABLE },
    mode,
    allowedRegistries: (raw['allowedRegistries'] as string[] | undefined) ?? [],
  };
  if (pullSecretMode === 'externalSecret' && config.externalSecret === undefined) {
    problems.push({ field: fieldOf('.externalSecret'), message: `${fieldOf('.externalSecret')}: pullSecretMode externalSecret needs externalSecret.secretStoreRef and externalSecret.remoteRef` });
  }
  if (config.pullSecretName.length > 253) {
    problems.push({ field: fieldOf('.pullSecretName'), message: `${fieldOf('.appSlug')}: the default pull Secret name would be longer than 253 characters` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, loaded: { config, unset, source } };
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
  if (typeof raw['licenseID'] === 'string') return raw['licenseID'];
  const fromEnv = raw['licenseIDFromEnv'];
  if (typeof fromEnv === 'string') {
    const value = env[fromEnv];
    if (value === undefined || value.trim() === '') {
      // A license ID pasted here by mistake must not be echoed: it is a credential.
      const named = looksLikeLicenseID(fromEnv) ? 'named there (the value looks like a license ID: use licenseID or a variable name)' : fromEnv;
      problems.push({
        field: fieldOf('.licenseIDFromEnv'),
        message: `${fieldOf('.licenseIDFromEnv')}: environment variable ${named} is not set or empty`,
      });
      return undefined;
    }
    return value.trim();
  }
  const license = raw['license'];
  if (isRecord(license) && isRecord(license['spec']) && typeof license['spec']['licenseID'] === 'string') {
    return license['spec']['licenseID'];
  }
  problems.push({ field: root, message: `${root}: a license is required (licenseID, licenseIDFromEnv or license)` });
  return undefined;
}

/** Replicated license IDs are long mixed-case alphanumerics; variable names are rarely like that. */
function looksLikeLicenseID(name: string): boolean {
  return name.length >= 20 && /^[A-Za-z0-9]+$/.test(name) && /[a-z]/.test(name) && /[0-9]/.test(name);
}

function isStagingLicense(license: unknown): boolean {
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
  if (path.endsWith('Domain') || path.includes('insecureRegistries') || path.endsWith('registry')) return 'must be a host name, optionally with :port';
  if (path.endsWith('pullSecretName')) return 'must be a lowercase DNS subdomain';
  if (path.endsWith('FromEnv') || path.endsWith('substitution/variable')) return 'must be an environment variable name';
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
