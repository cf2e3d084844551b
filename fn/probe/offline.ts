// One fast, shared check for "no network at all" (kpt and kustomize run functions with `--network none`), so
// a run answers `offline` at once instead of waiting out a timeout per image.

import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import os from 'node:os';

export interface NetworkInspector {
  networkInterfaces(): NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  lookup(hostname: string): Promise<unknown>; // rejects with an error carrying `code`
}

export interface OfflineFinding {
  offlineHosts: ReadonlySet<string>; // first hops that cannot be reached: their targets get `offline`
  message: string; // why, for the verdicts
}

export const systemNetwork: NetworkInspector = {
  networkInterfaces: () => os.networkInterfaces(),
  lookup: (hostname) => dns.lookup(hostname),
};

// Resolver answers that mean "could not ask anyone", not "the name does not exist".
const noNetworkCodes = new Set(['EAI_AGAIN', 'ETIMEDOUT', 'ENETUNREACH', 'ENETDOWN', 'ECONNREFUSED', 'EAI_FAIL']);

/**
 * Offline when no interface but loopback has an address (every host), or when name resolution fails for
 * every host name the run must reach (those names; an IP literal needs no resolver and is still probed).
 * ENOTFOUND counts only with at least two names: one unresolvable name is a typo or an internal registry
 * ("unreachable", per the table), not a missing network.
 * `hostnames` are the first hops (the registry, or its proxy), loopback already excluded.
 */
export async function detectOffline(hostnames: readonly string[], inspector: NetworkInspector, timeoutMs: number): Promise<OfflineFinding> {
  const hosts = new Set(hostnames);
  const interfaces = Object.values(inspector.networkInterfaces()).flatMap((entries) => entries ?? []);
  if (!interfaces.some((entry) => !entry.internal)) {
    return { offlineHosts: hosts, message: 'no network: only loopback interfaces' };
  }
  const names = [...hosts].filter((name) => isIP(name.replace(/^\[|\]$/g, '')) === 0);
  if (names.length === 0) return { offlineHosts: new Set(), message: '' };
  const codes = await Promise.all(names.map((name) => lookupErrorCode(name, inspector, timeoutMs)));
  const noNetwork = codes.every((code) => code !== undefined && noNetworkCodes.has(code));
  const noNames = names.length >= 2 && codes.every((code) => code !== undefined);
  if (noNetwork || noNames) {
    const distinct = [...new Set(codes)].join('/');
    return { offlineHosts: new Set(names), message: `no network: name resolution failed for every registry (${distinct})` };
  }
  return { offlineHosts: new Set(), message: '' };
}

async function lookupErrorCode(hostname: string, inspector: NetworkInspector, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('ETIMEDOUT'), timeoutMs);
    timer.unref();
  });
  const lookup = inspector.lookup(hostname).then(
    () => undefined,
    (error: unknown) => (error as { code?: unknown }).code?.toString() ?? 'EAI_FAIL',
  );
  try {
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
