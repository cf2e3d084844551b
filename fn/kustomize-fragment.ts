// `registry-proxy kustomize`: the function's rewrite as a kustomization fragment, for pipelines that
// cannot run a function (Flux HelmRelease postRenderers[].kustomize, Flux Kustomization spec.images,
// kustomize without plugins) — what KOTS itself writes (reference-behavior.md §1). `images:` has one
// entry per rewritten repository spelling; `patches:` add the pull Secret to exactly the pod specs the
// function patches. The fragment is checked against kustomize's own matching rules before it is
// printed: whatever it would do differently from the function is reported, never dropped.
import { stringify } from 'yaml';
import { groupOf, versionOf } from './images/locations.js';
import { applyImages, findKustomizeSites, isMap, splitImage, type KustomizeImage } from './kustomize-images.js';
import type { PlannedResourceList } from './plan-resource-list.js';
import { compareNamespaces } from './namespace-order.js';
import { readItemValue } from './resource-list/header.js';
import { objectsOf, type PodSpecSite, type ScannedItem, type ScannedObject } from './resource-list/item-scan.js';

export interface KustomizePatch {
  target: { group?: string; version: string; kind: string; name: string; namespace?: string };
  patch: string;
}

export interface KustomizeFragment {
  images: KustomizeImage[];
  patches: KustomizePatch[];
  /** What the fragment cannot express, or would do differently: each one line. */
  problems: string[];
  /** Differences that depend on the kustomize version. */
  warnings: string[];
  /** Namespaces that must hold the pull Secret (the fragment carries no Secret). */
  secretNamespaces: Array<string | undefined>;
}

export function buildKustomizeFragment(planned: PlannedResourceList): KustomizeFragment {
  const { config } = planned.loaded;
  const fragment: KustomizeFragment = { images: [], patches: [], problems: [], warnings: [], secretNamespaces: [] };
  const byName = new Map<string, string>();
  for (const edit of planned.edits) {
    for (const { site, newValue } of edit.rewrites) {
      const name = splitImage(site.value!).name;
      const newName = splitImage(newValue).name;
      const known = byName.get(name);
      if (known === undefined) {
        byName.set(name, newName);
        fragment.images.push({ name, newName });
      } else if (known !== newName) {
        fragment.problems.push(`images: ${name} is rewritten to both ${known} and ${newName}: one images entry cannot say that`);
      }
    }
  }
  fragment.images.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const namespaces = new Set<string | undefined>();
  const allObjects = planned.items.filter((item) => item.isObject).flatMap((item) => objectsOf(item));
  planned.items.forEach((item, index) => {
    const edit = planned.edits[index]!;
    if (!item.isObject) return;
    for (const namespace of edit.secretNamespaces) namespaces.add(namespace);
    const span = planned.input.items[index]!;
    const value = readItemValue(planned.input.text.slice(span.start, span.end));
    compareImages(item, value, edit.rewrites, fragment);
    // kustomize expands a List into its objects before patching: each object gets its own patch.
    for (const object of objectsOf(item)) {
      const objectValue = readPath(value, object.basePath);
      const podSpecs = edit.pullSecretPodSpecs.filter((entry) => entry.object === object).map((entry) => object.podSpecs[entry.index]!);
      const patch =
        object.serviceAccount?.addPullSecret !== undefined && config.patchServiceAccounts !== 'none'
          ? buildServiceAccountPatch(object, objectValue, config.pullSecretName)
          : buildPullSecretPatch(object, objectValue, podSpecs, config.pullSecretName);
      if (patch === undefined) continue;
      const ambiguous = allObjects.filter((other) => targets(patch.target, other)).length;
      if (ambiguous > 1) {
        fragment.problems.push(`${describe(object)}: its patch target also matches ${ambiguous - 1} other object(s) (no namespace or no API group to tell them apart)`);
      }
      fragment.patches.push(patch);
    }
  });
  fragment.secretNamespaces = [...namespaces].sort(compareNamespaces);
  // The fragment edits objects; it creates none (Flux post-renderers cannot).
  if (config.patchServiceAccounts === 'itemsAndDefault') fragment.warnings.push('patchServiceAccounts itemsAndDefault: the default ServiceAccounts the function generates are not in the fragment');
  if (config.kyvernoClonePolicy.enabled) fragment.warnings.push('kyvernoClonePolicy: the ClusterPolicy the function generates is not in the fragment');
  for (const result of planned.results) if (result.severity === 'error') fragment.problems.push(result.message);
  for (const edit of planned.edits) for (const result of edit.results) if (result.severity === 'error') fragment.problems.push(`${result.resourceRef ? `${result.resourceRef.kind}/${result.resourceRef.name} ` : ''}${result.field?.path ?? ''}: ${result.message}`);
  return fragment;
}

