// Bundles the function into the one file the container image and `bin` ship. CommonJS on purpose: the
// probe's HTTP stack (got, node:http, node:tls…) is then only loaded when a probe runs, where an ESM
// bundle would load every hoisted import at start-up. The probe itself is embedded as source text and
// compiled on first use: V8 then does not parse its 400 kB (got and its dependencies) on every start.
//
// The file is a small loader around the bundle, which it holds as a string and compiles with V8's code
// cache (see scripts/code-cache.mjs): a start then deserializes the bytecode of what a render runs instead
// of parsing 600 kB and compiling the YAML parser, the config validators and the rest function by function.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { produceCodeCache, wrapModule } from './code-cache.mjs';

const OUTFILE = 'dist/registry-proxy.cjs';
// The payload sits in comments, which V8 skips at a scan, where a string literal would be scanned, copied
// and hashed (about 1.6 MB of them: most of this file's compile time). The loader reads its own file
// back and cuts the source out; each `*/` in it is written `* ` (its offsets are listed) so that the
// comment holds.
const SOURCE_MARK = 'registry-proxy source';
const CACHE_MARK = 'registry-proxy code cache';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };

const probe = await build({ ...common, entryPoints: ['fn/probe/index.ts'], write: false, legalComments: 'eof' });
const probeSource = probe.outputFiles[0].text;

/** `import('./index.js')` in fn/probe/lazy-probe.ts resolves to the embedded probe bundle. */
const embedProbe = {
  name: 'embed-probe',
  setup(build) {
    build.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith('lazy-probe.ts') ? { path: 'probe', namespace: 'embedded-probe' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'embedded-probe' }, () => ({
      loader: 'js',
      contents: `const source = ${JSON.stringify(probeSource)};
const probeModule = { exports: {} };
new Function('module', 'exports', 'require', '__filename', '__dirname', source)(probeModule, probeModule.exports, require, __filename, __dirname);
module.exports = probeModule.exports;`,
    }));
  },
};

// legalComments 'external': the notices become a comment of the loader, not text inside its string.
const main = await build({ ...common, entryPoints: ['fn/main.ts'], outfile: OUTFILE, write: false, legalComments: 'external', plugins: [embedProbe] });
const bundle = main.outputFiles.find((file) => file.path.endsWith('.cjs')).text;
const legal = main.outputFiles.find((file) => file.path.endsWith('.LEGAL.txt'))?.text ?? '';

const source = wrapModule(bundle);
mkdirSync(dirname(OUTFILE), { recursive: true });
const cache = produceCodeCache(source);
writeFileSync(OUTFILE, loaderText(source, cache, legal));

/**
 * The shipped file: compiles the source with the code cache when there is one for this Node (version and
 * architecture; V8 then checks its own version, the flags and the source's length, and rejects quietly),
 * else without. REGISTRY_PROXY_DEBUG (set, not empty) says on stderr which it was. The cache comes last:
 * everything before it is the same whichever Node built the file.
 */
function loaderText(wrapped, codeCache, notices) {
  const slashes = [];
  for (let at = wrapped.indexOf('*/'); at !== -1; at = wrapped.indexOf('*/', at + 1)) slashes.push(at + 1);
  let payload = '';
  let from = 0;
  for (const at of slashes) {
    payload += `${wrapped.slice(from, at)} `;
    from = at + 1;
  }
  payload += wrapped.slice(from);
  const build = { sourceLength: wrapped.length, slashes };
  const loader = `#!/usr/bin/env node
"use strict";
// registry-proxy, bundled by scripts/bundle.mjs. The bundle is in the first comment below; the last one
// holds the V8 code cache the build produced by running it, for the Node it names.
const { readFileSync } = require("node:fs");
const { Script } = require("node:vm");
const BUILD = ${JSON.stringify(build)};
const text = readFileSync(__filename, "latin1");
const start = text.indexOf("\\n/*" + ${JSON.stringify(` ${SOURCE_MARK}\n`)}) + ${SOURCE_MARK.length + 5};
let source = "";
let from = start;
for (const at of BUILD.slashes) {
  source += text.slice(from, start + at) + "/";
  from = start + at + 1;
}
source += text.slice(from, start + BUILD.sourceLength);
const cacheMark = "\\n/*" + ${JSON.stringify(` ${CACHE_MARK} for `)} + process.version + " " + process.arch + "\\n";
const cacheStart = text.indexOf(cacheMark, start + BUILD.sourceLength);
const cacheEnd = cacheStart === -1 ? -1 : text.indexOf("\\n", cacheStart + cacheMark.length);
const cachedData = cacheEnd === -1 ? undefined : Buffer.from(text.slice(cacheStart + cacheMark.length, cacheEnd), "base64");
const script = new Script(source, { filename: __filename, cachedData });
if (process.env.REGISTRY_PROXY_DEBUG) {
  const state = cachedData === undefined ? "not used (none for this Node)" : script.cachedDataRejected ? "rejected by V8" : "accepted";
  process.stderr.write(\`registry-proxy: debug: code cache \${state}\\n\`);
}
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;
  return [
    loader,
    `/* ${SOURCE_MARK}\n${payload}\n*/\n`,
    notices.trim() === '' ? '' : `/*\n${notices.replaceAll('*/', '* /')}*/\n`,
    `/* ${CACHE_MARK} for ${codeCache.node} ${codeCache.arch}\n${codeCache.data}\n*/\n`,
  ].join('');
}
