// Where the probe may send a request. Image names come from manifests the user did not write and every
// registry can answer anything (a token realm, a redirect), so each destination is checked before a
// connection is opened, the way go-containerregistry, containerd's users and the devcontainers CLI did
// after their realm advisories (fn/probe/README.md, "Security"):
// - a registry on a loopback, private or link-local address is probed only when it is listed in
//   `insecureRegistries` or `allowPrivateAddresses` is set; a metadata service never;
// - a token realm or redirect must be http(s), carry no user-info, not downgrade an https registry to
//   http, and reach a non-public address only when the registry itself is on one it was allowed to be on:
//   the same host:port always, another private-network host (a sister token service) too, anything but a
//   metadata service with `allowPrivateAddresses`;
// - names are resolved here, checked, and the connection is pinned to the checked addresses (no second
//   lookup that could answer differently). Through an HTTP(S) proxy the proxy resolves: literals and
//   well-known names are checked, the rest is the proxy's egress policy.

import type { LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import { classifyAddress, classifyHostName, describeClass, worstClass, type AddressClass } from './address-class.js';
import { isListedInsecure, splitHost, type Scheme } from './registry-endpoint.js';

export type RequestPurpose = 'registry' | 'realm' | 'redirect';

export interface EgressRequest {
  url: string;
  purpose: RequestPurpose; // registry: the registry's own manifest URL; realm: its token endpoint; redirect: a Location it sent
  registry: string; // API host[:port] of the registry being probed, lower-case
  registryScheme: Scheme; // the scheme the registry is being spoken to with
}

/** What `net.connect` calls to resolve a name; here it answers with the addresses already checked. */
export type PinnedLookup = (
  hostname: string,
  options: { all?: boolean; family?: number | string } | number,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export type EgressDecision = { ok: true; lookup: PinnedLookup | undefined } | { ok: false; message: string };

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface EgressPolicyOptions {
  insecureRegistries: readonly string[];
  allowPrivateAddresses: boolean;
  resolve?: Resolver; // default: the system resolver (getaddrinfo), every address
}

export interface EgressPolicy {
  /** Before any I/O, from the name alone: why this registry is not probed, or undefined. */
  refuseRegistryByName(registry: string): string | undefined;
  admit(request: EgressRequest, viaProxy: boolean): Promise<EgressDecision>;
}

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export function createEgressPolicy(options: EgressPolicyOptions): EgressPolicy {
  const resolve = options.resolve ?? systemResolver;
  // The class each registry turned out to have, so its realm and redirects are judged against it.
  const registryClasses = new Map<string, AddressClass>();

  const registryAllowed = (registry: string, kind: AddressClass): boolean =>
    kind === 'public' || (kind !== 'metadata' && (options.allowPrivateAddresses || isListedInsecure(registry, options.insecureRegistries)));

  const refuseRegistry = (registry: string, kind: AddressClass): string =>
    kind === 'metadata'
      ? `not probed: ${registry} is ${describeClass(kind)}`
      : `not probed: ${registry} is ${describeClass(kind)}; list it in probe.insecureRegistries or set probe.allowPrivateAddresses to probe it`;

  const followAllowed = (request: EgressRequest, target: URL, kind: AddressClass): boolean => {
    if (kind === 'public') return true;
    if (kind === 'metadata') return false;
    const own = registryClasses.get(request.registry) ?? classifyHostName(splitHost(request.registry).hostname) ?? 'public';
    // A public registry never sends us inward; a name that resolved public before and private now is rebinding.
    if (own === 'public') return false;
    if (sameAuthority(target, request.registry, request.registryScheme)) return true;
    return options.allowPrivateAddresses || (kind === 'private' && own === 'private');
  };

  return {
    refuseRegistryByName(registry) {
      const kind = classifyHostName(splitHost(registry).hostname);
      return kind === undefined || registryAllowed(registry, kind) ? undefined : refuseRegistry(registry, kind);
    },

    async admit(request, viaProxy) {
      let target: URL;
      try {
        target = new URL(request.url);
      } catch {
        return { ok: false, message: `refused ${describePurpose(request.purpose)}: not a URL` };
      }
      const what = `${describePurpose(request.purpose)} ${target.origin}`;
      // URL lower-cases the scheme: `HTTP://` and `Http://` are plain http too.
      if (target.protocol !== 'https:' && target.protocol !== 'http:') return { ok: false, message: `refused ${what}: not http(s)` };
      if (request.purpose !== 'registry') {
        if (target.username !== '' || target.password !== '') return { ok: false, message: `refused ${what}: it carries user-info` };
        if (target.protocol === 'http:' && request.registryScheme === 'https') {
          return { ok: false, message: `refused ${what}: plain http for an https registry (list the registry in probe.insecureRegistries if that is intended)` };
        }
      }

      const hostname = target.hostname.replace(/^\[|\]$/g, '');
      let kind = classifyHostName(hostname);
      let lookup: PinnedLookup | undefined;
      if (kind === undefined && !viaProxy) {
        try {
          const addresses = await resolve(hostname);
          kind = worstClass(addresses.map((entry) => classifyAddress(entry.address) ?? 'public'));
          lookup = pinLookup(addresses);
        } catch (error) {
          // The request fails the way it would have (ENOTFOUND, EAI_AGAIN), without a second lookup.
          lookup = failLookup(error as NodeJS.ErrnoException);
        }
      }
      kind ??= 'public';

      if (request.purpose === 'registry') {
        registryClasses.set(request.registry, kind);
        return registryAllowed(request.registry, kind) ? { ok: true, lookup } : { ok: false, message: refuseRegistry(request.registry, kind) };
      }
      if (followAllowed(request, target, kind)) return { ok: true, lookup };
      return { ok: false, message: `refused ${what}: it is ${describeClass(kind)} and the registry ${request.registry} is not allowed to send the probe there` };
    },
  };
}

function describePurpose(purpose: RequestPurpose): string {
  return purpose === 'registry' ? 'the registry' : purpose === 'realm' ? 'the token realm' : 'the redirect to';
}

function defaultPort(scheme: string): string {
  return scheme === 'http' || scheme === 'http:' ? '80' : '443';
}

/** Same host and port (an explicit default port equals none), compared as the registry is spoken to. */
function sameAuthority(target: URL, registry: string, registryScheme: Scheme): boolean {
  const { hostname, port } = splitHost(registry);
  const targetPort = target.port === '' ? defaultPort(target.protocol) : target.port;
  return target.hostname.toLowerCase() === hostname.toLowerCase() && targetPort === (port ?? defaultPort(registryScheme));
}

function pinLookup(addresses: readonly LookupAddress[]): PinnedLookup {
  return (_hostname, options, callback) => {
    const family = typeof options === 'number' ? options : Number(options.family ?? 0);
    const usable = family === 4 || family === 6 ? addresses.filter((entry) => entry.family === family) : [...addresses];
    const first = usable[0];
    if (first === undefined) {
      callback(Object.assign(new Error(`no address of family ${family}`), { code: 'ENOTFOUND' }), []);
      return;
    }
    if (typeof options === 'object' && options.all === true) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}

function failLookup(error: NodeJS.ErrnoException): PinnedLookup {
  return (_hostname, _options, callback) => callback(error, []);
}
