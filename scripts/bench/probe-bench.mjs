// The registry probe benchmark: test/probe/bench-probe.ts, compiled, exports
// benchmarkProbe(): Promise<{ parallelMs, sequentialMs, repositories }>. Run in this process when it is built.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './measure.mjs';

const CANDIDATES = ['build/test/probe/bench-probe.js'];

/** The compiled module's path, or undefined when nobody built it yet. */
export function findProbeBench(root) {
  return CANDIDATES.map((candidate) => join(root, candidate)).find((path) => existsSync(path));
}

function checkSample(sample) {
  const numbers = ['parallelMs', 'sequentialMs', 'repositories'];
  const bad = numbers.filter((key) => !(typeof sample?.[key] === 'number' && Number.isFinite(sample[key]) && sample[key] > 0));
  if (bad.length > 0) throw new Error(`benchmarkProbe() returned ${JSON.stringify(sample)}: ${bad.join(', ')} not a positive number`);
}

/** Median parallel and sequential times over `runs` calls, and the speed-up sequential / parallel. */
export async function runProbeBench(modulePath, runs) {
  const module = await import(pathToFileURL(modulePath).href);
  if (typeof module.benchmarkProbe !== 'function') throw new Error(`${modulePath} does not export benchmarkProbe()`);
  const samples = [];
  for (let n = 0; n < runs; n++) {
    const sample = await module.benchmarkProbe();
    checkSample(sample);
    samples.push(sample);
  }
  const parallelMs = median(samples.map((sample) => sample.parallelMs));
  const sequentialMs = median(samples.map((sample) => sample.sequentialMs));
  return { parallelMs, sequentialMs, repositories: samples[0].repositories, speedup: sequentialMs / parallelMs, runs: samples };
}
