// Options for tests: short timeouts and backoff so the whole suite stays fast, and a network inspector that
// reports "online" so tests of other rows never depend on this machine's interfaces or resolver.

import type { NetworkInterfaceInfo } from 'node:os';
import type { ProbeTuning } from '../../../fn/probe/index.js';
import type { NetworkInspector } from '../../../fn/probe/offline.js';
import type { ProbeOptions } from '../../../fn/probe/types.js';

export const onlineNetwork: NetworkInspector = {
  networkInterfaces: () => ({ eth0: [{ address: '192.0.2.10', internal: false } as NetworkInterfaceInfo] }),
  lookup: async () => ({ address: '192.0.2.1', family: 4 }),
};

export const offlineNetwork: NetworkInspector = {
  networkInterfaces: () => ({ lo: [{ address: '127.0.0.1', internal: true } as NetworkInterfaceInfo] }),
  lookup: async () => {
    throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
  },
};

export function createTestOptions(overrides: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    timeoutSeconds: 1,
    concurrency: 8,
    perRegistryConcurrency: 4,
    insecureRegistries: [],
    // The registries of these tests listen on loopback; the egress policy's own tests turn this off.
    allowPrivateAddresses: true,
    credentials: [],
    deadlineSeconds: 20,
    env: {},
    ...overrides,
  };
}

export const fastTuning: ProbeTuning = { retryBaseDelayMs: 10, network: onlineNetwork };
