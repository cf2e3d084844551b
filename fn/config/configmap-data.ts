// `kpt fn eval -- key=value` passes a ConfigMap with string data. This maps it onto the RegistryProxy
// spec, so one schema checks both and errors still name the ConfigMap key the user wrote.
import type { ConfigProblem } from './load-config.js';

/** The spec is there even with problems, so schema problems can be reported together with them. */
export type ConvertedData =
  | { ok: true; spec: Record<string, unknown>; fieldOf: (specPath: string) => string }
  | { ok: false; problems: ConfigProblem[]; spec: Record<string, unknown>; fieldOf: (specPath: string) => string };

const STRING_KEYS: readonly string[] = [
  'appSlug',
  'licenseID',
  'licenseIDFromEnv',
  'proxyDomain',
  'registryDomain',
  'unknownImages',
  'pullSecretName',
  'patchWorkloads',
  'invalidImages',
  'patchServiceAccounts',
  'unlinkedRegistries',
  'pullSecretUsername',
  'serviceAccountTokenFromEnv',
  'expiredLicense',
  'pullSecretMode',
  'mode',
];

export function convertConfigMapData(data: Readonly<Record<string, string>>): ConvertedData {
  const spec: Record<string, unknown> = {};
  const probe: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const key of STRING_KEYS) {
    const value = data[key];
    if (value !== undefined) spec[key] = value.trim();
  }
  if (data['proxyPublicImages'] !== undefined) spec['proxyPublicImages'] = data['proxyPublicImages'] === 'true';
  if (data['additionalNamespaces'] !== undefined) spec['additionalNamespaces'] = splitList(data['additionalNamespaces']);
  if (data['knownImages'] !== undefined) {
    spec['knownImages'] = splitPairs(data['knownImages'], 'knownImages', problems).map(([image, verdict]) => ({
      image,
      isPrivate: parseVerdict(verdict, `data.knownImages`, problems),
    }));
  }
  if (data['rules'] !== undefined) {
    spec['rules'] = splitPairs(data['rules'], 'rules', problems).map(([match, verdict]) => ({
      match,
      private: parseVerdict(verdict, 'data.rules', problems),
    }));
  }
  for (const key of ['secretAnnotations', 'secretLabels']) {
    const value = data[key];
    if (value !== undefined) spec[key] = Object.fromEntries(splitPairs(value, key, problems));
  }
  if (data['imageFields'] !== undefined) {
    const fieldSpecs = splitList(data['imageFields']).map(parseFieldSpec);
    if (fieldSpecs.some((fieldSpec) => fieldSpec === undefined)) {
      problems.push({ field: 'data.imageFields', message: 'data.imageFields: entries must look like path, Kind:path, version/Kind:path or group/version/Kind:path' });
    }
    spec['imageFields'] = fieldSpecs.filter((fieldSpec) => fieldSpec !== undefined);
  }
  if (data['linkedRegistries'] !== undefined) spec['linkedRegistries'] = splitList(data['linkedRegistries']).map(parseLinkedRegistry);
  if (data['expiryWarningDays'] !== undefined) {
    const value = data['expiryWarningDays'].trim();
    const number = Number(value);
    if (value === '' || !Number.isFinite(number)) problems.push({ field: 'data.expiryWarningDays', message: 'data.expiryWarningDays: must be a number' });
    else spec['expiryWarningDays'] = number;
  }
  if (data['probe.enabled'] !== undefined) probe['enabled'] = data['probe.enabled'] === 'true';
  if (data['probe.allowPrivateAddresses'] !== undefined) probe['allowPrivateAddresses'] = data['probe.allowPrivateAddresses'] === 'true';
  for (const key of ['timeoutSeconds', 'deadlineSeconds', 'concurrency', 'perRegistryConcurrency']) {
    const value = data[`probe.${key}`];
    if (value === undefined) continue;
    const number = Number(value.trim());
    if (value.trim() === '' || !Number.isFinite(number)) {
      problems.push({ field: `data.probe.${key}`, message: `data.probe.${key}: must be a number` });
    } else {
      probe[key] = number;
    }
  }
  if (data['probe.insecureRegistries'] !== undefined) probe['insecureRegistries'] = splitList(data['probe.insecureRegistries']);
  if (Object.keys(probe).length > 0) spec['probe'] = probe;
  const clone: Record<string, unknown> = {};
  if (data['kyvernoClonePolicy.enabled'] !== undefined) clone['enabled'] = data['kyvernoClonePolicy.enabled'] === 'true';
  if (data['kyvernoClonePolicy.sourceNamespace'] !== undefined) clone['sourceNamespace'] = data['kyvernoClonePolicy.sourceNamespace'].trim();
  if (Object.keys(clone).length > 0) spec['kyvernoClonePolicy'] = clone;
  const store: Record<string, unknown> = {};
  const remote: Record<string, unknown> = {};
  const external: Record<string, unknown> = {};
  const dotted: Array<[string, Record<string, unknown>, string]> = [
    ['externalSecret.secretStoreRef.name', store, 'name'],
    ['externalSecret.secretStoreRef.kind', store, 'kind'],
    ['externalSecret.remoteRef.key', remote, 'key'],
    ['externalSecret.remoteRef.property', remote, 'property'],
    ['externalSecret.refreshInterval', external, 'refreshInterval'],
  ];
  for (const [key, target, name] of dotted) {
    const value = data[key];
    if (value !== undefined) target[name] = value.trim();
  }
  if (Object.keys(store).length > 0) external['secretStoreRef'] = store;
  if (Object.keys(remote).length > 0) external['remoteRef'] = remote;
  if (Object.keys(external).length > 0) spec['externalSecret'] = external;
  if (data['substitution.variable'] !== undefined) spec['substitution'] = { variable: data['substitution.variable'].trim() };
  if (data['allowedRegistries'] !== undefined) spec['allowedRegistries'] = splitList(data['allowedRegistries']);
  const local: Record<string, unknown> = {};
  for (const key of ['host', 'namespace', 'layout', 'usernameFromEnv', 'passwordFromEnv']) {
    const value = data[`localRegistry.${key}`];
    if (value !== undefined) local[key] = value.trim();
  }
  if (data['localRegistry.insecure'] !== undefined) local['insecure'] = data['localRegistry.insecure'] === 'true';
  if (Object.keys(local).length > 0) spec['localRegistry'] = local;
  const fieldOf = (specPath: string): string => {
    const key = topKey(specPath);
    return key === '' ? 'data' : `data.${key}`;
  };
  if (problems.length > 0) return { ok: false, problems, spec, fieldOf };
  return { ok: true, spec, fieldOf };
}

