// Bundles the function into the one file the container image and `bin` ship. CommonJS on purpose: the
// probe's HTTP stack (got, node:http, node:tls…) is then only loaded when a probe runs, where an ESM
// bundle would load every hoisted import at start-up. The probe itself is embedded as source text and
// compiled on first use: V8 then does not parse its 400 kB (got and its dependencies) on every start.
import { build } from 'esbuild';

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

await build({
  ...common,
  entryPoints: ['fn/main.ts'],
  outfile: 'dist/registry-proxy.cjs',
  legalComments: 'eof',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [embedProbe],
});
