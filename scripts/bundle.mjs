// Bundles the function into the one file the container image and `bin` ship: faster start-up than the
// unbundled tree (krm-contract.md: about 30 ms), and nothing else to copy.
import { build } from 'esbuild';

await build({
  entryPoints: ['fn/main.ts'],
  outfile: 'dist/registry-proxy.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: false,
  legalComments: 'linked',
  banner: {
    // got and its dependencies are ESM; a few CommonJS modules in ajv's tree need `require`.
    js: "#!/usr/bin/env node\nimport { createRequire as __rpCreateRequire } from 'node:module';\nconst require = __rpCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
