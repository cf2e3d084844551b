// What happens to one image value: one decision, made once, that every consumer applies as it is
// (the item edits, check mode, the image list, the mirror list, known-images). Proxy mode decides in
// two steps because a verdict may need a probe of the whole batch: `classify` settles what the name
// alone settles (not a reference, an image ID, already on the proxy or the vendor registry, a default
// host to swap), `decide` the rest once the verdict is known. localRegistry mode (local-registry.ts)
// makes the same decisions.
import { DEFAULT_PROXY_DOMAIN, DEFAULT_REGISTRY_DOMAIN, type Config } from '../config/config.js';
import { errNameTooLong, isImageId, parseImageReference, repositoryNameTotalLengthMax, type ImageReference, type ReferenceError } from '../image-reference.js';
import { shorten, type Severity } from '../results.js';
import type { Verdict, VerdictSource } from './decide-visibility.js';
import { findLinkedRegistry } from './linked-registry.js';

/** What decided: a verdict's source, the image's own host (`domain`), or localRegistry mode. */
export type DecidedBy = VerdictSource | 'domain' | 'localRegistry';

/** A result about an image left where it is. */
export interface ImageNote {
  severity: Severity;
  message: string;
  tags: Record<string, string>;
}

interface Decided {
  ref: ImageReference;
  decidedBy: DecidedBy;
  /** The verdict, when one was needed (proxy mode, not on the proxy or the vendor registry already). */
  verdict?: Verdict;
  /** Why, in a few words, for the image list. */
  reason: string;
  /** Pulling it needs the pull Secret: its pod spec gets imagePullSecrets, its namespace the Secret. */
  addsPullSecret: boolean;
}

export interface RewriteDecision extends Decided {
  kind: 'rewrite';
  /** proxy: a private image; custom-domain: the default proxy or registry host to the configured one. */
  to: 'proxy' | 'custom-domain' | 'local-registry';
  newValue: string;
  /** The result's explanation, after `image <value> -> <newValue>: `. */
  why: string;
  severity: 'info' | 'warning';
  tags: Record<string, string>;
}

export interface KeepDecision extends Decided {
  kind: 'keep';
  /** Already on the proxy, the vendor registry or the local registry; or public, on its own registry. */
  on: 'proxy' | 'vendor' | 'local-registry' | 'public';
  note?: ImageNote;
}

export type ProblemCode =
  | 'invalid-reference'
  | 'image-id'
  /** unknownImages: error, and nothing decided. */
  | 'undecided'
  | 'unlinked-registry'
  | 'ipv6-registry'
  | 'registry-port'
  | 'proxied-name-too-long'
  | 'proxied-name-invalid'
  | 'local-name-invalid'
  | 'upstream-invalid'
  | 'local-collision';

/** The value is left unchanged, with a result that says why. */
export interface ProblemDecision {
  kind: 'problem';
  code: ProblemCode;
  severity: 'error' | 'warning';
  message: string;
  reason: string;
  /** Absent when the value names no repository (invalid-reference, image-id). */
  ref?: ImageReference;
  /** invalid-reference: the grammar's error (a closed code and the Go library's text). */
  referenceError?: ReferenceError;
  decidedBy?: DecidedBy;
  verdict?: Verdict;
}

export type ImageDecision = RewriteDecision | KeepDecision | ProblemDecision;

/** A proxy-mode image that only a verdict can decide, with the name it would be pulled by if private. */
export interface PendingImage {
  kind: 'pending';
  ref: ImageReference;
  proxied: ProxiedName;
}

export type ProxiedName = { ok: true; value: string } | { ok: false; code: ProblemCode; severity: 'error' | 'warning'; error: string };

export interface ProxyDecider {
  /** The decision the name alone settles, or the image waiting for a verdict. */
  classify(value: string): ImageDecision | PendingImage;
  decide(image: PendingImage, verdict: Verdict): ImageDecision;
}

export function createProxyDecider(config: Config): ProxyDecider {
  const prefix = `${config.proxyDomain}/proxy/${config.appSlug}/`;
  const prefixPath = measurePrefix(prefix);
  return {
    classify(value) {
      const early = parseImageValue(value, config);
      if (early.kind === 'problem') return early;
      const ref = early.ref;
      const host = ref.host;
      const lowerHost = host?.toLowerCase();
      const domain = { ref, decidedBy: 'domain', addsPullSecret: true } as const;
      if (host !== undefined && lowerHost === config.proxyDomain) return { kind: 'keep', on: 'proxy', reason: `already on the proxy ${config.proxyDomain}`, ...domain };
      if (host !== undefined && lowerHost === config.registryDomain) return { kind: 'keep', on: 'vendor', reason: `on the vendor registry ${config.registryDomain}`, ...domain };
      const swap = (newHost: string, detail: string): RewriteDecision => ({
        kind: 'rewrite',
        to: 'custom-domain',
        newValue: newHost + value.slice(host!.length),
        why: `moved to the custom domain (${detail})`,
        severity: 'info',
        tags: { decidedBy: 'domain' },
        reason: detail,
        ...domain,
      });
      if (host !== undefined && lowerHost === DEFAULT_PROXY_DOMAIN) return swap(config.proxyDomain, `proxyDomain is ${config.proxyDomain}`);
      if (host !== undefined && lowerHost === DEFAULT_REGISTRY_DOMAIN) return swap(config.registryDomain, `registryDomain is ${config.registryDomain}`);
      return { kind: 'pending', ref, proxied: buildProxiedName(ref, config, prefix, prefixPath) };
    },
    decide({ ref, proxied }, verdict) {
      const decided = { ref, decidedBy: verdict.source, verdict } as const;
      if (verdict.error) return { kind: 'problem', code: 'undecided', severity: 'error', message: verdict.error, reason: verdict.error, ...decided };
      if (!verdict.isPrivate) {
        const keep: KeepDecision = { kind: 'keep', on: 'public', reason: verdict.warning ?? verdict.detail, addsPullSecret: false, ...decided };
        if (verdict.warning) keep.note = { severity: 'warning', message: verdict.warning, tags: verdictTags(verdict) };
        // A probed verdict is news: say it, so it can be pinned in knownImages.
        else if (verdict.source === 'probe') keep.note = { severity: 'info', message: `image ${ref.raw} is public (${verdict.detail}): left unchanged`, tags: verdictTags(verdict) };
        return keep;
      }
      if (!proxied.ok) return { kind: 'problem', code: proxied.code, severity: proxied.severity, message: proxied.error, reason: proxied.error, ...decided };
      return {
        kind: 'rewrite',
        to: 'proxy',
        newValue: proxied.value,
        why: `${verdict.warning ?? `private (${verdict.detail})`}: pulled through ${config.proxyDomain}`,
        severity: verdict.warning ? 'warning' : 'info',
        tags: verdictTags(verdict),
        reason: verdict.warning ?? verdict.detail,
        addsPullSecret: true,
        ...decided,
      };
    },
  };
}

