// The V8 code cache of the bundle, produced at build time (scripts/bundle.mjs; the Dockerfile's build
// stage runs it with the image's Node). Node compiles a script lazily: each start parses the whole file
// and compiles every function on its first call, which for a one-Deployment render is most of the time
// the function spends beyond `node -e 0`. A cache made after the bundle has run holds the bytecode of
// every function the run called, so a start deserializes it instead.
//
// The training runs are real renders of representative input (the benchmark's generator): a ResourceList
// as kpt hands it, then the Helm post-renderer's stream, each run starting from the cache the one before
// left, so that the cache covers both paths. Each must exit 0: a bundle that cannot render fails the build.
//
// They are small on purpose. The cache holds the same functions after 2 Deployments as after 20, but V8
// also stores in it each function's tiering decision: what got hot in training is compiled to baseline
// code (Sparkplug) on its first calls in every later run. After 20 Deployments that is most of the YAML
// parser, and compiling it costs a one-Deployment run more than interpreting it (9 M instructions, 11% of
// what the run costs beyond `node -e 0`; a 500-Deployment run is no slower for it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateResourceList, generateResourcesFile, registryProxyConfig } from './bench/generate-input.mjs';

const TRAINING_DEPLOYMENTS = 2;

/** The bundle as the body of a CommonJS module function, as Node's own loader would wrap it. */
export function wrapModule(bundle) {
  return `(function (exports, require, module, __filename, __dirname) {\n${bundle.replace(/^#!.*\n/, '')}\n})`;
}

// Runs in the child: compiles the bundle as the loader does (read as latin1, with the cache so far), runs
// it as the main module with the arguments given, from the bundle's directory (where the files it loads
// later are), and writes the cache at exit (after the render, so it holds what the render compiled).
const TRAINER = `
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { Script } = require('node:vm');
const [bundlePath, cachePath, ...args] = process.argv.slice(1);
let cachedData;
try { cachedData = readFileSync(cachePath); } catch {}
const script = new Script(readFileSync(bundlePath, 'latin1'), { filename: bundlePath, cachedData });
if (cachedData && script.cachedDataRejected) throw new Error('V8 rejected the cache of the previous training run');
process.argv = [process.argv[0], bundlePath, ...args];
process.on('exit', () => writeFileSync(cachePath, script.createCachedData()));
const module = { exports: {} };
script.runInThisContext()(module.exports, require, module, bundlePath, dirname(bundlePath));
`;

/** Trains the cache for the bundle at `bundlePath` (from wrapModule); returns { node, arch, data: Buffer }. */
export function produceCodeCache(bundlePath) {
  const dir = mkdtempSync(join(tmpdir(), 'registry-proxy-code-cache-'));
  try {
    const paths = { bundle: bundlePath, cache: join(dir, 'cache.bin'), config: join(dir, 'registry-proxy.yaml') };
    writeFileSync(join(dir, 'resource-list.yaml'), generateResourceList(TRAINING_DEPLOYMENTS));
    writeFileSync(join(dir, 'resources.yaml'), generateResourcesFile(TRAINING_DEPLOYMENTS));
    writeFileSync(paths.config, registryProxyConfig('  rules:\n  - match: quay.io/my-org/**\n    private: true\n'));
    const runs = [
      { input: 'resource-list.yaml', args: [] },
      { input: 'resources.yaml', args: ['post-render', '--config', paths.config] },
    ];
    for (const run of runs) train(paths, join(dir, run.input), run.args);
    return { node: process.version, arch: process.arch, data: readFileSync(paths.cache) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function train(paths, input, args) {
  const stdin = openSync(input, 'r');
  try {
    const result = spawnSync(process.execPath, ['-e', TRAINER, paths.bundle, paths.cache, ...args], { stdio: [stdin, 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`code cache: the training run ${[...args, '<', input].join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`);
    }
  } finally {
    closeSync(stdin);
  }
}
