// What happens to one image value, before any verdict: it may not parse, be an image ID, already go
// through the proxy, live on the vendor's registry, need a host swap, or need a verdict.
import { DEFAULT_PROXY_DOMAIN, DEFAULT_REGISTRY_DOMAIN, type Config } from '../config/config.js';
import { isImageId, parseImageReference, type ImageReference } from '../image-reference.js';
import { findLinkedRegistry } from './linked-registry.js';

/** What proxy mode makes of a value; localRegistry mode has its own plan (local-registry.ts). */
export type ProxyImagePlan =
  | { kind: 'invalid'; error: string }
  | { kind: 'image-id' }
  | { kind: 'proxied'; ref: ImageReference }
  | { kind: 'vendor'; ref: ImageReference }
  | { kind: 'swap'; ref: ImageReference; newValue: string; detail: string }
  | { kind: 'decide'; ref: ImageReference };

/** localRegistry mode: newValue is the value itself when already there or on error. */
export type ImagePlan = ProxyImagePlan | { kind: 'local'; ref: ImageReference; newValue: string; error?: string };

export function planImage(value: string, config: Config): ProxyImagePlan {
  if (isImageId(value)) return { kind: 'image-id' };
  const parsed = parseImageReference(value);
  if (!parsed.ok) return { kind: 'invalid', error: parsed.error };
  const ref = parsed.ref;
  const host = explicitHost(ref.name);
  const lowerHost = host?.toLowerCase();
  if (host !== undefined && lowerHost === config.proxyDomain) return { kind: 'proxied', ref };
  if (host !== undefined && lowerHost === config.registryDomain) return { kind: 'vendor', ref };
  if (host !== undefined && lowerHost === DEFAULT_PROXY_DOMAIN) {
    return { kind: 'swap', ref, newValue: config.proxyDomain + value.slice(host.length), detail: `proxyDomain is ${config.proxyDomain}` };
  }
  if (host !== undefined && lowerHost === DEFAULT_REGISTRY_DOMAIN) {
    return { kind: 'swap', ref, newValue: config.registryDomain + value.slice(host.length), detail: `registryDomain is ${config.registryDomain}` };
  }
  return { kind: 'decide', ref };
}

/** The registry host as written, when the name has one (distribution's splitDockerDomain rule). */
export function explicitHost(name: string): string | undefined {
  const slash = name.indexOf('/');
  if (slash === -1) return undefined;
  const first = name.slice(0, slash);
  if (first === 'localhost' || first.includes('.') || first.includes(':') || first !== first.toLowerCase()) return first;
  return undefined;
}

/** `severity` is set when the problem is a warning by configuration (unlinkedRegistries: warn). */
export type ProxiedName = { ok: true; value: string } | { ok: false; error: string; severity?: 'error' | 'warning' };

/**
 * `<proxy>/proxy/<appSlug>/<name as written>` plus the original `:tag`, `@digest` or both, verbatim
 * (reference-behavior.md §3); the registry host is lowercased because it becomes a path segment.
 */
export function buildProxiedName(ref: ImageReference, config: Config): ProxiedName {
  const linked = findLinkedRegistry(ref, config.linkedRegistries);
  if (linked === 'unlinked') {
    return {
      ok: false,
      severity: config.unlinkedRegistries === 'warn' ? 'warning' : 'error',
      error: `registry ${ref.domain.toLowerCase()} is not linked (linkedRegistries): the proxy serves only registries the vendor linked in the Vendor Portal; left unchanged`,
    };
  }
  // A named registry replaces the host: `/name/` instead of `/registry-domain/`, with the normalized
  // path (Docker Hub's `nginx` is `library/nginx` upstream).
  if (linked?.name !== undefined) return checkProxiedName(`${config.proxyDomain}/proxy/${config.appSlug}/${linked.name}/${ref.path}${ref.raw.slice(ref.name.length)}`);
  const host = explicitHost(ref.name);
  const name = host === undefined ? ref.name : host.toLowerCase() + ref.name.slice(host.length);
  const suffix = ref.raw.slice(ref.name.length);
  const value = `${config.proxyDomain}/proxy/${config.appSlug}/${name}${suffix}`;
  if (host?.startsWith('[')) return { ok: false, error: `cannot proxy an image on an IPv6 registry (${host}): it cannot be a path segment of ${config.proxyDomain}` };
  if (host?.includes(':')) return { ok: false, error: `cannot proxy an image on a registry with a port (${host}): "${host.toLowerCase()}" cannot be a path segment of the proxied name` };
  return checkProxiedName(value);
}

function checkProxiedName(value: string): ProxiedName {
  const parsed = parseImageReference(value);
  if (!parsed.ok) {
    if (parsed.error.includes('255')) return { ok: false, error: `the proxied name would be longer than 255 characters: ${parsed.error}` };
    return { ok: false, error: `the proxied name "${value}" would not be a valid reference: ${parsed.error}` };
  }
  return { ok: true, value };
}
