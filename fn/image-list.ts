// `registry-proxy images [--format text|json]`: every image of the items, once per value as written,
// with where it is, what the function decides and why, and the name it is pulled by afterwards. The JSON
// names the upstream source of each image, so a mirror list (skopeo sync, air gap) is one more format.
import type { Config, LocalRegistry } from './config/config.js';
import type { MirrorList } from './mirror-list.js';
import type { ImageDecision } from './policy/image-decision.js';
import { repositoryKey } from './policy/decide-visibility.js';
import type { ResourceRef } from './results.js';
import { objectsOf } from './resource-list/item-scan.js';
import type { PlannedResourceList } from './plan-resource-list.js';
import { fileOf } from './transform.js';

export const IMAGE_LIST_API_VERSION = 'fn.registry-proxy.dev/v1alpha1';

/** private: rewritten to the proxy; public: left; proxied / vendor: already pulled with the pull Secret. */
export type ImageVerdict = 'private' | 'public' | 'proxied' | 'vendor' | 'moved' | 'invalid' | 'image-id' | 'error' | 'not-a-string';

export interface ImageLocation {
  resourceRef: ResourceRef;
  field: string;
  file?: { path: string; index?: number };
}

export interface ImageEntry {
  /** The value as written. */
  image: string;
  /** The normalized repository (`docker.io/library/nginx`), absent when the value does not parse. */
  repository?: string;
  verdict: ImageVerdict;
  /** What decided: proxyPublicImages, rules, knownImages, probe, unknownImages, domain, reference. */
  decidedBy?: string;
  reason: string;
  /** The value the function writes instead, absent when it leaves the value alone. */
  rewritten?: string;
  /** What the cluster pulls after the function ran. */
  pulledAs: string;
  /**
   * Where the image content lives, as a registry would be asked for it: the value as written, or for an
   * image already on the proxy the part after `<proxy>/proxy/<appSlug>/`. The source of a mirror.
   */
  upstream?: string;
  /** Whether the pull needs the pull Secret (the proxy, the vendor registry). */
  needsPullSecret: boolean;
  /** localRegistry mode: where to copy the image from (decided as in proxy mode) and to. */
  mirror?: { source: string; destination: string };
  locations: ImageLocation[];
}

export interface ImageList {
  apiVersion: string;
  kind: 'ImageList';
  proxy: { domain: string; appSlug: string; registryDomain: string; pullSecretName: string };
  localRegistry?: { host: string; namespace?: string; layout: LocalRegistry['layout'] };
  images: ImageEntry[];
}

/**
 * localRegistry mode: the proxy-mode list (verdicts, reasons, upstream) with the names the function
 * writes instead, the mirror source and destination, and the local registry's Secret.
 */
export function withLocalNames(list: ImageList, localDecisions: ReadonlyMap<string, ImageDecision>, mirror: MirrorList, local: LocalRegistry): ImageList {
  const lines = new Map(mirror.lines.map((line) => [line.destination, line]));
  const images = list.images.map((entry): ImageEntry => {
    const decision = localDecisions.get(entry.image);
    if (decision?.decidedBy !== 'localRegistry') return entry;
    if (decision.kind === 'problem') {
      const { rewritten: _rewritten, ...rest } = entry;
      return orderFields({ ...rest, verdict: 'error', reason: decision.message, pulledAs: entry.image, needsPullSecret: false });
    }
    const newValue = decision.kind === 'rewrite' ? decision.newValue : entry.image;
    const line = lines.get(newValue) ?? lines.get(stripTag(newValue));
    return orderFields({
      ...entry,
      ...(newValue !== entry.image ? { rewritten: newValue } : {}),
      pulledAs: newValue,
      needsPullSecret: local.credentials !== undefined,
      ...(line !== undefined ? { mirror: { source: line.source, destination: line.destination } } : {}),
    });
  });
  const localRegistry = { host: local.host, ...(local.namespace !== undefined ? { namespace: local.namespace } : {}), layout: local.layout };
  return { apiVersion: list.apiVersion, kind: list.kind, proxy: list.proxy, localRegistry, images };
}

/** `name:tag@digest` -> `name@digest`, as the mirror list writes it. */
function stripTag(value: string): string {
  const at = value.indexOf('@');
  if (at === -1) return value;
  const name = value.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? `${name.slice(0, colon)}${value.slice(at)}` : value;
}

