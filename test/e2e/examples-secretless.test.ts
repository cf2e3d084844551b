// examples/flux and examples/argocd/hydrator stay true: the HelmRelease's post-renderer is what
// `kpt fn source | registry-proxy kustomize` prints for the chart in testdata/post-render-helm-chart, its ExternalSecret is
// what the function writes, the CI render needs no license and passes check mode, and the Source Hydrator
// variant renders an ExternalSecret and no Secret, without a license.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { buildFunctionOnce, findKpt, FUNCTION_PATH, makeTempDir, removeTempDirs, REPO_ROOT, run } from './support.js';

const FLUX = join(REPO_ROOT, 'examples', 'flux');
const CHART = join(REPO_ROOT, 'testdata', 'post-render-helm-chart', 'input.yaml');

/** The environment without any license ID. */
function noLicense(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['REGISTRY_PROXY_LICENSE_ID'];
  return env;
}

/** `kpt fn source <dir with the rendered chart> --fn-config <config>`, as the examples' READMEs say. */
async function sourceChart(config: string, stream: string): Promise<string> {
  const dir = makeTempDir('flux-source');
  writeFileSync(join(dir, 'my-app.yaml'), stream);
  const result = await run(findKpt(), ['fn', 'source', dir, '--fn-config', config]);
  assert.equal(result.exitCode, 0, result.stderr);
  return result.stdout;
}

describe('examples/flux and examples/argocd/hydrator', function () {
  this.timeout(120_000);
  before(buildFunctionOnce);
  after(removeTempDirs);

  it('helmrelease.yaml: its postRenderers are what registry-proxy kustomize prints for the chart', async () => {
    const config = join(FLUX, 'helmrelease', 'registry-proxy.yaml');
    const resourceList = await sourceChart(config, readFileSync(CHART, 'utf8'));
    const fragment = await run(process.execPath, [FUNCTION_PATH, 'kustomize'], { input: resourceList, env: noLicense() });
    assert.equal(fragment.exitCode, 0, fragment.stderr);
    const release = parse(readFileSync(join(FLUX, 'helmrelease', 'helmrelease.yaml'), 'utf8')) as { spec: { postRenderers: Array<{ kustomize: unknown }> } };
    assert.deepEqual(release.spec.postRenderers[0]!.kustomize, parse(fragment.stdout));
  });

  it('helmrelease/pull-secret.yaml: the ExternalSecret the function writes for that config', async () => {
    const config = parse(readFileSync(join(FLUX, 'helmrelease', 'registry-proxy.yaml'), 'utf8'));
    const input = stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [], functionConfig: config });
    const result = await run(process.execPath, [FUNCTION_PATH], { input, env: noLicense() });
    assert.equal(result.exitCode, 0, result.stderr);
    const generated = (parse(result.stdout) as { items: unknown[] }).items;
    assert.deepEqual([parse(readFileSync(join(FLUX, 'helmrelease', 'pull-secret.yaml'), 'utf8'))], generated);
  });

  it('ci/: the post-renderer needs no license, writes ${REGISTRY_PROXY_LICENSE_ID}, and check mode passes on it', async () => {
    const config = join(FLUX, 'ci', 'registry-proxy.yaml');
    const rendered = await run(process.execPath, [FUNCTION_PATH, '--config', config], { input: readFileSync(CHART, 'utf8'), env: noLicense() });
    assert.equal(rendered.exitCode, 0, rendered.stderr);
    const secrets = parseAllDocuments(rendered.stdout).map((document) => document.toJS() as { kind?: string; stringData?: Record<string, string> }).filter((object) => object?.kind === 'Secret');
    assert.equal(secrets.length, 1);
    assert.match(secrets[0]!.stringData!['.dockerconfigjson']!, /"password":"\$\{REGISTRY_PROXY_LICENSE_ID\}"/);
    const checked = await run(process.execPath, [FUNCTION_PATH, 'check'], { input: await sourceChart(config, rendered.stdout), env: noLicense() });
    assert.equal(checked.exitCode, 0, checked.stderr);
  });

  it('argocd/hydrator: kustomize-style render of the dry source gives an ExternalSecret and no Secret, without a license', async () => {
    const dir = makeTempDir('hydrator');
    cpSync(join(REPO_ROOT, 'examples', 'argocd', 'hydrator'), dir, { recursive: true });
    const resourceList = await run(findKpt(), ['fn', 'source', dir, '--fn-config', join(dir, 'registry-proxy.yaml')]);
    assert.equal(resourceList.exitCode, 0, resourceList.stderr);
    const result = await run(process.execPath, [FUNCTION_PATH], { input: resourceList.stdout, env: noLicense() });
    assert.equal(result.exitCode, 0, result.stderr);
    const kinds = (parse(result.stdout) as { items: Array<{ kind: string }> }).items.map((item) => item.kind);
    assert.ok(kinds.includes('ExternalSecret'), kinds.join(','));
    assert.ok(!kinds.includes('Secret'), kinds.join(','));
  });
});
