// The transformation shared by the KRM function and the Helm post-renderer: scan the item chunks,
// decide the images, plan every edit and every generated object, and say what happened as results.
import type { Config, LoadedConfig, ProbeSettings } from './config/config.js';
import { buildClonePolicy, clonePolicyName } from './clone-policy.js';
import { InputError } from './errors.js';
import { checkLicenseExpiry } from './license/check-expiry.js';
import { compareNamespaces } from './namespace-order.js';
import { planGenerated, type WantedObject } from './plan-generated.js';
import { planItemEdits, type ItemEdits } from './plan-item-edits.js';
import { decideImages, type ImageDecisions } from './policy/decide-images.js';
import type { ImageProbe } from './probe/types.js';
import { checkItems } from './check-mode.js';
import { isHelmHookPass } from './helm-hook-pass.js';
import { describeReferencedSecret, reportExternalSecretConflicts, wantedPullSecret } from './pull-secret-mode.js';
import { localPrefix } from './policy/local-registry.js';
import { objectsOf, scanItem, type ScanOptions, type ScannedItem } from './resource-list/item-scan.js';
import type { Source } from './resource-list/read-input.js';
import type { OutputEdits } from './resource-list/write-output.js';
import type { Result } from './results.js';
import { buildDefaultServiceAccount } from './service-account.js';

export interface TransformDependencies {
  env: Readonly<Record<string, string | undefined>>;
  /** Builds the registry probe; absent, nothing is probed (unit tests, `probe.enabled: false`). */
  createProbe?: (settings: ProbeSettings, env: Readonly<Record<string, string | undefined>>) => ImageProbe;
  /** The clock the License's expiry is checked against; absent, the system clock. Tests fix it. */
  now?: () => Date;
}

/** What the planning reads of the input: the text, the item spans, and the style new items take. */
export type TransformInput = Pick<Source, 'text' | 'items' | 'chunkKind' | 'style'>;

export interface Transformation {
  /** The edits for the writer (write-output.ts); undefined in check mode, which writes the items back as they were. */
  edits: OutputEdits | undefined;
  results: Result[];
}

/** The items as scanned, the verdicts, and each item's planned edits: what the subcommands express instead of applying. */
export interface PlannedEdits {
  items: ScannedItem[];
  decisions: ImageDecisions;
  edits: ItemEdits[];
  results: Result[];
}

export async function planEdits(input: TransformInput, loaded: LoadedConfig, dependencies: TransformDependencies): Promise<PlannedEdits> {
  const { config } = loaded;
  const results: Result[] = [];
  const items = scanItems(input, config);
  for (const { message, field, resourceRef } of loaded.warnings ?? []) {
    results.push({ severity: 'warning', message, ...(field === undefined ? {} : { field: { path: field } }), ...(resourceRef === undefined ? {} : { resourceRef }) });
  }
  const domain = describeProxyDomain(loaded);
  if (domain) results.push(domain);
  const expiry = checkLicenseExpiry(config, (dependencies.now ?? (() => new Date()))());
  if (expiry) results.push(expiry);
  const decisions = await decideItemImages(items, config, dependencies);
  const edits: ItemEdits[] = items.map((item) => planItemEdits({ item, file: fileOf(item) }, config, decisions));
  return { items, decisions, edits, results };
}

