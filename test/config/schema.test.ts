import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { configMapDataSchema, registryProxySchema, registryProxySpecSchema } from '../../fn/config/schema.js';

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../../schemas/${file}`, import.meta.url), 'utf8'));

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
    const script = new URL('../../../scripts/generate-validators.mjs', import.meta.url);
    const result = spawnSync(process.execPath, [script.pathname, '--check'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
});

describe('the editor schema (yaml-language-server lines in the examples)', () => {
  it('resolves from every example that names it and accepts that example', async () => {
    const { Ajv } = await import('ajv');
    const { parse } = await import('yaml');
    const { execFileSync } = await import('node:child_process');
    const { dirname, join, resolve } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    ajv.addSchema(read('registry-proxy-spec.schema.json') as object);
    const validate = ajv.compile(read('registry-proxy.schema.json') as object);
    const files = execFileSync('git', ['grep', '-l', 'yaml-language-server: \\$schema=', '--', '*.yaml'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((file) => file !== '');
    assert.ok(files.length >= 4, `only ${files.length} examples name the schema`);
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      const schemaPath = /yaml-language-server: \$schema=(\S+)/.exec(text)?.[1] ?? '';
      assert.equal(resolve(dirname(join(root, file)), schemaPath), join(root, 'schemas', 'registry-proxy.schema.json'), `${file}: the $schema path does not resolve`);
      assert.ok(validate(parse(text)), `${file}: ${JSON.stringify(validate.errors)}`);
    }
  });
});

describe('the README FunctionConfig table (a rendering of the schema, checked against it)', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## FunctionConfig'), readme.indexOf('### The customer\'s License'));
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = /^\| (`[^|]+`(?: \/ `[^|]+`)*) \| ([^|]*(?:\\\|[^|]*)*) \|/.exec(line);
    if (!cells) continue;
    for (const field of cells[1]!.split(' / ')) rows.set(field.replaceAll('`', ''), cells[2]!);
  }
  type Node = { default?: unknown; properties?: Record<string, Node>; type?: unknown };
  // Read as plain JSON, as editors see it.
  const properties = (read('registry-proxy-spec.schema.json') as { properties: Record<string, Node> }).properties;
  /** The default as the loaded config holds it: an object default with its properties' defaults filled in. */
  const effective = (node: Node): unknown => {
    if (typeof node.default !== 'object' || node.default === null || Array.isArray(node.default) || node.properties === undefined) return node.default;
    const filled: Record<string, unknown> = { ...node.default };
    for (const [key, child] of Object.entries(node.properties)) if (filled[key] === undefined && child.default !== undefined) filled[key] = effective(child);
    return filled;
  };

  it('has a row for every field of the spec, and no other', () => {
    assert.deepEqual([...rows.keys()].sort(), Object.keys(properties).sort());
  });

  it('names each default the schema gives (in backticks, as YAML)', async () => {
    const { parse } = await import('yaml');
    for (const [field, node] of Object.entries(properties)) {
      if (node.default === undefined || rows.get(field) === 'see below') continue;
      const written = [...(rows.get(field) ?? '').matchAll(/`([^`]+)`/g)].map((match) => parse(match[1]!.replaceAll('\\|', '|')) as unknown);
      assert.ok(
        written.some((value) => JSON.stringify(value) === JSON.stringify(effective(node)) || (typeof value === 'object' && value !== null && isDeepStrictEqual(value, effective(node)))),
        `${field}: the README gives ${rows.get(field)}, the schema ${JSON.stringify(effective(node))}`,
      );
    }
  });
});
