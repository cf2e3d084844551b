// Writes schemas/*.json from the compiled schema module, so editors and ajv use the same schema.
import { writeFileSync, mkdirSync } from 'node:fs';
import { registryProxySpecSchema, configMapDataSchema, registryProxySchema } from '../build/fn/config/schema.js';

mkdirSync('schemas', { recursive: true });
const write = (file, schema) => writeFileSync(`schemas/${file}`, `${JSON.stringify(schema, null, 2)}\n`);
write('registry-proxy-spec.schema.json', registryProxySpecSchema);
write('registry-proxy.schema.json', registryProxySchema);
write('configmap-data.schema.json', configMapDataSchema);
