// The fragment `registry-proxy kustomize` prints, applied by the real `kubectl kustomize` to the
// original resources, gives exactly the objects the function gives (images and imagePullSecrets
// included): on every case input (testdata/) the fragment can express, and on a Helm-rendered chart.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { CASES_ROOT, isTransformCase, listCases, readCaseEnv, readCaseFile } from '../helpers/cases.js';
import { buildFunctionOnce, findKubectl, FUNCTION_PATH, makeTempDir, removeTempDirs, run } from './support.js';

type Json = Record<string, unknown>;

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
  return { ...process.env, ...readCaseEnv(name) };
}

describe('registry-proxy kustomize under the real kubectl kustomize', function () {
  this.timeout(120_000);
  before(buildFunctionOnce);
  after(removeTempDirs);

  // The cases of the function and the post-renderer (run here as the function: the post-renderer's fail).
  const cases = listCases().filter((name) => isTransformCase(name) && !name.startsWith('check-mode'));
  let compared = 0;

  for (const name of cases) {
    it(`case input ${name}: the same objects as the function, or the difference reported`, async () => {
      const input = readCaseFile(name, 'input.yaml') ?? '';
      const env = envOf(name);
      const fn = await run(process.execPath, [FUNCTION_PATH], { input, env });
      if (fn.exitCode !== 0) return; // the function itself fails: nothing to reproduce (its case says why)
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

  it('compared at least 12 case inputs', () => {
    assert.ok(compared >= 12, `only ${compared} case inputs compared`);
  });

  it('a Helm-rendered chart (testdata/post-render-helm-chart): the fragment gives what the post-renderer gives', async () => {
    const stream = readCaseFile('post-render-helm-chart', 'input.yaml') ?? '';
    const configPath = fileURLToPath(new URL('post-render-helm-chart/config.yaml', CASES_ROOT));
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
