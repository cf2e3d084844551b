// No network (kpt and kustomize run functions with `--network none`): every non-loopback target is `offline`
// at once, loopback registries are still probed.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRegistryProbe } from '../../fn/probe/index.js';
import { startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { createTestOptions, offlineNetwork, onlineNetwork } from './helpers/probe-options.js';
import type { NetworkInspector } from '../../fn/probe/offline.js';
import type { ProbeVerdict } from '../../fn/probe/types.js';

const remoteTargets = [
  { registry: 'docker.io', repository: 'library/nginx', references: ['1.25'] },
  { registry: 'quay.io', repository: 'org/app', references: ['v1'] },
  { registry: '192.0.2.123:5000', repository: 'team/app', references: ['1.0'] },
];

describe('probe offline', () => {
  let server: FaultServer;
  beforeEach(async () => {
    server = await startFaultServer(() => ({ kind: 'manifest' }));
  });
  afterEach(() => server.close());

  it('answers offline for every remote target at once and still probes loopback registries', async () => {
    const probe = createRegistryProbe(createTestOptions({ insecureRegistries: [server.host], timeoutSeconds: 10 }), { network: offlineNetwork });
    const started = Date.now();
    const results = await probe.probe([...remoteTargets, { registry: server.host, repository: 'team/app', references: ['1.0'] }]);
    assert.ok(Date.now() - started < 300, 'no timeouts waited out');
    for (const key of ['docker.io/library/nginx', 'quay.io/org/app', '192.0.2.123:5000/team/app']) {
      assert.deepEqual(results.get(key), {
        visibility: 'unknown',
        reason: 'offline',
        cacheable: false,
        warning: true,
        message: 'no network: only loopback interfaces',
      } satisfies ProbeVerdict);
    }
    assert.equal(results.get(`${server.host}/team/app`)?.reason, 'granted');
  });

  it('answers offline when the resolver cannot be asked, checking each host name once per run', async () => {
    const looked: string[] = [];
    const network: NetworkInspector = {
      networkInterfaces: onlineNetwork.networkInterfaces,
      lookup: async (name) => {
        looked.push(name);
        throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
      },
    };
    const probe = createRegistryProbe(createTestOptions({ timeoutSeconds: 0.3 }), { network, retryBaseDelayMs: 10 });
    const results = await probe.probe([...remoteTargets, { registry: 'quay.io', repository: 'org/other', references: ['1'] }]);
    assert.deepEqual(looked.sort(), ['quay.io', 'registry-1.docker.io']);
    assert.equal(results.get('quay.io/org/other')?.reason, 'offline');
    assert.equal(results.get('docker.io/library/nginx')?.reason, 'offline');
    // An IP literal needs no resolver: it is probed (and here, unreachable or timed out, never offline).
    assert.notEqual(results.get('192.0.2.123:5000/team/app')?.reason, 'offline');
  });

  it('really has no network inside a network namespace with only loopback (like docker --network none)', function () {
    const probeCheck = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
    if (probeCheck.status !== 0) {
      process.stderr.write(`\n!!! skipping the network-namespace test: unshare -rn is not permitted here (${probeCheck.stderr.trim() || probeCheck.error?.message}) !!!\n`);
      this.skip();
    }
    const script = `
      const { createRegistryProbe } = await import(${JSON.stringify(new URL('../../fn/probe/index.js', import.meta.url).href)});
      const { startFaultServer } = await import(${JSON.stringify(new URL('./helpers/fault-server.js', import.meta.url).href)});
      const server = await startFaultServer(() => ({ kind: 'manifest' }));
      const probe = createRegistryProbe({ timeoutSeconds: 10, concurrency: 8, perRegistryConcurrency: 4, insecureRegistries: [], allowPrivateAddresses: true, credentials: [], deadlineSeconds: 60, env: process.env });
      const targets = ${JSON.stringify(remoteTargets)}.concat([{ registry: server.host, repository: 'team/app', references: ['1.0'] }]);
      const started = Date.now();
      const results = await probe.probe(targets);
      const elapsed = Date.now() - started;
      await server.close();
      process.stdout.write(JSON.stringify({ elapsed, local: server.host, results: Object.fromEntries(results) }));
    `;
    const child = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" --input-type=module -e "$1"', process.execPath, script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(child.status, 0, child.stderr);
    const output = JSON.parse(child.stdout) as { elapsed: number; local: string; results: Record<string, ProbeVerdict> };
    assert.ok(output.elapsed < 1000, `${output.elapsed} ms`);
    for (const target of remoteTargets) assert.equal(output.results[`${target.registry}/${target.repository}`]?.reason, 'offline');
    assert.equal(output.results[`${output.local}/team/app`]?.reason, 'granted', 'loopback: https refused by a plain http server, then http');
  });
});
