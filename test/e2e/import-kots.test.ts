// `registry-proxy import-kots` on a directory laid out as `kots pull` writes it (test/fixtures/kots-pull,
// built from KOTS's source layout: see its README), then the printed functionConfig in a Kptfile
// pipeline under `kpt fn render --allow-exec`, end to end with the real kpt.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { buildFunctionOnce, findKpt, FUNCTION_PATH, makeTempDir, removeTempDirs, REPO_ROOT, run, type RunResult } from './support.js';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'kots-pull', 'acme-app');
const FIXTURE_LICENSE_ID = '2kotsPullFixtureLicenseID9x';
const LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';
const EXEC = `${process.execPath} ${FUNCTION_PATH}`;

function importKots(dir: string): Promise<RunResult> {
  return run(process.execPath, [FUNCTION_PATH, 'import-kots', dir]);
}

describe('registry-proxy import-kots (a kots pull directory)', function () {
  let imported: RunResult;
  before(async function () {
    await buildFunctionOnce();
    imported = await importKots(FIXTURE);
  });
  after(removeTempDirs);

  it('prints a RegistryProxy with the app slug, the Installation domains, the Application settings and knownImages', function () {
    assert.equal(imported.exitCode, 0, imported.stderr);
    assert.equal(imported.stderr, '');
    const config = parse(imported.stdout) as { apiVersion: string; kind: string; spec: Record<string, unknown> };
    assert.equal(config.apiVersion, 'fn.registry-proxy.dev/v1alpha1');
    assert.equal(config.kind, 'RegistryProxy');
    assert.deepEqual(config.spec, {
      appSlug: 'acme-app',
      licenseIDFromEnv: LICENSE_ENV,
      proxyDomain: 'proxy.acme.example',
      registryDomain: 'registry.acme.example',
      additionalNamespaces: ['acme-jobs'],
      proxyPublicImages: false,
      knownImages: [
        { image: 'docker.io/library/redis:7', isPrivate: false },
        { image: 'ghcr.io/acme/api:2.1.0', isPrivate: true },
        { image: 'quay.io/acme/worker:2.1.0', isPrivate: true },
      ],
    });
  });

  it('never prints the license ID', function () {
    assert.ok(!`${imported.stdout}${imported.stderr}`.includes(FIXTURE_LICENSE_ID));
  });

  it('accepts the --rootdir parent holding one app directory', async function () {
    const result = await importKots(join(FIXTURE, '..'));
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout.split('\n').slice(1).join('\n'), imported.stdout.split('\n').slice(1).join('\n'));
  });

  it('names the missing pieces on stderr (no license.yaml, no Application) and still prints a config', async function () {
    const dir = join(makeTempDir('import-kots-partial'), 'acme-app');
    mkdirSync(join(dir, 'upstream', 'userdata'), { recursive: true });
    cpSync(join(FIXTURE, 'upstream', 'userdata', 'installation.yaml'), join(dir, 'upstream', 'userdata', 'installation.yaml'));
    const result = await importKots(dir);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, /no upstream\/userdata\/license\.yaml: appSlug taken from the Installation's metadata\.name/);
    assert.match(result.stderr, /no kots\.io\/v1beta1 Application among the upstream files/);
    assert.equal((parse(result.stdout) as { spec: { appSlug: string } }).spec.appSlug, 'acme-app');
  });

  it('exits 1 with one error line when the directory is not a KOTS download', async function () {
    const result = await importKots(join(REPO_ROOT, 'testdata'));
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^registry-proxy: error: .* is not a kots pull \/ kots download directory: no upstream\/userdata\/installation\.yaml/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  it('exits 2 without a directory argument', async function () {
    const result = await run(process.execPath, [FUNCTION_PATH, 'import-kots']);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /import-kots needs a directory/);
  });

  describe('the printed config under kpt fn render --allow-exec', function () {
    let pkg: string;
    let rendered: RunResult;
    before(async function () {
      findKpt();
      assert.equal(imported.exitCode, 0, imported.stderr);
      pkg = join(makeTempDir('import-kots-render'), 'pkg');
      mkdirSync(pkg);
      // The release manifests KOTS pulled, as a kpt package with the imported config in its pipeline.
      for (const file of ['api.yaml', 'worker.yaml']) cpSync(join(FIXTURE, 'upstream', file), join(pkg, file));
      writeFileSync(
        join(pkg, 'Kptfile'),
        `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n  annotations:\n    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n  - exec: ${EXEC}\n    configPath: registry-proxy.yaml\n`,
      );
      writeFileSync(join(pkg, 'registry-proxy.yaml'), `${imported.stdout.trimEnd()}\n`.replace('metadata:\n  name: registry-proxy\n', 'metadata:\n  name: registry-proxy\n  annotations:\n    config.kubernetes.io/local-config: "true"\n'));
      rendered = await run(findKpt(), ['fn', 'render', pkg, '--allow-exec'], { env: { ...process.env, [LICENSE_ENV]: FIXTURE_LICENSE_ID } });
    });

    it('rewrites the private images to the Installation proxy domain and leaves the public one', function () {
      assert.equal(rendered.exitCode, 0, `${rendered.stdout}${rendered.stderr}`);
      const api = readFileSync(join(pkg, 'api.yaml'), 'utf8');
      assert.match(api, /image: proxy\.acme\.example\/proxy\/acme-app\/ghcr\.io\/acme\/api:2\.1\.0\n/);
      assert.match(api, /image: docker\.io\/library\/redis:7\n/);
      assert.match(readFileSync(join(pkg, 'worker.yaml'), 'utf8'), /image: proxy\.acme\.example\/proxy\/acme-app\/quay\.io\/acme\/worker:2\.1\.0\n/);
    });

    it('writes the pull Secret for both custom domains, in the workload namespaces and the Application additionalNamespaces', function () {
      assert.equal(rendered.exitCode, 0, `${rendered.stdout}${rendered.stderr}`);
      const secrets = parseAllDocuments(readFileSync(join(pkg, 'registry-proxy-pull-secrets.yaml'), 'utf8')).map(
        (document) => document.toJS() as { metadata: { name: string; namespace?: string }; data: Record<string, string> },
      );
      assert.deepEqual(secrets.map((secret) => secret.metadata.namespace ?? '(none)').sort(), ['(none)', 'acme-jobs']);
      const auth = Buffer.from(`LICENSE_ID:${FIXTURE_LICENSE_ID}`).toString('base64');
      const expected = JSON.stringify({ auths: { 'proxy.acme.example': { auth }, 'registry.acme.example': { auth } } });
      for (const secret of secrets) assert.equal(Buffer.from(secret.data['.dockerconfigjson']!, 'base64').toString('utf8'), expected);
      assert.ok(!`${rendered.stdout}${rendered.stderr}`.includes(FIXTURE_LICENSE_ID), 'the license ID is in kpt output');
    });
  });
});
