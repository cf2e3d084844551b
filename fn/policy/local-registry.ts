// Air gap and bring-your-own registry: every image moves to the customer's registry, in the layout of
// Embedded Cluster v3 (`path`) or of KOTS (`kots`). No verdict is needed: the registry holds everything.
import { DEFAULT_PROXY_DOMAIN, type Config, type LocalRegistry } from '../config/config.js';
import { isImageId, parseImageReference, type ImageReference } from '../image-reference.js';
import { repositoryKey } from './decide-visibility.js';
import { explicitHost, type ImagePlan } from './plan-image.js';

export type LocalName =
  | { ok: true; value: string; source: ImageReference; alreadyLocal: boolean }
  | { ok: false; error: string };

/**
 * The name on the local registry: an image on our proxy loses `<proxy>/proxy/<appSlug>/` first, then
 * `path` keeps the path as written without its registry host, `kots` keeps its last segment; the
 * `:tag`, `@digest` or both stay verbatim. An image already on the local registry stays as it is, so a
 * second run changes nothing.
 */
export function buildLocalName(ref: ImageReference, config: Config, local: LocalRegistry): LocalName {
  const host = explicitHost(ref.name)?.toLowerCase();
  if (host === local.host) return { ok: true, value: ref.raw, source: ref, alreadyLocal: true };
  const source = stripProxyPrefix(ref, config);
  if (!source.ok) return source;
  const sourceHost = explicitHost(source.ref.name);
  const path = sourceHost === undefined ? source.ref.name : source.ref.name.slice(sourceHost.length + 1);
  const kept = local.layout === 'kots' ? path.slice(path.lastIndexOf('/') + 1) : path;
  const value = `${localPrefix(local)}/${kept}${source.ref.raw.slice(source.ref.name.length)}`;
  const parsed = parseImageReference(value);
  if (!parsed.ok) return { ok: false, error: `the name on the local registry "${value}" would not be a valid reference: ${parsed.error}` };
  return { ok: true, value, source: source.ref, alreadyLocal: false };
}

/** `<host>[/<namespace>]`: where every repository of the local registry starts. */
export function localPrefix(local: LocalRegistry): string {
  return local.namespace === undefined ? local.host : `${local.host}/${local.namespace}`;
}

/** `<proxy>/proxy/<appSlug>/<upstream>` -> `<upstream>` (the custom proxy domain or the default one). */
function stripProxyPrefix(ref: ImageReference, config: Config): { ok: true; ref: ImageReference } | { ok: false; error: string } {
  const host = explicitHost(ref.name);
  const lowerHost = host?.toLowerCase();
  if (host === undefined || (lowerHost !== config.proxyDomain && lowerHost !== DEFAULT_PROXY_DOMAIN)) return { ok: true, ref };
  const prefix = `${host}/proxy/${config.appSlug}/`;
  if (!ref.raw.startsWith(prefix)) return { ok: true, ref };
  const parsed = parseImageReference(ref.raw.slice(prefix.length));
  if (!parsed.ok) return { ok: false, error: `the upstream part of the proxied name is not a valid reference: ${parsed.error}` };
  return { ok: true, ref: parsed.ref };
}

/**
 * Plans for every distinct value in localRegistry mode. Two different source repositories on one
 * destination repository would overwrite each other's tags on the registry: both are errors, named.
 */
export function planLocalImages(values: Iterable<string>, config: Config, local: LocalRegistry): Map<string, ImagePlan> {
  const plans = new Map<string, ImagePlan>();
  const sourcesOf = new Map<string, Set<string>>();
  const destinationOf = new Map<string, string>();
  for (const value of values) {
    if (plans.has(value)) continue;
    if (isImageId(value)) {
      plans.set(value, { kind: 'image-id' });
      continue;
    }
    const parsed = parseImageReference(value);
    if (!parsed.ok) {
      plans.set(value, { kind: 'invalid', error: parsed.error });
      continue;
    }
    const name = buildLocalName(parsed.ref, config, local);
    if (!name.ok) {
      plans.set(value, { kind: 'local', ref: parsed.ref, newValue: value, error: name.error });
      continue;
    }
    plans.set(value, { kind: 'local', ref: parsed.ref, newValue: name.value });
    if (name.alreadyLocal) continue;
    const destination = repositoryOf(name.value);
    destinationOf.set(value, destination);
    const sources = sourcesOf.get(destination) ?? new Set<string>();
    sources.add(repositoryKey(name.source));
    sourcesOf.set(destination, sources);
  }
  for (const [value, destination] of destinationOf) {
    const sources = sourcesOf.get(destination)!;
    if (sources.size < 2) continue;
    const plan = plans.get(value) as Extract<ImagePlan, { kind: 'local' }>;
    const why = local.layout === 'kots' ? 'layout kots keeps only the last path segment; rename one, or use layout path' : 'rename one';
    plans.set(value, { ...plan, newValue: value, error: `local registry collision: ${[...sources].sort().join(' and ')} would both be ${destination} (${why}): left unchanged` });
  }
  return plans;
}

/** The repository part of a reference: without `:tag` and `@digest`. */
function repositoryOf(value: string): string {
  const parsed = parseImageReference(value);
  return parsed.ok ? parsed.ref.name.toLowerCase() : value;
}
