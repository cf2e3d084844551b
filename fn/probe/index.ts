// The registry probe: wiring (got transport, agents, limits, caches, deadline, offline check) around
// probeRepository. The only module of the project that imports got.

import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import got, { type RequestError } from 'got';
import type { BearerChallenge } from './challenge.js';
import { createVerdict } from './classify.js';
import { createEgressPolicy, type EgressPolicy, type Resolver } from './egress-policy.js';
import { createAgentPool, type AgentPool } from './http-agent.js';
import { createKeyedLimiter } from './limiter.js';
import { findLocalFailures, type ProbedTarget } from './local-failure.js';
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
import { refusedCode, type HttpResult, type SendRequest } from './send-with-retry.js';
import { createTokenCache } from './token-cache.js';
import type { ImageProbe, ProbeOptions, ProbeTarget, ProbeVerdict } from './types.js';

export type { ImageProbe, ProbeOptions, ProbeReason, ProbeTarget, ProbeVerdict } from './types.js';

export const defaultProbeOptions: Omit<ProbeOptions, 'env'> = {
  timeoutSeconds: 10,
  concurrency: 10,
  perRegistryConcurrency: 4,
  insecureRegistries: [],
  allowPrivateAddresses: false,
  credentials: [],
  deadlineSeconds: 60,
};

/** Knobs for tests and the benchmark; the product uses the defaults. */
export interface ProbeTuning {
  retryBaseDelayMs?: number; // default 500: backoff 0.5 s, 1 s, 2 s
  maxRetryAfterSeconds?: number; // default timeoutSeconds: a longer Retry-After is not waited for
  network?: NetworkInspector; // default: the real interfaces and resolver
  resolve?: Resolver; // default: the system resolver; the egress policy checks and pins what it answers
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
  const policy = createEgressPolicy({
    insecureRegistries: options.insecureRegistries,
    allowPrivateAddresses: options.allowPrivateAddresses === true,
    ...(tuning.resolve === undefined ? {} : { resolve: tuning.resolve }),
  });
  const send = createGotSend(agents, policy, timeoutMs);

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
        type Planned = { key: string; target: ProbeTarget; endpoint: RegistryEndpoint | undefined; hop: string | undefined; refusal: string | undefined };
        const planned: Planned[] = [];
        for (const target of merged) {
          const key = targetKey(target);
          if (!isValidRepository(target.repository)) {
            planned.push({ key, target, endpoint: undefined, hop: undefined, refusal: undefined });
            continue;
          }
          const endpoint = resolveRegistryEndpoint(target.registry, target.repository, options.insecureRegistries);
          // Refused by its name alone (127.0.0.1, 10.x, [::1], metadata.google.internal): not even resolved.
          const refusal = policy.refuseRegistryByName(endpoint.host);
          const hop = refusal === undefined ? findFirstHop(endpoint) : undefined;
          planned.push({ key, target, endpoint, hop: hop === undefined || isLoopbackHost(hop) ? undefined : hop, refusal });
        }

        const hops = planned.flatMap((entry) => (entry.hop !== undefined && !inFlight.has(entry.key) ? [entry.hop] : []));
        const finding: OfflineFinding =
          hops.length === 0
            ? { offlineHosts: new Set(), message: '' }
            : await Promise.race([
                detectOffline(hops, network, Math.min(timeoutMs, 3000)),
                deadlinePassed.then(() => ({ offlineHosts: new Set<string>(), message: '' })),
              ]);

