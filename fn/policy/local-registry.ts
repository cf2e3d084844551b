// Air gap and bring-your-own registry: every image moves to the customer's registry, in the layout of
// Embedded Cluster v3 (`path`) or of KOTS (`kots`). No verdict is needed: the registry holds everything.
import { DEFAULT_PROXY_DOMAIN, type Config, type LocalRegistry } from '../config/config.js';
import { errNameTooLong, parseImageReference, repositoryNameTotalLengthMax, type ImageReference } from '../image-reference.js';
import { repositoryKey } from './decide-visibility.js';
import { parseImageValue, measurePrefix, type ImageDecision, type ProblemDecision } from './image-decision.js';

export type LocalName =
  | { ok: true; value: string; repository: string; source: ImageReference; alreadyLocal: boolean }
  | { ok: false; code: 'local-name-invalid' | 'upstream-invalid'; error: string };

/**
 * The name on the local registry: an image on our proxy loses `<proxy>/proxy/<appSlug>/` first, then
 * `path` keeps the path as written without its registry host, `kots` keeps its last segment; the
 * `:tag`, `@digest` or both stay verbatim. An image already on the local registry stays as it is, so a
 * second run changes nothing. Every part is valid already: only the length can make the name invalid.
 */
export function buildLocalName(ref: ImageReference, config: Config, local: LocalRegistry, prefixPath = measurePrefix(`${localPrefix(local)}/`)): LocalName {
  if (ref.host?.toLowerCase() === local.host) return { ok: true, value: ref.raw, repository: ref.name.toLowerCase(), source: ref, alreadyLocal: true };
  const source = stripProxyPrefix(ref, config);
  if (!source.ok) return source;
  const sourceHost = source.ref.host;
  const path = sourceHost === undefined ? source.ref.name : source.ref.name.slice(sourceHost.length + 1);
  const kept = local.layout === 'kots' ? path.slice(path.lastIndexOf('/') + 1) : path;
  const name = `${localPrefix(local)}/${kept}`;
  const value = `${name}${source.ref.raw.slice(source.ref.name.length)}`;
  const problem = !prefixPath.ok ? prefixPath.error : prefixPath.length + kept.length > repositoryNameTotalLengthMax ? errNameTooLong.message : undefined;
  if (problem !== undefined) return { ok: false, code: 'local-name-invalid', error: `the name on the local registry "${value}" would not be a valid reference: ${problem}` };
  return { ok: true, value, repository: name.toLowerCase(), source: source.ref, alreadyLocal: false };
}

/** `<host>[/<namespace>]`: where every repository of the local registry starts. */
export function localPrefix(local: LocalRegistry): string {
  return local.namespace === undefined ? local.host : `${local.host}/${local.namespace}`;
}

/** `<proxy>/proxy/<appSlug>/<upstream>` -> `<upstream>` (the custom proxy domain or the default one). */
function stripProxyPrefix(ref: ImageReference, config: Config): { ok: true; ref: ImageReference } | { ok: false; code: 'upstream-invalid'; error: string } {
  const host = ref.host;
  const lowerHost = host?.toLowerCase();
  if (host === undefined || (lowerHost !== config.proxyDomain && lowerHost !== DEFAULT_PROXY_DOMAIN)) return { ok: true, ref };
  const prefix = `${host}/proxy/${config.appSlug}/`;
  if (!ref.raw.startsWith(prefix)) return { ok: true, ref };
  // The part after the prefix is a reference of its own (its first segment may be a host now).
  const parsed = parseImageReference(ref.raw.slice(prefix.length));
  if (!parsed.ok) return { ok: false, code: 'upstream-invalid', error: `the upstream part of the proxied name is not a valid reference: ${parsed.error}` };
  return { ok: true, ref: parsed.ref };
}

/**
 * Decisions for every distinct value in localRegistry mode. Two different source repositories on one
 * destination repository would overwrite each other's tags on the registry: both are errors, named.
 */
export function decideLocalImages(values: Iterable<string>, config: Config, local: LocalRegistry): Map<string, ImageDecision> {
  const decisions = new Map<string, ImageDecision>();
  const sourcesOf = new Map<string, Set<string>>();
  const destinationOf = new Map<string, { ref: ImageReference; destination: string }>();
  const prefixPath = measurePrefix(`${localPrefix(local)}/`);
  // An anonymous registry needs no pull Secret: nothing is added for it.
  const addsPullSecret = local.credentials !== undefined || config.pullSecretMode === 'reference';
  const problem = (ref: ImageReference, code: ProblemDecision['code'], message: string): ProblemDecision => ({ kind: 'problem', code, severity: 'error', message, reason: message, ref, decidedBy: 'localRegistry' });
  for (const value of values) {
    if (decisions.has(value)) continue;
    const named = parseImageValue(value, config);
    if (named.kind === 'problem') {
      decisions.set(value, named);
      continue;
    }
    const ref = named.ref;
    const name = buildLocalName(ref, config, local, prefixPath);
    if (!name.ok) {
      decisions.set(value, problem(ref, name.code, name.error));
      continue;
    }
    const why = `moved to the local registry (layout ${local.layout})`;
    decisions.set(
      value,
      name.value === value
        ? { kind: 'keep', on: 'local-registry', ref, decidedBy: 'localRegistry', reason: 'already on the local registry', addsPullSecret }
        : { kind: 'rewrite', to: 'local-registry', newValue: name.value, why, severity: 'info', tags: { decidedBy: 'localRegistry' }, ref, decidedBy: 'localRegistry', reason: why, addsPullSecret },
    );
    if (name.alreadyLocal) continue;
    destinationOf.set(value, { ref, destination: name.repository });
    const sources = sourcesOf.get(name.repository) ?? new Set<string>();
    sources.add(repositoryKey(name.source));
    sourcesOf.set(name.repository, sources);
  }
  for (const [value, { ref, destination }] of destinationOf) {
    const sources = sourcesOf.get(destination)!;
    if (sources.size < 2) continue;
    const why = local.layout === 'kots' ? 'layout kots keeps only the last path segment; rename one, or use layout path' : 'rename one';
    decisions.set(value, problem(ref, 'local-collision', `local registry collision: ${[...sources].sort().join(' and ')} would both be ${destination} (${why}): left unchanged`));
  }
  return decisions;
}
