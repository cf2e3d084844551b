// The fragment `registry-proxy kustomize` prints, applied by the real `kubectl kustomize` to the
// original resources, gives exactly the objects the function gives (images and imagePullSecrets
// included): on every golden input the fragment can express, and on a Helm-rendered chart.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { buildFunctionOnce, findKubectl, FUNCTION_PATH, makeTempDir, removeTempDirs, REPO_ROOT, run } from './support.js';

type Json = Record<string, unknown>;

const GOLDEN = join(REPO_ROOT, 'testdata', 'golden');

function stripOrchestratorAnnotations(object: Json): Json {
  const copy = structuredClone(object);
  const metadata = copy['metadata'] as Json | undefined;
  const annotations = metadata?.['annotations'] as Record<string, string> | undefined;
  if (metadata && annotations) {
    for (const key of Object.keys(annotations)) if (key.startsWith('internal.config.kubernetes.io/') || key.startsWith('config.kubernetes.io/')) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete metadata['annotations'];
  }
  return copy;
}

function identity(object: Json): string {
  const metadata = (object['metadata'] ?? {}) as Json;
  return `${String(object['apiVersion'])}|${String(object['kind'])}|${String(metadata['namespace'] ?? '')}|${String(metadata['name'])}`;
}

function isGenerated(object: Json): boolean {
  const annotations = ((object['metadata'] as Json | undefined)?.['annotations'] ?? {}) as Json;
  return annotations['registry-proxy.dev/generated-by'] !== undefined;
}

/** kubectl kustomize over the original objects plus the fragment; the objects it prints, by identity. */
async function kustomize(objects: readonly Json[], fragmentText: string): Promise<Map<string, Json>> {
  const dir = makeTempDir('fragment');
  const resources: string[] = [];
  objects.forEach((object, index) => {
    const file = `resource-${index}.yaml`;
    writeFileSync(join(dir, file), stringify(object));
    resources.push(file);
  });
  const fragment = parse(fragmentText) as Json;
  writeFileSync(join(dir, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources, ...fragment }));
  const result = await run(findKubectl(), ['kustomize', dir]);
  assert.equal(result.exitCode, 0, `kubectl kustomize failed: ${result.stderr}`);
  return new Map(parseAllDocuments(result.stdout).map((document) => document.toJS() as Json).map((object) => [identity(object), object]));
}

/** kustomize expands a List (and a `*List`) into its objects, nested ones too; the function keeps it whole. */
function flattenLists(objects: readonly Json[]): Json[] {
  return objects.flatMap((object) => (String(object['kind']).endsWith('List') && Array.isArray(object['items']) ? flattenLists(object['items'] as Json[]) : [object]));
}

function assertSameObjects(fromFunction: readonly Json[], fromKustomize: Map<string, Json>): void {
  const expected = flattenLists(fromFunction).filter((object) => !isGenerated(object));
  assert.equal(fromKustomize.size, expected.length, 'kustomize printed a different number of objects');
  for (const object of expected) {
    const other = fromKustomize.get(identity(object));
    assert.ok(other, `kustomize has no ${identity(object)}`);
    assert.deepEqual(stripOrchestratorAnnotations(other), stripOrchestratorAnnotations(object), identity(object));
  }
}

function envOf(name: string): NodeJS.ProcessEnv {
  const file = join(GOLDEN, name, 'env.json');
  return { ...process.env, ...(existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {}) };
}

describe('registry-proxy kustomize under the real kubectl kustomize', function () {
  this.timeout(120_000);
  before(buildFunctionOnce);
  after(removeTempDirs);

  const cases = readdirSync(GOLDEN, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('check-mode'))
    .map((entry) => entry.name)
    .sort();
  let compared = 0;

  for (const name of cases) {
    it(`golden input ${name}: the same objects as the function, or the difference reported`, async () => {
      const input = readFileSync(join(GOLDEN, name, 'input.yaml'), 'utf8');
      const env = envOf(name);
      const fn = await run(process.execPath, [FUNCTION_PATH], { input, env });
      if (fn.exitCode !== 0) return; // the function itself fails: nothing to reproduce (its golden case says why)
      const fragment = await run(process.execPath, [FUNCTION_PATH, 'kustomize'], { input, env });
      if (fragment.exitCode !== 0) {
        // What the fragment cannot express is said, one error line each, never dropped.
        assert.match(fragment.stderr, /^registry-proxy: error: not expressed by the fragment: /m);
        return;
      }
      const original = ((parse(input) as Json)['items'] as Json[]).filter((item) => !isGenerated(item));
      const output = (parse(fn.stdout) as Json)['items'] as Json[];
      assertSameObjects(output, await kustomize(original, fragment.stdout));
      compared++;
    });
  }

  it('compared at least 12 golden inputs', () => {
    assert.ok(compared >= 12, `only ${compared} golden inputs compared`);
  });

  it('a Helm-rendered chart (testdata/helm): the fragment gives what the post-renderer gives', async () => {
    const stream = readFileSync(join(REPO_ROOT, 'testdata', 'helm', 'rendered-chart.yaml'), 'utf8');
    const configPath = join(REPO_ROOT, 'testdata', 'helm', 'registry-proxy.yaml');
    const env = { ...process.env, REGISTRY_PROXY_LICENSE_ID: 'helm-fragment-license' };
    const rendered = await run(process.execPath, [FUNCTION_PATH, '--config', configPath], { input: stream, env });
    assert.equal(rendered.exitCode, 0, rendered.stderr);
    const original = parseAllDocuments(stream).map((document) => document.toJS() as Json).filter((object) => object !== null);
    const resourceList = stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: original, functionConfig: parse(readFileSync(configPath, 'utf8')) });
    const fragment = await run(process.execPath, [FUNCTION_PATH, 'kustomize'], { input: resourceList, env });
    assert.equal(fragment.exitCode, 0, fragment.stderr);
    assert.match(fragment.stdout, /^images:\n {2}- name: /m);
    const output = parseAllDocuments(rendered.stdout).map((document) => document.toJS() as Json).filter((object) => object !== null);
    assertSameObjects(output, await kustomize(original, fragment.stdout));
  });
});
