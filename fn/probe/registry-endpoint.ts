// Where to send a registry's API requests: Docker Hub's API host, `library/`, and which schemes to try.

export type Scheme = 'https' | 'http';

export interface RegistryEndpoint {
  host: string; // API host[:port], lower-case: "registry-1.docker.io", "127.0.0.1:5000"
  repository: string; // as sent to the API: "library/nginx"
  schemes: Scheme[]; // in the order to try
}

// Docker Hub's names as users and tools write them; its API answers only at registry-1.docker.io.
const dockerHubNames = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const dockerHubApiHost = 'registry-1.docker.io';

// Path components and references as the distribution grammar allows them; anything else is never put in a URL.
const repositoryPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;

/** Maps a parsed registry domain to its API host; Docker Hub aliases all become registry-1.docker.io. */
export function resolveApiHost(registry: string): string {
  const host = registry.toLowerCase();
  return dockerHubNames.has(host) ? dockerHubApiHost : host;
}

/**
 * Resolves where and how to probe a repository.
 * Schemes: a host listed in `insecureRegistries` is plain http only (the user said so; no https attempt to
 * wait for). An unlisted loopback host tries https first, then http: local registries are usually plain
 * http, but a TLS one must not be downgraded without being asked. Everything else is https only.
 */
export function resolveRegistryEndpoint(
  registry: string,
  repository: string,
  insecureRegistries: readonly string[],
): RegistryEndpoint {
  const host = resolveApiHost(registry);
  const isDockerHub = host === dockerHubApiHost;
  // One-component Hub names are official images under `library/`; the core normally adds it already.
  const apiRepository = isDockerHub && !repository.includes('/') ? `library/${repository}` : repository;
  let schemes: Scheme[] = ['https'];
  if (!isDockerHub && isListedInsecure(host, insecureRegistries)) schemes = ['http'];
  else if (isLoopbackHost(splitHost(host).hostname)) schemes = ['https', 'http'];
  return { host, repository: apiRepository, schemes };
}

/** True for an entry `host:port` matching exactly, or a bare `host` matching any port. */
export function isListedInsecure(host: string, insecureRegistries: readonly string[]): boolean {
  const { hostname } = splitHost(host);
  return insecureRegistries.some((entry) => {
    const listed = entry.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
    return listed === host || listed === hostname;
  });
}

/** Splits `host[:port]`, keeping IPv6 brackets: "[::1]:5000" -> "[::1]", "5000". */
export function splitHost(host: string): { hostname: string; port: string | undefined } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (match === null) return { hostname: host, port: undefined };
  return { hostname: match[1] ?? host, port: match[2] };
}

/** Loopback names and addresses: these stay reachable with `--network none`. */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

export function isValidRepository(repository: string): boolean {
  return repository.length <= 255 && repositoryPattern.test(repository);
}

export function isValidReference(reference: string): boolean {
  return tagPattern.test(reference) || digestPattern.test(reference);
}

/** The manifest URL; callers check the repository and reference first, so nothing here is escaped. */
export function buildManifestUrl(scheme: Scheme, host: string, repository: string, reference: string): string {
  return `${scheme}://${host}/v2/${repository}/manifests/${reference}`;
}
