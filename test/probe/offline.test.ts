import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { detectOffline, type NetworkInspector } from '../../fn/probe/offline.js';

const loopbackOnly = { lo: [{ address: '127.0.0.1', internal: true } as NetworkInterfaceInfo] };
const withEth = { ...loopbackOnly, eth0: [{ address: '10.0.0.2', internal: false } as NetworkInterfaceInfo] };

function inspector(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, answers: Record<string, string | undefined>): NetworkInspector & { looked: string[] } {
  const looked: string[] = [];
  return {
    looked,
    networkInterfaces: () => interfaces,
    lookup: async (name) => {
      looked.push(name);
      const code = answers[name];
      if (code === 'HANG') return new Promise(() => undefined);
      if (code !== undefined) throw Object.assign(new Error(code), { code });
      return { address: '192.0.2.1' };
    },
  };
}

describe('detectOffline', () => {
  it('is offline with only loopback interfaces, without asking the resolver', async () => {
    const network = inspector(loopbackOnly, {});
    const finding = await detectOffline(['quay.io', '10.1.1.1'], network, 1000);
    assert.deepEqual([...finding.offlineHosts].sort(), ['10.1.1.1', 'quay.io']);
    assert.equal(finding.message, 'no network: only loopback interfaces');
    assert.deepEqual(network.looked, []);
  });

  it('is offline when the resolver cannot be reached for any name', async () => {
    const finding = await detectOffline(['quay.io', 'ghcr.io'], inspector(withEth, { 'quay.io': 'EAI_AGAIN', 'ghcr.io': 'EAI_AGAIN' }), 1000);
    assert.equal(finding.offlineHosts.size, 2);
    assert.match(finding.message, /EAI_AGAIN/);
  });

  it('counts a lookup that hangs as no network, within the timeout', async () => {
    const started = Date.now();
    const finding = await detectOffline(['quay.io'], inspector(withEth, { 'quay.io': 'HANG' }), 50);
    assert.ok(Date.now() - started < 500);
    assert.equal(finding.offlineHosts.size, 1);
  });

  it('is offline when every one of several names is unknown', async () => {
    const finding = await detectOffline(['quay.io', 'ghcr.io'], inspector(withEth, { 'quay.io': 'ENOTFOUND', 'ghcr.io': 'ENOTFOUND' }), 1000);
    assert.equal(finding.offlineHosts.size, 2);
  });

  it('is online when one unknown name is the only one (a typo or an internal registry), or when any name resolves', async () => {
    assert.equal((await detectOffline(['typo.example'], inspector(withEth, { 'typo.example': 'ENOTFOUND' }), 1000)).offlineHosts.size, 0);
    assert.equal((await detectOffline(['quay.io', 'typo.example'], inspector(withEth, { 'typo.example': 'EAI_AGAIN' }), 1000)).offlineHosts.size, 0);
  });

  it('never asks the resolver about IP literals, and leaves them to the probe', async () => {
    const network = inspector(withEth, { 'quay.io': 'EAI_AGAIN' });
    const finding = await detectOffline(['10.1.1.1', '[fd00::1]', 'quay.io'], network, 1000);
    assert.deepEqual(network.looked, ['quay.io']);
    assert.deepEqual([...finding.offlineHosts], ['quay.io']);
  });
});
