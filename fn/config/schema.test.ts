import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configMapDataSchema, registryProxySchema, registryProxySpecSchema } from './schema.js';

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../schemas/${file}`, import.meta.url), 'utf8'));

describe('schemas/*.json', () => {
  it('are the schemas the function enforces (npm run build writes them)', () => {
    assert.deepEqual(read('registry-proxy-spec.schema.json'), registryProxySpecSchema);
    assert.deepEqual(read('registry-proxy.schema.json'), registryProxySchema);
    assert.deepEqual(read('configmap-data.schema.json'), configMapDataSchema);
  });
});

describe('fn/config/validators.generated.ts', () => {
  it('is compiled from the current schemas (npm run generate)', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = new URL('../../scripts/generate-validators.mjs', import.meta.url);
    const result = spawnSync(process.execPath, [script.pathname, '--check'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
});
