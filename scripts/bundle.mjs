// Bundles the function into the files dist/ ships (the container image, `bin`, the exec paths), which
// work only together, from one directory:
//   registry-proxy.cjs                        the entry point: a small loader
//   registry-proxy.bundle.js                  the function, the body of a CommonJS module function
//   registry-proxy.probe.cjs                  the registry probe (got and its dependencies), on first use
//   registry-proxy.<node>-<arch>.code-cache   the bundle's V8 code cache, for the Node that built it
// CommonJS on purpose: the probe's HTTP stack (got, node:http, node:tls…) is then only loaded when a probe
// runs, where an ESM bundle would load every hoisted import at start-up; and V8 does not even read its
// 400 kB on other starts.
//
// The loader compiles the bundle with V8's code cache (see scripts/code-cache.mjs): a start then
// deserializes the bytecode of what a render runs instead of parsing 600 kB and compiling the YAML parser,
// the config validators and the rest function by function. Bundle and cache are files of their own, not
// part of the entry point: Node reads and compiles the whole entry point before it runs a line of it, so
// anything carried in it (the earlier design held both in comments) costs that scan, a second read by
// the loader and a base64 decode on every start.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { produceCodeCache, wrapModule } from './code-cache.mjs';

const DIST = 'dist';
const NAMES = { loader: 'registry-proxy.cjs', bundle: 'registry-proxy.bundle.js', probe: 'registry-proxy.probe.cjs' };
const cacheName = (node, arch) => `registry-proxy.${node}-${arch}.code-cache`;

// The license notices stay in the files whose code they cover (at their end).
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', legalComments: 'eof' };

/** `import('./index.js')` in fn/probe/lazy-probe.ts loads the probe's own file, beside the bundle. */
const probeBeside = {
  name: 'probe-beside',
  setup(build) {
    build.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith('lazy-probe.ts') ? { path: 'probe', namespace: 'probe-beside' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'probe-beside' }, () => ({
      loader: 'js',
      contents: `module.exports = require(require("node:path").join(__dirname, ${JSON.stringify(NAMES.probe)}));`,
    }));
  },
};

/**
 * yaml's parser asks the environment for LOG_TOKENS on every token it reads (dist/parse/parser.js) and its
 * composer for LOG_STREAM on every document (dist/compose/composer.js): debugging aids that print to
 * stdout with console.log, so a variable of that name in a user's environment would write yaml's tokens
 * into the ResourceList we output; and each read of process.env is a call into C++ (about 7% of a large
 * render). The bundle answers "unset" once, at build time; a yaml that no longer has the checks fails the
 * build here rather than silently keeping them.
 */
const yamlDebugOff = {
  name: 'yaml-debug-off',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](?:parse[\\/]parser|compose[\\/]composer)\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const contents = text.replace(/\bnode_process\.env\.LOG_(?:TOKENS|STREAM)\b/g, 'false');
      if (contents === text) throw new Error(`${args.path}: no LOG_TOKENS / LOG_STREAM check found (yaml changed?)`);
      return { contents, loader: 'js' };
    });
  },
};

const probe = await build({ ...common, entryPoints: ['fn/probe/index.ts'], write: false });
const main = await build({ ...common, entryPoints: ['fn/main.ts'], write: false, plugins: [probeBeside, yamlDebugOff] });
const source = wrapModule(main.outputFiles[0].text);
// The loader reads the bundle as latin1, the cheapest decoding, which is right for ASCII only (esbuild
// escapes everything else by default).
if (!/^[\x00-\x7f]*$/.test(source)) throw new Error('bundle: the bundle is not ASCII; the loader reads it as latin1');

mkdirSync(DIST, { recursive: true });
// A cache from an earlier build (another Node, another bundle) must not be shipped next to this one.
for (const name of readdirSync(DIST)) if (name.startsWith('registry-proxy.')) rmSync(join(DIST, name), { force: true });
writeFileSync(join(DIST, NAMES.probe), probe.outputFiles[0].text);
writeFileSync(join(DIST, NAMES.bundle), source);
writeFileSync(join(DIST, NAMES.loader), loaderText());
const cache = produceCodeCache(join(DIST, NAMES.bundle));
writeFileSync(join(DIST, cacheName(cache.node, cache.arch)), cache.data);

/**
 * The entry point: compiles the bundle with the code cache when there is one for this Node (version and
 * architecture in its name; V8 then checks its own version, the flags and the source's length, and
 * rejects quietly), else without, to the same output. REGISTRY_PROXY_DEBUG (set, not empty) says on
 * stderr which it was. Everything but the cache is the same whichever Node built it.
 */
function loaderText() {
  return `#!/usr/bin/env node
"use strict";
// registry-proxy, bundled by scripts/bundle.mjs: this loader runs ${NAMES.bundle}, beside it, compiled with
// the V8 code cache the build made for the Node it names (${cacheName('<version>', '<arch>')}).
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");
const bundlePath = join(__dirname, ${JSON.stringify(NAMES.bundle)});
let source;
try {
  source = readFileSync(bundlePath, "latin1");
} catch (error) {
  process.stderr.write(\`registry-proxy: error: cannot read \${bundlePath} (\${error.code}): the function is the files of its directory, copied together\\n\`);
  process.exit(2);
}
let cachedData;
try {
  cachedData = readFileSync(join(__dirname, \`registry-proxy.\${process.version}-\${process.arch}.code-cache\`));
} catch {
  // none for this Node: compiled as before
}
const script = new Script(source, { filename: bundlePath, cachedData });
if (process.env.REGISTRY_PROXY_DEBUG) {
  const state = cachedData === undefined ? "not used (none for this Node)" : script.cachedDataRejected ? "rejected by V8" : "accepted";
  process.stderr.write(\`registry-proxy: debug: code cache \${state}\\n\`);
}
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;
}