export function listImages(planned: PlannedResourceList): ImageList {
  const { config } = planned.loaded;
  const entries = new Map<string, ImageEntry>();
  planned.items.forEach((item, index) => {
    const rewrites = new Map(planned.edits[index]!.rewrites.map(({ site, newValue }) => [site.start, newValue]));
    const file = fileOf(item);
    // A List's objects are listed as the objects they are, with field paths inside the List.
    for (const object of objectsOf(item)) {
      const resourceRef: ResourceRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.name };
      if (object.namespace !== undefined) resourceRef.namespace = object.namespace;
      for (const site of object.images) {
        if (site.value !== undefined && site.value.trim() === '') continue;
        const key = site.value ?? `(${site.style})`;
        let entry = entries.get(key);
        if (!entry) {
          entry = describeImage(site.value, config, planned, rewrites.get(site.start));
          entries.set(key, entry);
        }
        entry.locations.push({ resourceRef, field: site.fieldPath, ...(file ? { file } : {}) });
      }
    }
  });
  const images = [...entries.values()].map(orderFields).sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
  return {
    apiVersion: IMAGE_LIST_API_VERSION,
    kind: 'ImageList',
    proxy: { domain: config.proxyDomain, appSlug: config.appSlug, registryDomain: config.registryDomain, pullSecretName: config.pullSecretName },
    images,
  };
}

function describeImage(value: string | undefined, config: Config, planned: PlannedResourceList, rewritten: string | undefined): ImageEntry {
  if (value === undefined) return { image: '(not a plain string)', verdict: 'not-a-string', reason: 'an alias, block scalar or non-string: left unchanged', pulledAs: '', needsPullSecret: false, locations: [] };
  const decision = planned.decisions.byValue.get(value);
  const base = { image: value, pulledAs: rewritten ?? value, locations: [] as ImageLocation[] };
  if (decision === undefined) return { ...base, verdict: 'invalid', reason: 'not decided', needsPullSecret: false };
  if (decision.ref === undefined) return { ...base, verdict: decision.kind === 'problem' && decision.code === 'image-id' ? 'image-id' : 'invalid', reason: decision.reason, needsPullSecret: false };
  const named = { ...base, repository: repositoryKey(decision.ref), ...(decision.decidedBy !== undefined ? { decidedBy: decision.decidedBy } : {}) };
  switch (decision.kind) {
    case 'problem':
      return { ...named, verdict: 'error', reason: decision.reason, upstream: value, needsPullSecret: false };
    case 'keep':
      if (decision.on === 'proxy') return { ...named, verdict: 'proxied', reason: decision.reason, upstream: upstreamOf(value, config), needsPullSecret: true };
      if (decision.on === 'vendor') return { ...named, verdict: 'vendor', reason: decision.reason, upstream: value, needsPullSecret: true };
      return { ...named, verdict: 'public', reason: decision.reason, upstream: value, needsPullSecret: decision.addsPullSecret };
    case 'rewrite':
      if (decision.to === 'proxy') return { ...named, verdict: 'private', reason: decision.reason, rewritten: decision.newValue, pulledAs: decision.newValue, upstream: value, needsPullSecret: true };
      return { ...named, verdict: 'moved', reason: decision.reason, ...(rewritten ? { rewritten } : {}), upstream: upstreamOf(decision.newValue, config), needsPullSecret: decision.addsPullSecret };
  }
}

/** The documented field order, whatever order the entry was built in: the JSON reads the same every time. */
function orderFields(entry: ImageEntry): ImageEntry {
  return {
    image: entry.image,
    ...(entry.repository !== undefined ? { repository: entry.repository } : {}),
    verdict: entry.verdict,
    ...(entry.decidedBy !== undefined ? { decidedBy: entry.decidedBy } : {}),
    reason: entry.reason,
    ...(entry.rewritten !== undefined ? { rewritten: entry.rewritten } : {}),
    pulledAs: entry.pulledAs,
    ...(entry.upstream !== undefined ? { upstream: entry.upstream } : {}),
    needsPullSecret: entry.needsPullSecret,
    ...(entry.mirror !== undefined ? { mirror: entry.mirror } : {}),
    locations: entry.locations,
  };
}

/** `<proxy>/proxy/<appSlug>/<upstream>` -> `<upstream>`; another app's proxied name stays as it is. */
function upstreamOf(value: string, config: Config): string {
  const prefix = `${config.proxyDomain}/proxy/${config.appSlug}/`;
  return value.toLowerCase().startsWith(prefix) ? value.slice(prefix.length) : value;
}

export function formatImageListText(list: ImageList): string {
  const lines: string[] = [];
  for (const entry of list.images) {
    const arrow = entry.rewritten !== undefined ? ` -> ${entry.rewritten}` : '';
    const decidedBy = entry.decidedBy !== undefined && !entry.reason.startsWith(entry.decidedBy) ? `${entry.decidedBy}: ` : '';
    lines.push(`${entry.verdict.padEnd(8)} ${entry.image}${arrow}  (${decidedBy}${entry.reason})`);
    for (const location of entry.locations) {
      const namespace = location.resourceRef.namespace !== undefined ? `${location.resourceRef.namespace}/` : '';
      lines.push(`         ${location.resourceRef.kind} ${namespace}${location.resourceRef.name} ${location.field}`);
    }
  }
  lines.push(`${list.images.length} image(s); ${list.images.filter((entry) => entry.rewritten !== undefined).length} rewritten`);
  return `${lines.join('\n')}\n`;
}

export function formatImageListJson(list: ImageList): string {
  return `${JSON.stringify(list, null, 2)}\n`;
}
