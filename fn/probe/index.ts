// The registry probe: wiring (got transport, agents, limits, caches, deadline, offline check) around
// probeRepository. The only module of the project that imports got.

import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import got, { type RequestError } from 'got';
import type { BearerChallenge } from './challenge.js';
import { createVerdict } from './classify.js';
import { createAgentPool, type AgentPool } from './http-agent.js';
import { createKeyedLimiter } from './limiter.js';
import { detectOffline, systemNetwork, type NetworkInspector, type OfflineFinding } from './offline.js';
import { probeRepository, type ProbeOutcome, type RegistryCredentials, type RepositoryProbeContext } from './probe-repository.js';
import { redactMessage } from './redact.js';
import {
  isLoopbackHost,
  isValidReference,
  isValidRepository,
  resolveApiHost,
  resolveRegistryEndpoint,
  splitHost,
  type RegistryEndpoint,
  type Scheme,
} from './registry-endpoint.js';
import type { SendRequest } from './send-with-retry.js';
import { createTokenCache } from './token-cache.js';
import type { ImageProbe, ProbeOptions, ProbeTarget, ProbeVerdict } from './types.js';

export type { ImageProbe, ProbeOptions, ProbeReason, ProbeTarget, ProbeVerdict } from './types.js';

export const defaultProbeOptions: Omit<ProbeOptions, 'env'> = {
  timeoutSeconds: 10,
  concurrency: 10,
  perRegistryConcurrency: 4,
  insecureRegistries: [],
  credentials: [],
  deadlineSeconds: 60,
};

/** Knobs for tests and the benchmark; the product uses the defaults. */
export interface ProbeTuning {
  retryBaseDelayMs?: number; // default 500: backoff 0.5 s, 1 s, 2 s
  maxRetryAfterSeconds?: number; // default timeoutSeconds: a longer Retry-After is not waited for
  network?: NetworkInspector; // default: the real interfaces and resolver
}

const userAgent = 'registry-proxy (anonymous visibility probe)';

export function targetKey(target: Pick<ProbeTarget, 'registry' | 'repository'>): string {
  return `${target.registry}/${target.repository}`;
}

