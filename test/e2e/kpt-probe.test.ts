// Issue: the probe end to end. kpt runs the bundle as an exec function against a real docker-registry
// with token auth (per-repository public/private) on loopback; without network (a fresh network
// namespace) it finishes fast and says so once.
import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { requireRegistryBinary, startRegistryFixture, type RegistryFixture } from '../probe/helpers/registry-fixture.js';
import { buildFunctionOnce, findKpt, FUNCTION_PATH, makeTempDir, removeTempDirs, run } from './support.js';

// A registry host without a port: a port cannot be a path segment of the proxied name, so the loopback
// registry is forwarded to port 80 of its own loopback address (root only, as in CI).
// Its token realm is on 127.0.0.1:<port>, another loopback host: the egress policy follows it only with
// probe.allowPrivateAddresses.
const HOST = '127.0.0.2';

function forward(toPort: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      const upstream = connect(toPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      const close = (): void => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    });
    server.once('error', reject);
    server.listen(80, HOST, () => resolve(server));
  });
}

function writePackage(images: Record<string, string>, probe: Record<string, unknown>): { dir: string; config: string } {
  const root = makeTempDir('rp-probe-e2e-');
  const dir = join(root, 'pkg');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Kptfile'), 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: pkg\n');
  const containers = Object.entries(images)
    .map(([name, image]) => `        - name: ${name}\n          image: ${image}\n`)
    .join('');
  writeFileSync(
    join(dir, 'deployment.yaml'),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n${containers}`,
  );
  const config = join(root, 'registry-proxy.yaml');
  writeFileSync(
    config,
    `apiVersion: fn.registry-proxy.dev/v1alpha1\nkind: RegistryProxy\nmetadata:\n  name: registry-proxy\nspec:\n  appSlug: my-app\n  licenseIDFromEnv: LIC\n  probe: ${JSON.stringify(probe)}\n`,
  );
  return { dir, config };
}

interface Result {
  message: string;
  severity: string;
  field?: { path: string };
  tags?: Record<string, string>;
}

/** kpt's results.yaml is a FunctionResultList: one item per function run, each with its results. */
function readResults(dir: string): Result[] {
  const document = parse(readFileSync(join(dir, 'results.yaml'), 'utf8')) as { items?: Array<{ results?: Result[] }> };
  return (document.items ?? []).flatMap((item) => item.results ?? []);
}

describe('kpt fn eval with the registry probe', function () {
  this.timeout(120_000);
  let fixture: RegistryFixture | undefined;
  let forwarder: Server | undefined;

  before(async function () {
    requireRegistryBinary(this);
    await buildFunctionOnce();
    fixture = await startRegistryFixture();
    forwarder = await forward(Number(fixture.token.host.split(':')[1]));
  });
  after(async () => {
    forwarder?.close();
    await fixture?.stop();
    removeTempDirs();
  });

  it('decides public and private images by asking the registry, and says why', async () => {
    const { dir, config } = writePackage(
      {
        public: `${HOST}/team/public-app:1.0`,
        private: `${HOST}/team/private-app:1.0`,
        missing: `${HOST}/team/missing-app:1.0`,
      },
      { insecureRegistries: [HOST], allowPrivateAddresses: true, timeoutSeconds: 5 },
    );
    const resultsDir = makeTempDir('rp-probe-results-');
    // kpt refuses --network for exec functions ("can only be used with container functions"): they
    // run on the host and have its network. Container functions need --network and `network: true`.
    const result = await run(findKpt(), ['fn', 'eval', dir, '--exec', `${process.execPath} ${FUNCTION_PATH}`, '--fn-config', config, '--results-dir', resultsDir], {
      env: { ...process.env, LIC: 'probe-e2e-license-0001' },
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const deployment = readFileSync(join(dir, 'deployment.yaml'), 'utf8');
    assert.match(deployment, new RegExp(`image: ${HOST.replace(/\./g, '\\.')}/team/public-app:1\\.0\\n`), 'the public image stays');
    assert.match(deployment, new RegExp(`image: proxy\\.replicated\\.com/proxy/my-app/${HOST.replace(/\./g, '\\.')}/team/private-app:1\\.0\\n`), 'the private image is proxied');
    assert.match(deployment, new RegExp(`image: proxy\\.replicated\\.com/proxy/my-app/${HOST.replace(/\./g, '\\.')}/team/missing-app:1\\.0\\n`), 'a missing image is private, as in KOTS');
    assert.match(deployment, /imagePullSecrets:\n\s*- name: my-app-registry/);
    const results = readResults(resultsDir);
    const about = (container: number): Result[] => results.filter((entry) => entry.field?.path === `spec.template.spec.containers[${container}].image`);
    const publicResult = about(0);
    assert.equal(publicResult.length, 1);
    assert.equal(publicResult[0]!.severity, 'info');
    assert.match(publicResult[0]!.message, /is public \(probe: granted/);
    assert.deepEqual(publicResult[0]!.tags, { decidedBy: 'probe', reason: 'granted', pinnable: 'true' });
    const privateResult = about(1);
    assert.equal(privateResult.length, 1);
    assert.equal(privateResult[0]!.severity, 'info');
    assert.deepEqual(privateResult[0]!.tags, { decidedBy: 'probe', reason: 'denied', pinnable: 'true' });
    const missingResult = about(2);
    assert.equal(missingResult.length, 1);
    assert.equal(missingResult[0]!.severity, 'warning');
    assert.equal(missingResult[0]!.tags?.['reason'], 'not-found');
    assert.match(results.at(-1)!.message, /probed 3 repositories/);
  });

  it('known-images prints the probed verdicts as a knownImages block to pin, sorted', async () => {
    const { dir, config } = writePackage(
      { b: `${HOST}/team/private-app:1.0`, a: `${HOST}/team/public-app:1.0`, c: `${HOST}/team/missing-app:1.0` },
      { insecureRegistries: [HOST], allowPrivateAddresses: true, timeoutSeconds: 5 },
    );
    const source = await run(findKpt(), ['fn', 'source', dir, '--fn-config', config]);
    assert.equal(source.exitCode, 0, source.stderr);
    const listed = await run(process.execPath, [FUNCTION_PATH, 'known-images'], { input: source.stdout, env: { PATH: process.env['PATH'] ?? '' } });
    assert.equal(listed.exitCode, 0, listed.stderr);
    assert.equal(
      listed.stdout,
      'knownImages:\n' +
        `- image: "${HOST}/team/missing-app:1.0"\n  isPrivate: true\n` +
        `- image: "${HOST}/team/private-app:1.0"\n  isPrivate: true\n` +
        `- image: "${HOST}/team/public-app:1.0"\n  isPrivate: false\n`,
    );
    // Pinned, the same render needs no registry at all: every image is decided by knownImages.
    const pinned = parse(readFileSync(config, 'utf8')) as { spec: Record<string, unknown> };
    pinned.spec['knownImages'] = (parse(listed.stdout) as { knownImages: unknown }).knownImages;
    pinned.spec['probe'] = { enabled: false };
    pinned.spec['unknownImages'] = 'error';
    writeFileSync(config, JSON.stringify(pinned));
    const render = await run(findKpt(), ['fn', 'eval', dir, '--exec', `${process.execPath} ${FUNCTION_PATH}`, '--fn-config', config], {
      env: { ...process.env, LIC: 'probe-e2e-license-0003' },
    });
    assert.equal(render.exitCode, 0, render.stderr);
    const deployment = readFileSync(join(dir, 'deployment.yaml'), 'utf8');
    assert.equal((deployment.match(/proxy\.replicated\.com\/proxy\/my-app\//g) ?? []).length, 2);
  });

  it('without network, finishes fast with one warning and decides by unknownImages', async () => {
    const { dir, config } = writePackage({ a: 'ghcr.io/vendor/a:1', b: 'quay.io/vendor/b:2', c: 'docker.io/library/redis:7' }, { timeoutSeconds: 10 });
    const started = performance.now();
    const result = await run('unshare', ['--net', findKpt(), 'fn', 'eval', dir, '--exec', `${process.execPath} ${FUNCTION_PATH}`, '--fn-config', config, '-o', 'stdout'], {
      env: { ...process.env, LIC: 'probe-e2e-license-0002' },
    });
    const elapsed = performance.now() - started;
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(elapsed < 8_000, `took ${Math.round(elapsed)} ms: the offline check must not wait out timeouts`);
    type Item = { kind: string; items?: Item[]; spec?: { template: { spec: { containers: Array<{ image: string }> } } } };
    const documents = parseAllDocuments(result.stdout).flatMap((document) => {
      const value = document.toJS() as Item;
      return value.kind === 'ResourceList' ? (value.items ?? []) : [value];
    });
    const deployment = documents.find((document) => document.kind === 'Deployment');
    assert.deepEqual(
      deployment?.spec?.template.spec.containers.map((container) => container.image),
      ['proxy.replicated.com/proxy/my-app/ghcr.io/vendor/a:1', 'proxy.replicated.com/proxy/my-app/quay.io/vendor/b:2', 'proxy.replicated.com/proxy/my-app/docker.io/library/redis:7'],
    );
    assert.match(result.stderr, /no network: 3 image\(s\) decided without a probe/);
  });
});
