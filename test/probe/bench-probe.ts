// Benchmark: 200 repositories across 4 loopback registries with 50 ms of latency on every request, probed
// with the product defaults (10 overall, 4 per registry) and one at a time, in the same run.
// Run: node build/test/probe/bench-probe.js [overall concurrency] (after npm run build:test), or import benchmarkProbe
// (npm run bench does).
//
// The registries answer like real ones: two serve manifests anonymously, one wants Basic auth (private),
// one uses Bearer tokens (public and private repositories; the token endpoint has the same latency).
// Ceiling: with N requests in flight the speed-up cannot exceed N; with the default 10 the target of 8x
// is reachable.

import { pathToFileURL } from 'node:url';
import { createRegistryProbe, defaultProbeOptions } from '../../fn/probe/index.js';
import { bearerChallenge, startFaultServer, status, tokenResponse, type ConcurrencyTracker, type FaultHandler, type FaultServer } from './helpers/fault-server.js';
import type { ProbeOptions, ProbeTarget } from '../../fn/probe/types.js';

export interface BenchmarkResult {
  parallelMs: number;
  sequentialMs: number;
  repositories: number;
  /** The most requests the registries served at once in each run: the limits the probe held to. */
  parallelPeakInFlight: number;
  sequentialPeakInFlight: number;
}

export interface BenchmarkOptions {
  repositories?: number; // default 200
  latencyMs?: number; // default 50
  concurrency?: number; // default 10, the product default
  perRegistryConcurrency?: number; // default 4, the product default
}

const isPrivate = (path: string): boolean => /\/private-\d+\//.test(path);

function createHandlers(): FaultHandler[] {
  const open: FaultHandler = () => ({ kind: 'manifest' });
  const basic: FaultHandler = () => status(401, { 'www-authenticate': 'Basic realm="bench"' });
  const token: FaultHandler = (request) => {
    if (request.path.startsWith('/token')) {
      const scope = new URL(request.path, 'http://bench').searchParams.get('scope') ?? '';
      return tokenResponse(scope.includes('private-') ? 'empty-access' : 'pull-access');
    }
    if (request.headers.authorization === undefined) return bearerChallenge(`${servers.get(token)?.origin ?? ''}/token`);
    return request.headers.authorization === 'Bearer pull-access' && !isPrivate(request.path) ? { kind: 'manifest' } : status(401);
  };
  return [open, open, basic, token];
}

// The token handler needs its own server's origin for the realm.
const servers = new Map<FaultHandler, FaultServer>();

export async function benchmarkProbe(options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  const repositories = options.repositories ?? 200;
  const latencyMs = options.latencyMs ?? 50;
  const handlers = createHandlers();
  const started: FaultServer[] = [];
  const tracker: ConcurrencyTracker = { active: 0, highest: 0 };
  try {
    for (const handler of handlers) {
      const server = await startFaultServer(handler, { latencyMs, tracker });
      servers.set(handler, server);
      started.push(server);
    }
    const targets: ProbeTarget[] = Array.from({ length: repositories }, (_, index) => {
      const server = started[index % started.length] as FaultServer;
      const name = index % 3 === 0 ? `private-${index}` : `app-${index}`;
      return { registry: server.host, repository: `bench/${name}`, references: ['1.0'] };
    });
    const base: ProbeOptions = {
      timeoutSeconds: 10,
      concurrency: options.concurrency ?? defaultProbeOptions.concurrency,
      perRegistryConcurrency: options.perRegistryConcurrency ?? defaultProbeOptions.perRegistryConcurrency,
      insecureRegistries: started.map((server) => server.host),
      allowPrivateAddresses: false,
      credentials: [],
      deadlineSeconds: 120,
      env: {},
    };
    const parallelMs = await timeProbe(base, targets);
    const parallelPeakInFlight = tracker.highest;
    tracker.highest = 0;
    const sequentialMs = await timeProbe({ ...base, concurrency: 1, perRegistryConcurrency: 1 }, targets);
    return { parallelMs, sequentialMs, repositories, parallelPeakInFlight, sequentialPeakInFlight: tracker.highest };
  } finally {
    await Promise.all(started.map((server) => server.close()));
    for (const handler of handlers) servers.delete(handler);
  }
}

async function timeProbe(options: ProbeOptions, targets: ProbeTarget[]): Promise<number> {
  const probe = createRegistryProbe(options); // a fresh probe: no token or scheme learned by the other run
  const started = performance.now();
  const results = await probe.probe(targets);
  const elapsed = Math.round(performance.now() - started);
  const unexpected = [...results.values()].filter((verdict) => verdict.reason !== 'granted' && verdict.reason !== 'denied');
  if (results.size !== targets.length || unexpected.length > 0) {
    throw new Error(`benchmark probe went wrong: ${JSON.stringify(unexpected.slice(0, 3))}`);
  }
  return elapsed;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const concurrency = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  const result = await benchmarkProbe({ concurrency });
  const speedup = (result.sequentialMs / result.parallelMs).toFixed(1);
  process.stdout.write(`${JSON.stringify({ ...result, speedup: Number(speedup) })}\n`);
}