export async function transform(input: TransformInput, loaded: LoadedConfig, dependencies: TransformDependencies): Promise<Transformation> {
  const { config } = loaded;
  const { items, decisions, edits, results } = await planEdits(input, loaded, dependencies);
  const needed = new Set<string | undefined>();
  for (const edit of edits) for (const namespace of edit.secretNamespaces) needed.add(namespace);
  for (const namespace of expandNamespaces(config.additionalNamespaces, items)) needed.add(namespace);
  const offline: Result[] = decisions.offline
    ? [{
        severity: 'warning',
        message: `${decisions.offline.cause}: ${decisions.offline.images} image(s) decided without a probe (unknownImages: ${config.unknownImages}); run with network (kpt --network, kustomize network: true) or pin them in knownImages (registry-proxy known-images)`,
      }]
    : [];
  if (config.mode === 'check') return { edits: undefined, results: [...results, ...offline, ...checkItems(items, edits, config, decisions)] };
  const hookPass = isHelmHookPass(input, items);
  // Every generated object (Secrets, ServiceAccounts, the clone policy) comes from the templates pass only.
  const wanted = hookPass ? [] : wantedObjects(config, needed, results);
  if (hookPass && needed.size > 0) {
    results.push({
      severity: 'warning',
      message: `every document is a Helm hook (the hook pass of Helm 4's postRenderStrategy separate): no pull Secret generated here, the templates pass generates it; hooks that run before the templates exist (pre-install) need ${config.pullSecretName} to exist already (pullSecretMode reference, or the combined strategy)`,
    });
  }
  const generated = planGenerated(items, wanted, input.style);
  for (const edit of edits) results.push(...edit.results);
  results.push(...generated.results, ...reportExternalSecretConflicts(config, items, generated.placed), ...offline);
  if (config.additionalNamespaces.includes('*') && !config.kyvernoClonePolicy.enabled) {
    results.push({
      severity: 'info',
      message: 'additionalNamespaces "*" covers the namespaces named in the items at render time; namespaces created later get no pull Secret unless kyvernoClonePolicy is enabled (or the app manager copies it)',
    });
  }
  const secretNamespaces =
    config.pullSecretMode === 'reference'
      ? sortNamespaces(needed)
      : generated.placed.filter((object) => object.name === config.pullSecretName && (object.kind === 'Secret' || object.kind === 'ExternalSecret')).map((object) => object.namespace);
  if (config.pullSecretMode === 'reference') results.push(describeReferencedSecret(config, secretNamespaces));
  results.push(summarize(config, edits, secretNamespaces, decisions.byValue.size, decisions.probedRepositories));
  // A regenerated item is written whole: the edits planned inside its old text do not apply.
  const splices = edits.flatMap((edit, index) => (generated.replacements.has(index) ? [] : edit.splices));
  return { edits: { splices, replaced: generated.replacements, appended: generated.appended }, results };
}

/** Verdicts for the distinct image values of the items (those that can be edited), probing when allowed. */
export async function decideItemImages(items: readonly ScannedItem[], config: Config, dependencies: TransformDependencies): Promise<ImageDecisions> {
  const probe = dependencies.createProbe && config.probe.enabled ? dependencies.createProbe(config.probe, dependencies.env) : undefined;
  const values = new Set<string>();
  for (const item of items) {
    for (const object of objectsOf(item)) {
      for (const site of object.images) if (site.value !== undefined && site.value.trim() !== '') values.add(site.value);
    }
  }
  return decideImages(values, config, probe);
}

export function scanItems(input: TransformInput, config: ScanOptions): ScannedItem[] {
  return input.items.map((span) => {
    // Asked only about an alias the chunk does not anchor itself (rare): items of one ResourceList share a
    // document, the documents of a stream do not.
    const isEarlierAnchor = (name: string): boolean => input.chunkKind === 'item' && hasAnchorBefore(input.text, name, span.start);
    try {
      // Only what the scan reads: `config` is often the whole Config, not worth copying for every item.
      const options: ScanOptions = { pullSecretName: config.pullSecretName, imageFields: config.imageFields, isEarlierAnchor, offset: span.start };
      return scanItem(input.text.slice(span.start, span.end), options, input.chunkKind);
    } catch (error) {
      if (error instanceof InputError && error.offset !== undefined) throw atLine(error, input.text, error.offset);
      throw error;
    }
  });
}

/** Whether `&name` stands as an anchor (a whole token) somewhere before `end`. */
function hasAnchorBefore(text: string, name: string, end: number): boolean {
  const anchor = `&${name}`;
  for (let at = text.lastIndexOf(anchor, end - anchor.length); at !== -1; at = at === 0 ? -1 : text.lastIndexOf(anchor, at - 1)) {
    const before = at === 0 ? ' ' : text[at - 1]!;
    const after = at + anchor.length >= end ? ' ' : text[at + anchor.length]!;
    if (/[\s,[{]/.test(before) && /[\s,\]}]/.test(after)) return true;
  }
  return false;
}