export function createRegistryProbe(options: ProbeOptions, tuning: ProbeTuning = {}): ImageProbe {
  const timeoutMs = positive(options.timeoutSeconds, defaultProbeOptions.timeoutSeconds) * 1000;
  const deadlineMs = positive(options.deadlineSeconds, defaultProbeOptions.deadlineSeconds) * 1000;
  const agents = createAgentPool({ env: options.env, ca: loadExtraCa(options.env), timeoutMs });
  const limiter = createKeyedLimiter({
    total: positive(options.concurrency, defaultProbeOptions.concurrency),
    perKey: positive(options.perRegistryConcurrency, defaultProbeOptions.perRegistryConcurrency),
  });
  const retry = {
    baseDelayMs: tuning.retryBaseDelayMs ?? 500,
    maxRetryAfterMs: (tuning.maxRetryAfterSeconds ?? timeoutMs / 1000) * 1000,
  };
  const network = tuning.network ?? systemNetwork;
  const tokens = createTokenCache<ProbeOutcome>();
  const bearerHints = new Map<string, BearerChallenge>();
  const workingSchemes = new Map<string, Scheme>();
  const inFlight = new Map<string, Promise<ProbeVerdict>>();
  const send = createGotSend(agents, timeoutMs);

  const resolveCredentials = (registry: string): { credentials: RegistryCredentials | undefined; secrets: string[] } => {
    const host = resolveApiHost(registry);
    const entry = options.credentials.find((candidate) => resolveApiHost(candidate.registry) === host);
    if (entry === undefined) return { credentials: undefined, secrets: [] };
    const username = options.env[entry.usernameEnv];
    const password = options.env[entry.passwordEnv];
    if (username === undefined || username === '' || password === undefined || password === '') {
      return { credentials: undefined, secrets: [] };
    }
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    return { credentials: { username, password }, secrets: [password, basic] };
  };

  const startProbe = (target: ProbeTarget, endpoint: RegistryEndpoint, signal: AbortSignal): Promise<ProbeVerdict> => {
    const { credentials, secrets } = resolveCredentials(target.registry);
    const context: RepositoryProbeContext = { send, retry, tokens, signal, userAgent, bearerHints, workingSchemes };
    return limiter
      .run(endpoint.host, async () => {
        if (signal.aborted) return deadlineVerdict();
        return probeRepository(endpoint, target.references, context, credentials);
      })
      // Only a bug lands here: still a verdict, but never one to cache.
      .catch((error: unknown): ProbeVerdict => ({ ...createVerdict('server-error', `probe failed: ${String(error)}`), visibility: 'unknown' }))
      .then((verdict) => ({ ...verdict, message: redactMessage(verdict.message, secrets) }));
  };

  // The first host a request to the registry reaches: the registry, or the proxy in front of it.
  const findFirstHop = (endpoint: RegistryEndpoint): string => {
    const scheme = endpoint.schemes[0] ?? 'https';
    const proxy = agents.resolveProxy(`${scheme}://${endpoint.host}/`);
    if (proxy === undefined) return splitHost(endpoint.host).hostname;
    try {
      return new URL(proxy).hostname;
    } catch {
      return splitHost(endpoint.host).hostname;
    }
  };

  return {
    async probe(targets) {
      const merged = mergeTargets(targets);
      const results = new Map<string, ProbeVerdict>();
      if (merged.length === 0) return results;

      const deadline = new AbortController();
      // Every request and backoff wait listens to this signal; their number is bounded by the limiter instead.
      setMaxListeners(0, deadline.signal);
      let onDeadline: (verdict: ProbeVerdict) => void = () => undefined;
      const deadlinePassed = new Promise<ProbeVerdict>((resolve) => (onDeadline = resolve));
      const timer = setTimeout(() => {
        deadline.abort();
        onDeadline(deadlineVerdict());
      }, deadlineMs);

      try {
        const planned: Array<{ key: string; target: ProbeTarget; endpoint: RegistryEndpoint | undefined; hop: string | undefined }> = [];
        for (const target of merged) {
          const key = targetKey(target);
          if (!isValidRepository(target.repository)) {
            planned.push({ key, target, endpoint: undefined, hop: undefined });
            continue;
          }
          const endpoint = resolveRegistryEndpoint(target.registry, target.repository, options.insecureRegistries);
          const hop = findFirstHop(endpoint);
          planned.push({ key, target, endpoint, hop: isLoopbackHost(hop) ? undefined : hop });
        }

        const hops = planned.flatMap((entry) => (entry.hop !== undefined && !inFlight.has(entry.key) ? [entry.hop] : []));
        const finding: OfflineFinding =
          hops.length === 0
            ? { offlineHosts: new Set(), message: '' }
            : await Promise.race([
                detectOffline(hops, network, Math.min(timeoutMs, 3000)),
                deadlinePassed.then(() => ({ offlineHosts: new Set<string>(), message: '' })),
              ]);

        const pending = planned.map(async ({ key, target, endpoint, hop }): Promise<[string, ProbeVerdict]> => {
          if (endpoint === undefined) return [key, invalidVerdict(`invalid repository name "${target.repository}": not probed`)];
          const references = target.references.filter(isValidReference);
          if (references.length === 0 && target.references.length > 0) {
            return [key, invalidVerdict(`no valid reference among ${target.references.join(', ')}: not probed`)];
          }
          if (hop !== undefined && finding.offlineHosts.has(hop)) return [key, createVerdict('offline', finding.message)];
          let running = inFlight.get(key);
          if (running === undefined) {
            const probeTarget = { ...target, references: references.length === 0 ? ['latest'] : references };
            running = startProbe(probeTarget, endpoint, deadline.signal).finally(() => inFlight.delete(key));
            inFlight.set(key, running);
          }
          return [key, await Promise.race([running, deadlinePassed])];
        });
        for (const [key, verdict] of await Promise.all(pending)) results.set(key, verdict);
        return results;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** One entry per registry/repository, references merged in first-seen order. */
function mergeTargets(targets: readonly ProbeTarget[]): ProbeTarget[] {
  const byKey = new Map<string, ProbeTarget>();
  for (const target of targets) {
    const key = targetKey(target);
    const existing = byKey.get(key);
    if (existing === undefined) {
      byKey.set(key, { registry: target.registry, repository: target.repository, references: [...new Set(target.references)] });
    } else {
      existing.references = [...new Set([...existing.references, ...target.references])];
    }
  }
  return [...byKey.values()];
}

function deadlineVerdict(): ProbeVerdict {
  return createVerdict('deadline', 'the probe deadline passed before the registry answered');
}

// Bad input is the caller's bug, not a registry's answer: no verdict to cache.
function invalidVerdict(message: string): ProbeVerdict {
  return { ...createVerdict('not-found', message), visibility: 'unknown', cacheable: false };
}

function positive(value: number, fallback: number): number {
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Node reads NODE_EXTRA_CA_CERTS once, at start. When the injected env names another file (an embedding
 * caller, a test), trust it explicitly, together with Node's bundled roots; otherwise keep Node's own store.
 */
function loadExtraCa(env: Record<string, string | undefined>): string[] | undefined {
  const path = env['NODE_EXTRA_CA_CERTS'];
  if (path === undefined || path === '' || path === process.env['NODE_EXTRA_CA_CERTS']) return undefined;
  try {
    return [...rootCertificates, readFileSync(path, 'utf8')];
  } catch {
    return undefined; // as Node does at start: an unreadable file only means no extra roots
  }
}

function createGotSend(agents: AgentPool, timeoutMs: number): SendRequest {
  return async (request, signal) => {
    const selected = agents.selectAgents(request.url);
    try {
      const response = await got(request.url, {
        method: request.method,
        headers: request.headers,
        agent: { http: selected.http, https: selected.https },
        // Every phase bounded (a tunnel's CONNECT by the agent's timeout); `request` bounds them all together.
        timeout: {
          lookup: timeoutMs,
          connect: timeoutMs,
          secureConnect: timeoutMs,
          send: timeoutMs,
          response: timeoutMs,
          read: timeoutMs,
          request: timeoutMs * 2,
        },
        retry: { limit: 0 }, // sendWithRetry owns retries
        throwHttpErrors: false,
        followRedirect: false, // redirects are followed by hand so credentials stay with their origin
        responseType: 'text',
        signal,
      });
      return { ok: true, status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      const failure = error as RequestError;
      const via = selected.proxy === undefined ? '' : ` (via proxy ${selected.proxy})`;
      return { ok: false, code: failure.code, message: `${failure.message}${via}` };
    }
  };
}