/** Either mode: a value that is not a reference or is an image ID is a problem; else its reference. */
export function parseImageValue(value: string, config: Config): ProblemDecision | { kind: 'named'; ref: ImageReference } {
  if (isImageId(value)) {
    return { kind: 'problem', code: 'image-id', severity: 'warning', message: 'image is an image ID (sha256:…), not a name: left unchanged', reason: 'an image ID (sha256:…), not a name' };
  }
  const parsed = parseImageReference(value);
  if (parsed.ok) return { kind: 'named', ref: parsed.ref };
  return {
    kind: 'problem',
    code: 'invalid-reference',
    referenceError: { code: parsed.code, message: parsed.error },
    severity: config.invalidImages === 'error' ? 'error' : 'warning',
    message: `not a valid image reference (${shorten(parsed.error)}): left unchanged`,
    reason: `not a valid image reference (${parsed.error})`,
  };
}

/**
 * How much of a name's repository path `prefix` makes, as the grammar reads it (a one-label lowercase
 * host is a Hub namespace, so it counts), or the grammar's error when the prefix itself cannot start a
 * name. Names built on the prefix from parts already valid can then only be too long.
 */
export function measurePrefix(prefix: string): { ok: true; length: number } | { ok: false; error: string } {
  const parsed = parseImageReference(`${prefix}x`);
  return parsed.ok ? { ok: true, length: parsed.ref.path.length - 1 } : { ok: false, error: parsed.error };
}

/**
 * `<proxy>/proxy/<appSlug>/<name as written>` plus the original `:tag`, `@digest` or both, verbatim
 * (reference-behavior.md §3); the registry host is lowercased because it becomes a path segment.
 * Every part is valid already (a lowercased host name is a valid path component), so only a host that
 * cannot be a segment (IPv6, a port) and the length limit remain to check.
 */
function buildProxiedName(ref: ImageReference, config: Config, prefix: string, prefixPath: ReturnType<typeof measurePrefix>): ProxiedName {
  const linked = findLinkedRegistry(ref, config.linkedRegistries);
  if (linked === 'unlinked') {
    return {
      ok: false,
      code: 'unlinked-registry',
      severity: config.unlinkedRegistries === 'warn' ? 'warning' : 'error',
      error: `registry ${ref.domain.toLowerCase()} is not linked (linkedRegistries): the proxy serves only registries the vendor linked in the Vendor Portal; left unchanged`,
    };
  }
  const suffix = ref.raw.slice(ref.name.length);
  // A named registry replaces the host: `/name/` instead of `/registry-domain/`, with the normalized
  // path (Docker Hub's `nginx` is `library/nginx` upstream).
  if (linked?.name !== undefined) return checkLength(`${linked.name}/${ref.path}`, suffix, prefix, prefixPath);
  const host = ref.host;
  if (host?.startsWith('[')) return { ok: false, code: 'ipv6-registry', severity: 'error', error: `cannot proxy an image on an IPv6 registry (${host}): it cannot be a path segment of ${config.proxyDomain}` };
  if (host?.includes(':')) {
    return { ok: false, code: 'registry-port', severity: 'error', error: `cannot proxy an image on a registry with a port (${host}): "${host.toLowerCase()}" cannot be a path segment of the proxied name` };
  }
  const name = host === undefined ? ref.name : host.toLowerCase() + ref.name.slice(host.length);
  return checkLength(name, suffix, prefix, prefixPath);
}

function checkLength(name: string, suffix: string, prefix: string, prefixPath: ReturnType<typeof measurePrefix>): ProxiedName {
  const value = `${prefix}${name}${suffix}`;
  if (!prefixPath.ok) return { ok: false, code: 'proxied-name-invalid', severity: 'error', error: `the proxied name "${value}" would not be a valid reference: ${prefixPath.error}` };
  if (prefixPath.length + name.length > repositoryNameTotalLengthMax) {
    return { ok: false, code: 'proxied-name-too-long', severity: 'error', error: `the proxied name would be longer than ${repositoryNameTotalLengthMax} characters: ${errNameTooLong.message}` };
  }
  return { ok: true, value };
}

/** What decided, and for a probe the reason and whether the verdict may be pinned in knownImages. */
function verdictTags(verdict: Verdict): Record<string, string> {
  const tags: Record<string, string> = { decidedBy: verdict.source };
  if (verdict.reason) tags['reason'] = verdict.reason;
  if (verdict.source === 'probe') tags['pinnable'] = String(verdict.cacheable === true);
  return tags;
}
