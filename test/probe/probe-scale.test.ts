// One probe per repository, shared in-flight probes, concurrency limits, token reuse, the run's deadline.

import assert from 'node:assert/strict';
import { createRegistryProbe } from '../../fn/probe/index.js';
import { bearerChallenge, startFaultServer, status, tokenResponse, type ConcurrencyTracker, type FaultHandler, type FaultServer } from './helpers/fault-server.js';
import { createTestOptions, fastTuning } from './helpers/probe-options.js';

const servers: FaultServer[] = [];

async function serve(handler: FaultHandler, options: Parameters<typeof startFaultServer>[1] = {}): Promise<FaultServer> {
  const server = await startFaultServer(handler, options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('probe scale and sharing', () => {
  it('probes each registry/repository once, with its references merged', async () => {
    const server = await serve((request) => (request.path.endsWith('/2.0') ? { kind: 'manifest' } : status(404)));
    const probe = createRegistryProbe(createTestOptions({ insecureRegistries: [server.host] }), fastTuning);
    const results = await probe.probe([
      { registry: server.host, repository: 'team/app', references: ['1.0'] },
      { registry: server.host, repository: 'team/app', references: ['2.0', '1.0'] },
      { registry: server.host, repository: 'team/app', references: ['1.0'] },
    ]);
    assert.deepEqual([...results.keys()], [`${server.host}/team/app`]);
    assert.equal(results.get(`${server.host}/team/app`)?.reason, 'granted');
    assert.deepEqual(server.requests.map((r) => r.path), ['/v2/team/app/manifests/1.0', '/v2/team/app/manifests/2.0']);
  });

  it('shares an in-flight probe between concurrent calls', async () => {
    const server = await serve(() => ({ kind: 'manifest' }), { latencyMs: 50 });
    const probe = createRegistryProbe(createTestOptions({ insecureRegistries: [server.host] }), fastTuning);
    const target = { registry: server.host, repository: 'team/app', references: ['1.0'] };
    const [first, second] = await Promise.all([probe.probe([target]), probe.probe([target])]);
    assert.equal(first.get(`${server.host}/team/app`)?.reason, 'granted');
    assert.deepEqual(first, second);
    assert.equal(server.requests.length, 1);
  });

  it('keeps at most 4 requests per registry and 8 overall', async () => {
    const tracker: ConcurrencyTracker = { active: 0, highest: 0 };
    const registries = await Promise.all(Array.from({ length: 4 }, () => serve(() => ({ kind: 'manifest' }), { latencyMs: 40, tracker })));
    const probe = createRegistryProbe(createTestOptions({ insecureRegistries: registries.map((r) => r.host) }), fastTuning);
    const targets = registries.flatMap((registry) =>
      Array.from({ length: 10 }, (_, index) => ({ registry: registry.host, repository: `team/app-${index}`, references: ['1.0'] })),
    );
    const results = await probe.probe(targets);
    assert.equal(results.size, 40);
    assert.ok([...results.values()].every((verdict) => verdict.reason === 'granted'));
    assert.equal(tracker.highest, 8);
    assert.ok(registries.every((registry) => registry.maxConcurrent() <= 4), registries.map((r) => r.maxConcurrent()).join(','));

    const one = await serve(() => ({ kind: 'manifest' }), { latencyMs: 40 });
    const narrow = createRegistryProbe(createTestOptions({ insecureRegistries: [one.host], concurrency: 8, perRegistryConcurrency: 2 }), fastTuning);
    await narrow.probe(Array.from({ length: 8 }, (_, index) => ({ registry: one.host, repository: `r${index}`, references: ['1'] })));
    assert.equal(one.maxConcurrent(), 2);
  });

  it('reuses the anonymous token for the same scope and fetches the next repository\'s token before its first request', async () => {
    let tokens = 0;
    const server = await serve((request) => {
      if (request.path.startsWith('/token')) return tokenResponse(`token-${(tokens += 1)}`);
      return request.headers.authorization === undefined ? bearerChallenge(`${server.origin}/token`) : { kind: 'manifest' };
    });
    const probe = createRegistryProbe(createTestOptions({ insecureRegistries: [server.host] }), fastTuning);
    await probe.probe([{ registry: server.host, repository: 'team/app', references: ['1.0'] }]);
    await probe.probe([{ registry: server.host, repository: 'team/app', references: ['1.0'] }]);
    assert.equal(tokens, 1, 'one token for one scope');
    await probe.probe([{ registry: server.host, repository: 'team/other', references: ['1.0'] }]);
    assert.equal(tokens, 2);
    const other = server.requests.filter((r) => r.path.includes('team/other'));
    assert.deepEqual(other.map((r) => r.headers.authorization), ['Bearer token-2'], 'no challenge round trip');
  });

  it('answers every target by the deadline, even with requests stalled and more queued', async () => {
    const server = await serve(() => ({ kind: 'stall' }));
    const probe = createRegistryProbe(
      createTestOptions({ insecureRegistries: [server.host], timeoutSeconds: 30, deadlineSeconds: 0.4, concurrency: 1 }),
      fastTuning,
    );
    const started = Date.now();
    const results = await probe.probe(Array.from({ length: 3 }, (_, index) => ({ registry: server.host, repository: `r${index}`, references: ['1'] })));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 380 && elapsed < 1000, `${elapsed} ms`);
    assert.equal(results.size, 3);
    for (const verdict of results.values()) {
      assert.deepEqual({ visibility: verdict.visibility, reason: verdict.reason, cacheable: verdict.cacheable }, { visibility: 'unknown', reason: 'deadline', cacheable: false });
    }
  });

  it('returns an empty map for no targets', async () => {
    assert.equal((await createRegistryProbe(createTestOptions(), fastTuning).probe([])).size, 0);
  });
});
