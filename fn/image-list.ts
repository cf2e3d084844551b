// `registry-proxy images [--format text|json]`: every image of the items, once per value as written,
// with where it is, what the function decides and why, and the name it is pulled by afterwards. The JSON
// names the upstream source of each image, so a mirror list (skopeo sync, air gap) is one more format.
import type { Config, LocalRegistry } from './config/config.js';
import type { MirrorList } from './mirror-list.js';
import type { ImagePlan } from './policy/plan-image.js';
import type { Verdict } from './policy/decide-images.js';
import { repositoryKey } from './policy/decide-visibility.js';
import { buildProxiedName } from './policy/plan-image.js';
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
export function withLocalNames(list: ImageList, plans: ReadonlyMap<string, ImagePlan>, mirror: MirrorList, local: LocalRegistry): ImageList {
  const lines = new Map(mirror.lines.map((line) => [line.destination, line]));
  const images = list.images.map((entry): ImageEntry => {
    const plan = plans.get(entry.image);
    if (plan?.kind !== 'local') return entry;
    if (plan.error !== undefined) {
      const { rewritten: _rewritten, ...rest } = entry;
      return orderFields({ ...rest, verdict: 'error', reason: plan.error, pulledAs: entry.image, needsPullSecret: false });
    }
    const line = lines.get(plan.newValue) ?? lines.get(stripTag(plan.newValue));
    return orderFields({
      ...entry,
      ...(plan.newValue !== entry.image ? { rewritten: plan.newValue } : {}),
      pulledAs: plan.newValue,
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
  const plan = planned.decisions.plans.get(value);
  const base = { image: value, pulledAs: rewritten ?? value, locations: [] as ImageLocation[] };
  if (plan === undefined || plan.kind === 'invalid') return { ...base, verdict: 'invalid', reason: plan?.kind === 'invalid' ? `not a valid image reference (${plan.error})` : 'not decided', needsPullSecret: false };
  if (plan.kind === 'image-id') return { ...base, verdict: 'image-id', reason: 'an image ID (sha256:…), not a name', needsPullSecret: false };
  const repository = repositoryKey(plan.ref);
  const named = { ...base, repository };
  switch (plan.kind) {
    case 'proxied':
      return { ...named, verdict: 'proxied', decidedBy: 'domain', reason: `already on the proxy ${config.proxyDomain}`, upstream: upstreamOf(value, config), needsPullSecret: true };
    case 'vendor':
      return { ...named, verdict: 'vendor', decidedBy: 'domain', reason: `on the vendor registry ${config.registryDomain}`, upstream: value, needsPullSecret: true };
    case 'swap':
      return { ...named, verdict: 'moved', decidedBy: 'domain', reason: plan.detail, ...(rewritten ? { rewritten } : {}), upstream: upstreamOf(plan.newValue, config), needsPullSecret: true };
    case 'decide':
      break;
  }
  const verdict: Verdict | undefined = planned.decisions.verdicts.get(value);
  if (verdict === undefined) return { ...named, verdict: 'error', reason: 'no verdict', needsPullSecret: false };
  const decided = { ...named, decidedBy: verdict.source, upstream: value };
  if (verdict.error) return { ...decided, verdict: 'error', reason: verdict.error, needsPullSecret: false };
  if (!verdict.isPrivate) return { ...decided, verdict: 'public', reason: verdict.warning ?? verdict.detail, needsPullSecret: false };
  const proxied = buildProxiedName(plan.ref, config);
  if (!proxied.ok) return { ...decided, verdict: 'error', reason: proxied.error, needsPullSecret: false };
  return { ...decided, verdict: 'private', reason: verdict.warning ?? verdict.detail, rewritten: proxied.value, pulledAs: proxied.value, needsPullSecret: true };
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
