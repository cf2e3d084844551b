// Bundles the function into the one file the container image and `bin` ship. CommonJS on purpose: the
// probe's HTTP stack (got, node:http, node:tls…) is then only loaded when a probe runs, where an ESM
// bundle would load every hoisted import at start-up (about 13 ms of a one-Deployment run).
import { build } from 'esbuild';

await build({
  entryPoints: ['fn/main.ts'],
  outfile: 'dist/registry-proxy.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: false,
  legalComments: 'linked',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