/** Site by site: what kustomize would write from the images list, against what the function writes. */
function compareImages(item: ScannedItem, value: unknown, rewrites: PlannedResourceList['edits'][number]['rewrites'], fragment: KustomizeFragment): void {
  const wanted = new Map(rewrites.map(({ site, newValue }) => [site.fieldPath, newValue]));
  const seen = new Set<string>();
  for (const site of findKustomizeSites(value)) {
    seen.add(site.fieldPath);
    const fromKustomize = applyImages(site.value, fragment.images);
    const fromFunction = wanted.get(site.fieldPath) ?? site.value;
    if (fromKustomize === fromFunction) {
      if (site.since57 && fromFunction !== site.value) fragment.warnings.push(`${describe(item)} ${site.fieldPath}: only kustomize 5.7 and later rewrite image volumes (Flux and Argo CD 3.5 ship newer; kubectl 1.32 ships 5.5)`);
      continue;
    }
    fragment.problems.push(
      fromFunction === site.value
        ? `${describe(item)} ${site.fieldPath}: kustomize would rewrite ${site.value} to ${fromKustomize}, which the function leaves alone`
        : `${describe(item)} ${site.fieldPath}: kustomize would write ${fromKustomize} where the function writes ${fromFunction}`,
    );
  }
  for (const { site, newValue } of rewrites) {
    if (seen.has(site.fieldPath)) continue;
    fragment.problems.push(`${describe(item)} ${site.fieldPath}: kustomize's images transformer does not cover this field; the function rewrites ${site.value} to ${newValue}`);
  }
}

type Operation = { op: 'add'; path: string; value: unknown };

/** Append to the list when there is one, else add the list: a JSON patch cannot append to a missing list. */
function addPullSecretOperation(value: unknown, fieldPath: string, secretName: string): Operation {
  const pointer = toJsonPointer(fieldPath);
  const current = readPath(value, fieldPath);
  const list = isMap(current) ? current['imagePullSecrets'] : undefined;
  return Array.isArray(list) ? { op: 'add', path: `${pointer}/imagePullSecrets/-`, value: { name: secretName } } : { op: 'add', path: `${pointer}/imagePullSecrets`, value: [{ name: secretName }] };
}

/** JSON 6902 operations that append the pull Secret to each pod spec the function patches. */
function buildPullSecretPatch(object: ScannedObject, value: unknown, podSpecs: readonly PodSpecSite[], secretName: string): KustomizePatch | undefined {
  const operations: Operation[] = [];
  for (const podSpec of podSpecs) {
    if (podSpec.addPullSecret !== undefined) operations.push(addPullSecretOperation(value, relativePath(podSpec.fieldPath, object.basePath), secretName));
  }
  return patchFor(object, operations);
}

/** A field path of the item (`items[0].spec.template.spec`) as a path of the object at `basePath` in it. */
function relativePath(fieldPath: string, basePath: string): string {
  if (basePath === '') return fieldPath;
  return fieldPath === basePath ? '' : fieldPath.slice(basePath.length + 1);
}

function buildServiceAccountPatch(item: ScannedObject, value: unknown, secretName: string): KustomizePatch | undefined {
  return patchFor(item, [addPullSecretOperation(value, '', secretName)]);
}

function patchFor(item: ScannedObject, operations: readonly Operation[]): KustomizePatch | undefined {
  if (operations.length === 0) return undefined;
  const group = groupOf(item.apiVersion);
  const target: KustomizePatch['target'] = { ...(group !== '' ? { group } : {}), version: versionOf(item.apiVersion), kind: item.kind, name: escapeRegExp(item.name) };
  if (item.namespace !== undefined) target.namespace = escapeRegExp(item.namespace);
  return { target, patch: stringify(operations, { lineWidth: 0 }).trimEnd() };
}

/** kustomize's target selector: each field a regular expression anchored at both ends; empty matches all. */
function targets(target: KustomizePatch['target'], item: ScannedObject): boolean {
  const matches = (pattern: string | undefined, value: string): boolean => pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value);
  return (
    matches(target.group, groupOf(item.apiVersion)) &&
    matches(target.version, versionOf(item.apiVersion)) &&
    matches(target.kind, item.kind) &&
    matches(target.name, item.name) &&
    matches(target.namespace, item.namespace ?? '')
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `spec.replicatedJobs[0].template.spec` -> `/spec/replicatedJobs/0/template/spec`. */
function toJsonPointer(fieldPath: string): string {
  if (fieldPath === '') return '';
  return `/${fieldPath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`;
}

function readPath(value: unknown, fieldPath: string): unknown {
  if (fieldPath === '') return value;
  return fieldPath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<unknown>((node, key) => (Array.isArray(node) ? node[Number(key)] : isMap(node) ? node[key] : undefined), value);
}

function describe(item: ScannedObject): string {
  return `${item.kind}/${item.namespace !== undefined ? `${item.namespace}/` : ''}${item.name}`;
}

/** The fragment as YAML with a header that says how to use it and what it leaves to the pull Secret mode. */
export function formatKustomizeFragment(fragment: KustomizeFragment, secretName: string): string {
  const where = fragment.secretNamespaces.map((namespace) => namespace ?? '(no namespace)').join(', ');
  const header = [
    '# Generated by registry-proxy kustomize: merge into a kustomization.yaml, a Flux HelmRelease',
    '# spec.postRenderers[].kustomize, or (images only) a Flux Kustomization spec.images.',
    `# The pull Secret ${secretName} is not in it: the cluster must hold it${where ? ` in ${where}` : ''} (see pullSecretMode).`,
  ];
  const body: Record<string, unknown> = { images: fragment.images, patches: fragment.patches };
  return `${header.join('\n')}\n${stringify(body, { lineWidth: 0 })}`;
}
