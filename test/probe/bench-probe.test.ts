import assert from 'node:assert/strict';
import { benchmarkProbe } from './bench-probe.js';
import { defaultProbeOptions } from '../../fn/probe/index.js';

// How fast the parallel run is depends on the machine's load: that ratio is `npm run bench`'s. This test
// holds the benchmark to what it must measure: every repository decided, requests in parallel up to the
// product's limit, and strictly one at a time in the sequential run.
describe('benchmarkProbe', () => {
  it('decides every repository, in parallel up to the concurrency limit, then one at a time (small run)', async () => {
    const result = await benchmarkProbe({ repositories: 48, latencyMs: 20 });
    assert.equal(result.repositories, 48);
    assert.ok(result.parallelPeakInFlight > 1, JSON.stringify(result));
    assert.ok(result.parallelPeakInFlight <= defaultProbeOptions.concurrency, JSON.stringify(result));
    assert.equal(result.sequentialPeakInFlight, 1, JSON.stringify(result));
  });
});