/** Pull Secrets per namespace, default ServiceAccounts and the clone policy, in a stable order. */
function wantedObjects(config: Config, needed: ReadonlySet<string | undefined>, results: Result[]): WantedObject[] {
  const namespaces = sortNamespaces(needed);
  const wanted: WantedObject[] = [];
  for (const namespace of namespaces) {
    const object = wantedPullSecret(config, namespace);
    if (object) wanted.push(object);
  }
  if (config.patchServiceAccounts === 'itemsAndDefault') {
    for (const namespace of namespaces) {
      if (namespace === undefined) continue;
      wanted.push({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        name: 'default',
        namespace,
        build: (annotations) => buildDefaultServiceAccount(config, namespace, annotations),
        onConflict: 'skip',
      });
    }
  }
  if (config.kyvernoClonePolicy.enabled) {
    const source = config.kyvernoClonePolicy.sourceNamespace ?? namespaces.find((namespace) => namespace !== undefined);
    if (source === undefined) {
      results.push({ severity: 'error', message: 'no namespace gets a pull Secret to clone from: set a namespace on the workloads or kyvernoClonePolicy.sourceNamespace', field: { path: 'spec.kyvernoClonePolicy.sourceNamespace' } });
    } else {
      if (!needed.has(source)) {
        results.push({ severity: 'warning', message: `the clone policy copies from namespace ${source}, which gets no pull Secret from this render`, field: { path: 'spec.kyvernoClonePolicy.sourceNamespace' } });
      }
      wanted.push({
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        name: clonePolicyName(config),
        namespace: undefined,
        build: (annotations) => buildClonePolicy(config, source, annotations),
        onConflict: 'error',
      });
    }
  }
  return wanted;
}

function sortNamespaces(namespaces: ReadonlySet<string | undefined>): Array<string | undefined> {
  return [...namespaces].sort(compareNamespaces);
}

function atLine(error: InputError, text: string, offset: number): InputError {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++;
  return new InputError(error.code, `${error.message} (line ${line})`, error.field);
}

export function fileOf(item: ScannedItem): { path: string; index?: number } | undefined {
  const path = item.annotations.path ?? item.annotations.legacyPath;
  if (path === undefined) return undefined;
  const index = Number(item.annotations.index ?? item.annotations.legacyIndex);
  return Number.isInteger(index) ? { path, index } : { path };
}

/**
 * One info result: which proxy domain, and which of spec.proxyDomain, the License, the Application or
 * the staging default chose it. Nothing for the plain default: the summary names the domain already.
 */
function describeProxyDomain(loaded: LoadedConfig): Result | undefined {
  const source = loaded.proxyDomainSource;
  if (source === undefined || source === 'the default') return undefined;
  return { severity: 'info', message: `proxy domain ${loaded.config.proxyDomain}, from ${source}` };
}

/** `"*"` means every namespace the items name: their own and the Namespace objects among them. */
function expandNamespaces(additional: readonly string[], items: readonly ScannedItem[]): string[] {
  const namespaces = additional.filter((namespace) => namespace !== '*');
  if (additional.includes('*')) {
    for (const object of items.flatMap(objectsOf)) {
      if (object.namespace !== undefined) namespaces.push(object.namespace);
      if (object.kind === 'Namespace' && object.apiVersion === 'v1' && object.name !== '') namespaces.push(object.name);
    }
  }
  return namespaces;
}

function summarize(config: Config, edits: readonly ItemEdits[], namespaces: ReadonlyArray<string | undefined>, distinctImages: number, probed: number): Result {
  const rewritten = edits.reduce((sum, edit) => sum + edit.rewrittenImages, 0);
  const objects = edits.reduce((sum, edit) => sum + edit.rewrittenObjects, 0);
  const patched = edits.reduce((sum, edit) => sum + edit.patchedPodSpecs, 0);
  const where = namespaces.map((namespace) => namespace ?? '(no namespace)').join(', ');
  const probeText = probed > 0 ? `; probed ${probed} repositories` : '';
  const secrets =
    config.localRegistry !== undefined && config.localRegistry.credentials === undefined && config.pullSecretMode === 'inline'
      ? 'no pull Secret (the local registry is anonymous: no usernameFromEnv/passwordFromEnv)'
      : config.pullSecretMode === 'inline'
      ? `${namespaces.length} pull Secret(s) ${config.pullSecretName}`
      : config.pullSecretMode === 'externalSecret'
        ? `${namespaces.length} ExternalSecret(s) ${config.pullSecretName}`
        : config.pullSecretMode === 'substitution'
          ? `${namespaces.length} pull Secret(s) ${config.pullSecretName} with \${${config.substitution.variable}}`
          : `pull Secret ${config.pullSecretName} referenced, not generated, for ${namespaces.length} namespace(s)`;
  return {
    severity: 'info',
    message: `rewrote ${rewritten} image(s) in ${objects} object(s) to ${config.localRegistry ? localPrefix(config.localRegistry) : `${config.proxyDomain}/proxy/${config.appSlug}`}; ${distinctImages} distinct image(s) seen; added imagePullSecrets to ${patched} pod spec(s); ${secrets}${where ? ` in ${where}` : ''}${probeText}`,
  };
}
