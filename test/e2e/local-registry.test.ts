// localRegistry end to end: an "upstream" docker-registry with images pushed by skopeo (one plain, one
// multi-arch index, one pinned by digest) and a "customer" docker-registry with htpasswd; the bundled
// function rewrites a package to the customer registry, `images --format mirror` lists the copies, real
// `skopeo copy --all --preserve-digests` makes them, and then every rewritten reference resolves on the
// customer registry with the credentials of the generated pull Secret, digests to the same digest.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildImage, type BuiltImage } from '../probe/helpers/oci-image.js';
import { requireRegistryBinary, startRegistry, type RegistryProcess } from '../probe/helpers/registry-fixture.js';
import { buildFunctionOnce, FUNCTION_PATH, run } from './support.js';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

function findSkopeo(context: Mocha.Context): string {
  try {
    execFileSync('skopeo', ['--version'], { stdio: 'ignore' });
    return 'skopeo';
  } catch {
    const help = 'skopeo not found: apt-get install -y skopeo';
    if (process.env['REGISTRY_PROXY_ALLOW_SKIP'] === '1') {
      process.stderr.write(`\n!!! SKIPPING the localRegistry end-to-end test: ${help} !!!\n\n`);
      context.skip();
    }
    throw new Error(`${help} (or set REGISTRY_PROXY_ALLOW_SKIP=1 to skip this test)`);
  }
}

/** An OCI image layout directory (what `skopeo copy oci:DIR:TAG` reads) holding one image. */
function writeOciLayout(dir: string, tag: string, image: BuiltImage): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const blob of [...image.blobs, ...image.manifests, image.top]) writeFileSync(join(dir, 'blobs', 'sha256', blob.digest.slice('sha256:'.length)), blob.bytes);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const top = { mediaType: image.top.mediaType, digest: image.top.digest, size: image.top.bytes.length, annotations: { 'org.opencontainers.image.ref.name': tag } };
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [top] }));
}

/** Upstream images are public here (no proxy to pull private ones through): every source is the original. */
function functionConfig(localRegistry: string): string {
  return `functionConfig:
  apiVersion: fn.registry-proxy.dev/v1alpha1
  kind: RegistryProxy
  metadata: {name: registry-proxy}
  spec:
    appSlug: my-app
    unknownImages: public
    probe: {enabled: false}
    localRegistry: ${localRegistry}
`;
}

