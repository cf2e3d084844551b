import assert from 'node:assert/strict';
import { createVerdict } from '../../fn/probe/classify.js';
import { findLocalFailures, type ProbedTarget } from '../../fn/probe/local-failure.js';
import type { TransportFailure } from '../../fn/probe/types.js';

const proxy = 'http://proxy.corp:3128';

function failed(host: string, failure: Omit<TransportFailure, 'host'>): ProbedTarget {
  return { key: `${host}/a`, host, proxy: failure.proxy, verdict: { ...createVerdict('unreachable', failure.code), failure: { ...failure, host } } };
}
function answered(host: string, via: string | undefined): ProbedTarget {
  return { key: `${host}/a`, host, proxy: via, verdict: createVerdict('granted', 'HTTP 200') };
}
const reasons = (targets: ProbedTarget[]): Record<string, string> =>
  Object.fromEntries(targets.map((target) => [target.host, findLocalFailures(targets).get(target.key)?.reason ?? target.verdict.reason]));

describe('local network failures', () => {
  it('a proxy that cannot be resolved or reached is local, even for one image and while others answer', () => {
    assert.deepEqual(reasons([failed('quay.io', { code: 'ENOTFOUND', hop: 'proxy', proxy })]), { 'quay.io': 'local-network' });
    assert.deepEqual(reasons([failed('quay.io', { code: 'EAI_AGAIN', hop: 'proxy', proxy }), answered('ghcr.io', proxy)]), { 'quay.io': 'local-network', 'ghcr.io': 'granted' });
    assert.match(findLocalFailures([failed('quay.io', { code: 'ENOTFOUND', hop: 'proxy', proxy })]).get('quay.io/a')?.message ?? '', /the proxy http:\/\/proxy\.corp:3128 could not be reached \(ENOTFOUND\)/);
  });

  it('a refused CONNECT is local only when every tunnel was refused', () => {
    assert.deepEqual(reasons([failed('quay.io', { code: 'PROXY_STATUS_403', hop: 'proxy', proxy }), failed('ghcr.io', { code: 'PROXY_STATUS_502', hop: 'proxy', proxy })]), {
      'quay.io': 'local-network',
      'ghcr.io': 'local-network',
    });
    assert.deepEqual(reasons([failed('quay.io', { code: 'PROXY_STATUS_502', hop: 'proxy', proxy }), answered('ghcr.io', proxy)]), { 'quay.io': 'unreachable', 'ghcr.io': 'granted' });
  });

  it('untrusted certificates: local through a proxy, or directly for two registries or more; one direct registry keeps its verdict', () => {
    const tls = (host: string, via: string | undefined): ProbedTarget => failed(host, { code: 'SELF_SIGNED_CERT_IN_CHAIN', hop: 'tls', proxy: via });
    assert.deepEqual(reasons([tls('quay.io', proxy)]), { 'quay.io': 'local-network' });
    assert.deepEqual(reasons([tls('quay.io', undefined), tls('ghcr.io', undefined)]), { 'quay.io': 'local-network', 'ghcr.io': 'local-network' });
    assert.deepEqual(reasons([tls('quay.io', undefined)]), { 'quay.io': 'unreachable' });
    assert.deepEqual(reasons([tls('quay.io', undefined), answered('ghcr.io', undefined)]), { 'quay.io': 'unreachable', 'ghcr.io': 'granted' });
  });

  it('every registry failing directly the same way is local; a loopback registry says nothing about the way out', () => {
    const refused = (host: string): ProbedTarget => failed(host, { code: 'ETIMEDOUT', hop: 'registry', proxy: undefined });
    assert.deepEqual(reasons([refused('quay.io'), refused('ghcr.io')]), { 'quay.io': 'local-network', 'ghcr.io': 'local-network' });
    assert.deepEqual(reasons([refused('quay.io'), failed('ghcr.io', { code: 'ECONNREFUSED', hop: 'registry', proxy: undefined })]), { 'quay.io': 'unreachable', 'ghcr.io': 'unreachable' });
    assert.deepEqual(reasons([refused('quay.io'), refused('127.0.0.1:5000')]), { 'quay.io': 'unreachable', '127.0.0.1:5000': 'unreachable' });
  });
});