/** `.knownImages[2].image` -> `knownImages`; `.probe.concurrency` -> `probe.concurrency`. */
function topKey(specPath: string): string {
  const parts = specPath.replace(/\[\d+\]/g, '').split('.').filter((part) => part !== '');
  if ((parts[0] === 'probe' || parts[0] === 'kyvernoClonePolicy' || parts[0] === 'substitution' || parts[0] === 'localRegistry') && parts[1] !== undefined) return `${parts[0]}.${parts[1]}`;
  if (parts[0] === 'externalSecret' && parts[1] !== undefined) return parts.slice(0, parts[1] === 'refreshInterval' ? 2 : 3).join('.');
  return parts[0] ?? '';
}

/** `quay.io` or `quay.io=my-quay` (the registry and the name given to it in the Vendor Portal). */
function parseLinkedRegistry(entry: string): { registry: string; name?: string } {
  const separator = entry.indexOf('=');
  if (separator === -1) return { registry: entry };
  return { registry: entry.slice(0, separator).trim(), name: entry.slice(separator + 1).trim() };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** `a=b,c=d` -> [[a, b], [c, d]]; the value may itself hold `=`. */
function splitPairs(value: string, key: string, problems: ConfigProblem[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const entry of splitList(value)) {
    const separator = entry.lastIndexOf('=');
    const cut = key === 'secretAnnotations' || key === 'secretLabels' ? entry.indexOf('=') : separator;
    if (cut <= 0) {
      problems.push({ field: `data.${key}`, message: `data.${key}: entries must look like key=value, separated by commas` });
      continue;
    }
    pairs.push([entry.slice(0, cut).trim(), entry.slice(cut + 1).trim()]);
  }
  return pairs;
}

function parseVerdict(value: string, field: string, problems: ConfigProblem[]): boolean {
  if (value === 'private' || value === 'true') return true;
  if (value === 'public' || value === 'false') return false;
  problems.push({ field, message: `${field}: verdicts must be "private" or "public"` });
  return false;
}

/** `spec/steps[]/image`, `Task:spec/steps[]/image` or `tekton.dev/v1/Task:spec/steps[]/image`. */
function parseFieldSpec(entry: string): { group?: string; version?: string; kind?: string; path: string } | undefined {
  const colon = entry.indexOf(':');
  if (colon === -1) return { path: entry };
  const selector = entry.slice(0, colon).split('/');
  const path = entry.slice(colon + 1);
  const kind = selector.at(-1) ?? '';
  // An empty part or more than group/version/Kind would silently match something else.
  if (kind === '' || selector.length > 3 || selector.some((part) => part === '')) return undefined;
  if (selector.length === 3) return { group: selector[0] ?? '', version: selector[1] ?? '', kind, path };
  if (selector.length === 2) return { version: selector[0] ?? '', kind, path };
  return { kind, path };
}