describe('localRegistry end to end: skopeo mirrors to an htpasswd registry, every rewritten name resolves', function () {
  this.timeout(180_000);
  let dir = '';
  let upstream: RegistryProcess | undefined;
  let customer: RegistryProcess | undefined;
  const user = { username: 'customer-puller', password: 'customer-pass-5e2a' };
  const digests = new Map<string, string>();

  after(async () => {
    await Promise.all([upstream?.stop(), customer?.stop()]);
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('layout path: rewrite, mirror with skopeo copy, resolve with the pull Secret', async function () {
    requireRegistryBinary(this);
    const skopeo = findSkopeo(this);
    dir = mkdtempSync(join(tmpdir(), 'local-registry-e2e-'));
    const htpasswdPath = join(dir, 'htpasswd');
    writeFileSync(htpasswdPath, execFileSync('htpasswd', ['-Bbn', user.username, user.password], { encoding: 'utf8' }));
    [upstream, customer] = await Promise.all([
      startRegistry({ dir, name: 'upstream', storageDir: join(dir, 'upstream-storage') }),
      startRegistry({ dir, name: 'customer', storageDir: join(dir, 'customer-storage'), auth: { htpasswd: { realm: 'customer', path: htpasswdPath } } }),
      buildFunctionOnce(),
    ]);
    const up = upstream.host;

    const images = [
      { repository: 'team/app', tag: '1.0', multiArch: false },
      { repository: 'team/multi', tag: '2', multiArch: true },
      { repository: 'tools/pinned', tag: 'build-7', multiArch: false },
    ];
    for (const image of images) {
      const built = buildImage(`${image.repository}:${image.tag}`, { multiArch: image.multiArch });
      const layout = join(dir, 'oci', image.repository.replace('/', '-'));
      writeOciLayout(layout, image.tag, built);
      const pushed = await run(skopeo, ['copy', '--all', '--preserve-digests', '--dest-tls-verify=false', `oci:${layout}:${image.tag}`, `docker://${up}/${image.repository}:${image.tag}`], { timeoutMs: 60_000 });
      assert.equal(pushed.exitCode, 0, `skopeo push of ${image.repository}: ${pushed.stderr}`);
      digests.set(image.repository, built.top.digest);
    }
    const pinned = `${up}/tools/pinned@${digests.get('tools/pinned')!}`;
    const multiBoth = `${up}/team/multi:2@${digests.get('team/multi')!}`;
    const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: app, namespace: shop}
  spec:
    template:
      spec:
        containers:
        - {name: app, image: "${up}/team/app:1.0"}
        - {name: multi, image: "${up}/team/multi:2"}
        - {name: pinned, image: "${pinned}"}
        - {name: both, image: "${multiBoth}"}
${functionConfig(`{host: "${customer.host}", namespace: acme, usernameFromEnv: CUSTOMER_USER, passwordFromEnv: CUSTOMER_PASSWORD, insecure: true}`)}`;
    const env = { ...process.env, CUSTOMER_USER: user.username, CUSTOMER_PASSWORD: user.password };
    const started = Date.now();
    const rendered = await run(process.execPath, [FUNCTION_PATH], { input, env });
    assert.equal(rendered.exitCode, 0, rendered.stderr);
    assert.ok(!rendered.stderr.includes(user.password) && !rendered.stdout.replace(/\.dockerconfigjson: \S+/g, '').includes(user.password), 'the password leaked');
    const mirror = await run(process.execPath, [FUNCTION_PATH, 'images', '--format', 'mirror'], { input, env });
    assert.equal(mirror.exitCode, 0, mirror.stderr);
    const lines = mirror.stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]);
    assert.equal(lines.length, 4, mirror.stdout);
    for (const [source, destination] of lines) {
      assert.ok(source.startsWith(`${up}/`) && destination.startsWith(`${customer.host}/acme/`), `${source} ${destination}`);
      const copied = await run(
        skopeo,
        ['copy', '--all', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-creds', `${user.username}:${user.password}`, `docker://${source}`, `docker://${destination}`],
        { timeoutMs: 60_000 },
      );
      assert.equal(copied.exitCode, 0, `skopeo copy ${source} ${destination}: ${copied.stderr}`);
    }
    const mirrorSeconds = (Date.now() - started) / 1000;

    const documents = parseAllDocuments(rendered.stdout).map((document) => document.toJS() as { items: Array<Record<string, any>> });
    const items = documents[0]!.items;
    const deployment = items.find((item) => item['kind'] === 'Deployment')!;
    const podSpec = deployment['spec']['template']['spec'] as { containers: Array<{ image: string }>; imagePullSecrets: Array<{ name: string }> };
    assert.deepEqual(podSpec.imagePullSecrets, [{ name: 'my-app-registry' }]);
    const secret = items.find((item) => item['kind'] === 'Secret' && item['metadata']['namespace'] === 'shop')!;
    const config = JSON.parse(Buffer.from(secret['data']['.dockerconfigjson'] as string, 'base64').toString('utf8')) as { auths: Record<string, { auth: string }> };
    assert.deepEqual(Object.keys(config.auths), [customer.host]);
    const authorization = `Basic ${config.auths[customer.host]!.auth}`;
    const rewritten = podSpec.containers.map((container) => container.image);
    assert.deepEqual(rewritten, [
      `${customer.host}/acme/team/app:1.0`,
      `${customer.host}/acme/team/multi:2`,
      `${customer.host}/acme/tools/pinned@${digests.get('tools/pinned')!}`,
      `${customer.host}/acme/team/multi:2@${digests.get('team/multi')!}`,
    ]);
    for (const image of rewritten) {
      const withoutHost = image.slice(customer.host.length + 1);
      const at = withoutHost.indexOf('@');
      const repository = at === -1 ? withoutHost.slice(0, withoutHost.lastIndexOf(':')) : withoutHost.slice(0, at).replace(/:[^/]*$/, '');
      const reference = at === -1 ? withoutHost.slice(withoutHost.lastIndexOf(':') + 1) : withoutHost.slice(at + 1);
      const url = `http://${customer.host}/v2/${repository}/manifests/${reference}`;
      const anonymous = await fetch(url, { method: 'HEAD', headers: { accept: ACCEPT } });
      assert.equal(anonymous.status, 401, `${image} without credentials`);
      const answer = await fetch(url, { method: 'HEAD', headers: { accept: ACCEPT, authorization } });
      assert.equal(answer.status, 200, `${image} with the pull Secret's credentials`);
      const upstreamDigest = digests.get(repository.slice('acme/'.length))!;
      assert.equal(answer.headers.get('docker-content-digest'), upstreamDigest, `${image}: the same digest as upstream`);
    }
    process.stdout.write(`      render, mirror list and ${lines.length} skopeo copies: ${mirrorSeconds.toFixed(1)} s\n`);
  });

  it('layout kots: skopeo sync --src yaml of the skopeo-sync format puts every image where the rewrite points', async function () {
    if (upstream === undefined || customer === undefined) this.skip();
    const skopeo = findSkopeo(this);
    const up = upstream.host;
    const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: tools, namespace: ops}
  spec:
    containers:
    - {name: multi, image: "${up}/team/multi:2"}
    - {name: pinned, image: "${up}/tools/pinned@${digests.get('tools/pinned')!}"}
${functionConfig(`{host: "${customer.host}", namespace: flat, layout: kots, insecure: true}`)}`;
    const rendered = await run(process.execPath, [FUNCTION_PATH], { input });
    assert.equal(rendered.exitCode, 0, rendered.stderr);
    const items = (parseAllDocuments(rendered.stdout)[0]!.toJS() as { items: Array<Record<string, any>> }).items;
    assert.deepEqual(items.map((item) => item['kind']), ['Pod'], 'an anonymous registry gets no Secret');
    assert.equal(items[0]!['spec']['imagePullSecrets'], undefined, 'nor imagePullSecrets');
    const sync = await run(process.execPath, [FUNCTION_PATH, 'images', '--format', 'skopeo-sync'], { input });
    assert.equal(sync.exitCode, 0, sync.stderr);
    const file = join(dir, 'mirror.yaml');
    // The upstream here serves plain http: skopeo sync takes that per source registry, in the file.
    writeFileSync(file, sync.stdout.replace(`"${up}":\n`, `"${up}":\n  tls-verify: false\n`));
    const synced = await run(
      skopeo,
      ['sync', '--all', '--preserve-digests', '--src', 'yaml', '--dest', 'docker', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-creds', `${user.username}:${user.password}`, file, `${customer.host}/flat`],
      { timeoutMs: 60_000 },
    );
    assert.equal(synced.exitCode, 0, `skopeo sync: ${synced.stderr}\n${sync.stdout}`);
    const authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    for (const [repository, reference, digest] of [
      ['flat/multi', '2', digests.get('team/multi')!],
      ['flat/pinned', digests.get('tools/pinned')!, digests.get('tools/pinned')!],
    ] as const) {
      assert.ok(rendered.stdout.includes(`${customer.host}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`), `${repository} rewritten`);
      const answer = await fetch(`http://${customer.host}/v2/${repository}/manifests/${reference}`, { method: 'HEAD', headers: { accept: ACCEPT, authorization } });
      assert.equal(answer.status, 200, `${repository}:${reference} on the customer registry`);
      assert.equal(answer.headers.get('docker-content-digest'), digest);
    }
  });
});