        const pending = planned.map(async ({ key, target, endpoint, hop, refusal }): Promise<[string, ProbeVerdict]> => {
          if (endpoint === undefined) return [key, invalidVerdict(`invalid repository name "${target.repository}": not probed`)];
          if (refusal !== undefined) return [key, createVerdict('refused', refusal)];
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
        const probed: ProbedTarget[] = planned.flatMap(({ key, endpoint }) => {
          const verdict = results.get(key);
          if (endpoint === undefined || verdict === undefined) return [];
          const scheme = workingSchemes.get(endpoint.host) ?? endpoint.schemes[0] ?? 'https';
          return [{ key, host: endpoint.host, proxy: agents.selectAgents(`${scheme}://${endpoint.host}/`).proxy, verdict }];
        });
        for (const [key, verdict] of findLocalFailures(probed)) results.set(key, verdict);
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

// Certificate problems: after a TLS-inspecting proxy as much as after a registry's own bad certificate.
const certificateCodes = /^(?:DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|CERT_[A-Z_]+|ERR_TLS_CERT_ALTNAME_INVALID)$/;
// Through a proxy, the only connection this process opens is to the proxy: these failed before any tunnel.
const proxyHopCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);

function createGotSend(agents: AgentPool, policy: EgressPolicy, timeoutMs: number): SendRequest {
  return async (request, signal) => {
    const selected = agents.selectAgents(request.url);
    const decision = await policy.admit(request, selected.proxy !== undefined);
    if (!decision.ok) return { ok: false, code: refusedCode, message: decision.message };
    const stream = got.stream(request.url, {
      method: request.method,
      headers: request.headers,
      agent: { http: selected.http, https: selected.https },
      // The connection goes to the addresses the policy checked, not to a second lookup's answer.
      ...(decision.lookup === undefined ? {} : { dnsLookup: decision.lookup as never }),
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
      decompress: false, // no Accept-Encoding: a small compressed body cannot inflate past the read cap
      signal,
    });
    return readBounded(stream, request.maxBodyBytes, (error) => describeFailure(error as RequestError, selected.proxy));
  };
}

/** At most `maxBytes` of the body are kept; past that the stream is destroyed, closing the connection. */
function readBounded(stream: ReturnType<typeof got.stream>, maxBytes: number, onError: (error: unknown) => HttpResult): Promise<HttpResult> {
  return new Promise((resolve) => {
    let settled = false;
    let response: { statusCode: number; headers: Record<string, string | string[] | undefined> } | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: HttpResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const finish = (truncated: boolean): void => {
      if (response === undefined) return settle(onError(new Error('no response')));
      settle({ ok: true, status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), truncated });
    };
    stream.on('response', (answer: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
      response = answer;
    });
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      const room = maxBytes - size;
      if (chunk.length <= room) {
        chunks.push(chunk);
        size += chunk.length;
        return;
      }
      chunks.push(chunk.subarray(0, room));
      size = maxBytes;
      finish(true);
      stream.destroy();
    });
    stream.on('end', () => finish(false));
    stream.on('error', (error: unknown) => settle(onError(error)));
  });
}

function describeFailure(failure: RequestError, proxy: string | undefined): HttpResult {
  const via = proxy === undefined ? '' : ` (via proxy ${proxy})`;
  const code = failure.code;
  if (code !== undefined && certificateCodes.test(code)) return { ok: false, code, message: `${failure.message}${via}`, hop: 'tls', proxy };
  if (proxy === undefined) return { ok: false, code, message: failure.message, hop: 'registry', proxy };
  // hpagent's words for a CONNECT answered with anything but 200, and for a CONNECT that got no answer.
  const status = /^Bad response: (\d{3})/.exec(failure.message)?.[1];
  if (status !== undefined) return { ok: false, code: `PROXY_STATUS_${status}`, message: `the proxy ${proxy} answered CONNECT with HTTP ${status}`, hop: 'proxy', proxy };
  if (failure.message.startsWith('Proxy timeout')) return { ok: false, code: 'ETIMEDOUT', message: `the proxy ${proxy} did not answer CONNECT`, hop: 'proxy', proxy };
  const hop = code !== undefined && proxyHopCodes.has(code) ? 'proxy' : 'registry';
  return { ok: false, code, message: `${failure.message}${via}`, hop, proxy };
}
