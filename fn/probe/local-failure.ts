// Tells this machine's way out failing from a registry failing. KOTS reads "unreachable" as "private" (a
// firewalled registry is reachable only through the proxy), and that verdict may be pinned; but when the
// configured proxy is down, refuses every tunnel, or a TLS-inspecting proxy presents a CA we do not trust,
// every registry "fails" and the verdict says nothing about any image. Those become `local-network`:
// decided like `offline` (by unknownImages, one warning), never pinnable. A registry that fails while
// others answer the same way out stays `unreachable`. Pure: works on one run's verdicts.

import { createVerdict } from './classify.js';
import { isLoopbackHost, splitHost } from './registry-endpoint.js';
import type { ProbeVerdict } from './types.js';

export interface ProbedTarget {
  key: string;
  host: string; // the registry's API host
  proxy: string | undefined; // the way out its requests take (without credentials); undefined: direct
  verdict: ProbeVerdict;
}

// Verdicts that say nothing about the way out: they neither prove it works nor that it fails.
const neutralReasons = new Set(['deadline', 'offline', 'refused', 'local-network']);

/** Replacement verdicts (by key) for the targets whose failure was this machine's, not their registry's. */
export function findLocalFailures(targets: readonly ProbedTarget[]): Map<string, ProbeVerdict> {
  const replaced = new Map<string, ProbeVerdict>();
  const paths = new Map<string, ProbedTarget[]>();
  for (const target of targets) {
    if (neutralReasons.has(target.verdict.reason)) continue;
    // A loopback registry reached directly does not use the way out.
    if (target.proxy === undefined && isLoopbackHost(splitHost(target.host).hostname)) continue;
    const path = target.proxy ?? '';
    paths.set(path, [...(paths.get(path) ?? []), target]);
  }
  for (const [path, group] of paths) {
    const proxy = path === '' ? undefined : path;
    const failures = group.flatMap((target) => (target.verdict.failure === undefined ? [] : [{ target, failure: target.verdict.failure }]));
    const allFailed = failures.length === group.length;
    const hosts = new Set(group.map((target) => target.host)).size;
    const mark = (target: ProbedTarget, message: string): void => {
      replaced.set(target.key, { ...createVerdict('local-network', message), ...(target.verdict.failure ? { failure: target.verdict.failure } : {}) });
    };

    for (const { target, failure } of failures) {
      // The proxy itself could not be reached or resolved: nothing was asked of the registry at all.
      if (proxy !== undefined && failure.hop === 'proxy' && !failure.code.startsWith('PROXY_STATUS_')) {
        mark(target, `local network failure: the proxy ${proxy} could not be reached (${failure.code})`);
      }
    }
    if (!allFailed || failures.length === 0) continue;

    const hops = new Set(failures.map(({ failure }) => failure.hop));
    const codes = [...new Set(failures.map(({ failure }) => failure.code))];
    const only = hops.size === 1 ? [...hops][0] : undefined;
    if (proxy !== undefined && only === 'proxy') {
      // Every tunnel refused (407, 403, 502, …): the proxy's answer, not the registries'.
      const statuses = codes.map((code) => code.replace(/^PROXY_STATUS_/, 'HTTP '));
      for (const { target } of failures) {
        if (!replaced.has(target.key)) mark(target, `local network failure: the proxy ${proxy} refused every tunnel (${statuses.join(', ')})`);
      }
    } else if (only === 'tls' && (proxy !== undefined || hosts >= 2)) {
      const via = proxy === undefined ? '' : ` through the proxy ${proxy}`;
      for (const { target } of failures) {
        mark(target, `local network failure: no registry presented a trusted certificate${via} (${codes.join(', ')}): a TLS-inspecting proxy whose CA is not trusted? (NODE_EXTRA_CA_CERTS)`);
      }
    } else if (proxy === undefined && hosts >= 2 && codes.length === 1) {
      for (const { target } of failures) mark(target, `local network failure: every registry failed the same way (${codes[0]})`);
    }
  }
  return replaced;
}
