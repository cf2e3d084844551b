// Per item: the text edits (image values, imagePullSecrets) and the results that explain them.
import type { Config } from './config/config.js';
import type { ImageDecisions } from './policy/decide-images.js';
import { objectsOf, type ImageSite, type ScannedItem, type ScannedObject } from './resource-list/item-scan.js';
import { shorten, type ResourceRef, type Result } from './results.js';
import { formatScalar } from './yaml/scalar-format.js';
import type { Splice } from './yaml/splice.js';

export interface ItemEdits {
  splices: Splice[];
  results: Result[];
  /** Namespaces of the objects (the item, or those of a List) that pull through the proxy or the vendor registry, or got imagePullSecrets. */
  secretNamespaces: Set<string | undefined>;
  rewrittenImages: number;
  /** Objects with a rewritten image. */
  rewrittenObjects: number;
  patchedPodSpecs: number;
  /** Each image rewrite, for the subcommands that express or check the edits instead of applying them. */
  rewrites: Array<{ object: ScannedObject; site: ImageSite; newValue: string }>;
  /** The pod specs (an index into their object's podSpecs) that get, or already holding it keep, the pull Secret. */
  pullSecretPodSpecs: Array<{ object: ScannedObject; index: number }>;
}

export interface ItemContext {
  item: ScannedItem;
  file: { path: string; index?: number } | undefined;
}

export function planItemEdits({ item, file }: ItemContext, config: Config, decisions: ImageDecisions): ItemEdits {
  const edits: ItemEdits = { splices: [], results: [], secretNamespaces: new Set(), rewrittenImages: 0, rewrittenObjects: 0, patchedPodSpecs: 0, rewrites: [], pullSecretPodSpecs: [] };
  for (const object of objectsOf(item)) {
    const rewrittenBefore = edits.rewrittenImages;
    planObjectEdits(object, file, config, decisions, edits);
    if (edits.rewrittenImages > rewrittenBefore) edits.rewrittenObjects++;
  }
  return edits;
}

/** The edits and results of one object (an item, or an object inside a List item), added to `edits`. */
function planObjectEdits(item: ScannedObject, file: ItemContext['file'], config: Config, decisions: ImageDecisions, edits: ItemEdits): void {
  const resourceRef: ResourceRef = { apiVersion: item.apiVersion, kind: item.kind, name: item.name };
  if (item.namespace !== undefined) resourceRef.namespace = item.namespace;
  const report = (severity: Result['severity'], message: string, site?: ImageSite, proposedValue?: string, tags?: Record<string, string>): void => {
    const result: Result = { message, severity, resourceRef };
    if (site) {
      result.field = { path: site.fieldPath };
      if (site.value !== undefined) result.field.currentValue = shorten(site.value);
      if (proposedValue !== undefined) result.field.proposedValue = proposedValue;
    }
    if (file) result.file = file;
    if (tags) result.tags = tags;
    edits.results.push(result);
  };
  const pullingPodSpecs = new Set<number>();
  const imagePodSpecs = new Set<number>();
  for (const site of item.images) {
    if (site.value === undefined || site.style === 'block-scalar') {
      const what =
        site.style === 'alias'
          ? 'a YAML alias: not rewritten here; it takes the value of its anchor'
          : site.style === 'block-scalar'
            ? 'a block scalar: left unchanged; write it as a plain or quoted string to have it rewritten'
            : 'not a string: left unchanged';
      report('warning', `image is ${what}`, site);
      continue;
    }
    if (site.value.trim() === '') {
      // OpenShift image-change triggers fill an empty image in: nothing to rewrite, nothing to pull yet.
      report('warning', 'image is empty: left unchanged', site);
      continue;
    }
    if (site.podSpec !== undefined) imagePodSpecs.add(site.podSpec);
    const decision = decisions.byValue.get(site.value);
    if (!decision) continue;
    if (decision.kind === 'problem') {
      report(decision.severity, decision.message, site);
      continue;
    }
    if (decision.addsPullSecret) {
      edits.secretNamespaces.add(item.namespace);
      if (site.podSpec !== undefined) pullingPodSpecs.add(site.podSpec);
    }
    if (decision.kind === 'rewrite') rewrite(site, decision.newValue, decision.why, decision.tags, decision.severity);
    else if (decision.note) report(decision.note.severity, decision.note.message, site, undefined, decision.note.tags);
  }
  // An anonymous local registry: no Secret, so no imagePullSecrets either.
  const anonymous = config.localRegistry !== undefined && config.localRegistry.credentials === undefined && config.pullSecretMode !== 'reference';
  if (item.serviceAccount && config.patchServiceAccounts !== 'none' && !anonymous) {
    edits.secretNamespaces.add(item.namespace);
    if (item.serviceAccount.addPullSecret) {
      edits.splices.push(item.serviceAccount.addPullSecret);
      report('info', `added ${config.pullSecretName} to the ServiceAccount's imagePullSecrets (patchServiceAccounts: ${config.patchServiceAccounts})`);
    }
  }
  item.podSpecs.forEach((podSpec, index) => {
    const patch = anonymous
      ? false
      : config.patchWorkloads === 'all' ? imagePodSpecs.has(index) : config.patchWorkloads === 'proxied' ? pullingPodSpecs.has(index) : false;
    if (!patch) return;
    edits.secretNamespaces.add(item.namespace);
    edits.pullSecretPodSpecs.push({ object: item, index });
    if (!podSpec.addPullSecret) return;
    edits.splices.push(podSpec.addPullSecret);
    edits.patchedPodSpecs++;
  });

  function rewrite(site: ImageSite, newValue: string, why: string, tags: Record<string, string>, severity: Result['severity'] = 'info'): void {
    const text = site.style === 'double' ? JSON.stringify(newValue) : formatScalar(newValue, site.style === 'single' ? 'single' : 'plain');
    edits.splices.push({ start: site.start, end: site.end, text });
    edits.rewrittenImages++;
    edits.rewrites.push({ object: item, site, newValue });
    report(severity, `image ${site.value} -> ${newValue}: ${why}`, site, newValue, tags);
  }
}
