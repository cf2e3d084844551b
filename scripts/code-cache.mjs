// The V8 code cache of the bundle, produced at build time (scripts/bundle.mjs; the Dockerfile's build
// stage runs it with the image's Node). Node compiles a script lazily: each start parses the whole file
// and compiles every function on its first call, which for a one-Deployment render is most of the time
// the function spends beyond `node -e 0`. A cache made after the bundle has run holds the bytecode of
// every function the run called, so a start deserializes it instead.
//
// The training runs are real renders of representative input (the benchmark's generator): a ResourceList
// as kpt hands it, then the Helm post-renderer's stream, each run starting from the cache the one before
// left, so that the cache covers both paths. Each must exit 0: a bundle that cannot render fails the build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateResourceList, generateResourcesFile, registryProxyConfig } from './bench/generate-input.mjs';

const TRAINING_DEPLOYMENTS = 20;

/** The bundle as the body of a CommonJS module function, as Node's own loader would wrap it. */
export function wrapModule(bundle) {
  return `(function (exports, require, module, __filename, __dirname) {\n${bundle.replace(/^#!.*\n/, '')}\n})`;
}

// Runs in the child: compiles the source with the cache so far, runs it as the main module with the
// arguments given, and writes the cache at exit (after the render, so it holds what the render compiled).
const TRAINER = `
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { Script } = require('node:vm');
const [sourcePath, cachePath, filename, ...args] = process.argv.slice(1);
let cachedData;
try { cachedData = readFileSync(cachePath); } catch {}
const script = new Script(readFileSync(sourcePath, 'utf8'), { filename, cachedData });
if (cachedData && script.cachedDataRejected) throw new Error('V8 rejected the cache of the previous training run');
process.argv = [process.argv[0], filename, ...args];
process.on('exit', () => writeFileSync(cachePath, script.createCachedData()));
const module = { exports: {} };
script.runInThisContext()(module.exports, require, module, filename, dirname(filename));
`;

/** Trains the cache for `source` (from wrapModule); resolves to { node, arch, data: base64 }. */
export function produceCodeCache(source, filename = 'registry-proxy.cjs') {
  const dir = mkdtempSync(join(tmpdir(), 'registry-proxy-code-cache-'));
  try {
    const paths = { source: join(dir, 'source.js'), cache: join(dir, 'cache.bin'), config: join(dir, 'registry-proxy.yaml') };
    writeFileSync(paths.source, source);
    writeFileSync(join(dir, 'resource-list.yaml'), generateResourceList(TRAINING_DEPLOYMENTS));
    writeFileSync(join(dir, 'resources.yaml'), generateResourcesFile(TRAINING_DEPLOYMENTS));
    writeFileSync(paths.config, registryProxyConfig('  rules:\n  - match: quay.io/my-org/**\n    private: true\n'));
    const runs = [
      { input: 'resource-list.yaml', args: [] },
      { input: 'resources.yaml', args: ['post-render', '--config', paths.config] },
    ];
    for (const run of runs) train(paths, filename, join(dir, run.input), run.args);
    return { node: process.version, arch: process.arch, data: readFileSync(paths.cache).toString('base64') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function train(paths, filename, input, args) {
  const stdin = openSync(input, 'r');
  try {
    const result = spawnSync(process.execPath, ['-e', TRAINER, paths.source, paths.cache, filename, ...args], { stdio: [stdin, 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`code cache: the training run ${[...args, '<', input].join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`);
    }
  } finally {
    closeSync(stdin);
  }
}
