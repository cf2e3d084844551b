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
