import assert from 'node:assert/strict';
import { benchmarkProbe } from './bench-probe.js';

describe('benchmarkProbe', () => {
  it('runs both modes on the same registries and the parallel probe is several times faster (small run)', async () => {
    const result = await benchmarkProbe({ repositories: 48, latencyMs: 20 });
    assert.equal(result.repositories, 48);
    assert.ok(result.parallelMs * 4 < result.sequentialMs, JSON.stringify(result));
  });
});
