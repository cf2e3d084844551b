// Checks, outside the timing, that a measured program did the job: its output parses and has the expected
// rewrites. Each check throws with a message naming what is wrong.
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { PROXY_PREFIX, PUBLIC_IMAGE, REWRITES_PER_DEPLOYMENT } from './generate-input.mjs';

function podImages(item) {
  const spec = item?.spec?.template?.spec ?? {};
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((container) => container.image);
}

const isWorkload = (item) => typeof item?.spec?.template?.spec === 'object';
const workloadKey = (item) => `${item.kind}/${item.metadata?.namespace ?? ''}/${item.metadata?.name}`;

/** Counts what the Deployments' images became. */
function countImages(deployments) {
  let proxied = 0;
  let publicKept = 0;
  for (const item of deployments) {
    for (const image of podImages(item)) {
      if (typeof image === 'string' && image.startsWith(PROXY_PREFIX)) proxied++;
      else if (image === PUBLIC_IMAGE) publicKept++;
    }
  }
  return { proxied, publicKept };
}

function expect(what, actual, expected) {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

function readStream(path, what) {
  const documents = parseAllDocuments(readFileSync(path, 'utf8'));
  const problems = documents.flatMap((document) => document.errors);
  if (problems.length > 0) throw new Error(`${what} does not parse: ${problems[0].message}`);
  return documents.map((document) => document.toJS({ maxAliasCount: -1 })).filter((item) => item !== null && typeof item === 'object');
}

/**
 * The output's workloads against the input's, matched by kind, namespace and name (kustomize reorders):
 * each image either proxied (the proxy prefix before the image as written) or left exactly as it was;
 * the counts, the pod specs given imagePullSecrets and the pull Secrets as `expected` says (any of them
 * may be left out when a program does not do that part).
 */
function compareItems(inputItems, outputItems, expected, what) {
  const before = new Map(inputItems.filter(isWorkload).map((item) => [workloadKey(item), podImages(item)]));
  const workloads = outputItems.filter(isWorkload);
  expect(`${what}: pod templates in the output`, workloads.length, expected.workloads);
  expect(`${what}: pod templates in the input`, before.size, expected.workloads);
  let proxied = 0;
  let kept = 0;
  for (const item of workloads) {
    const images = before.get(workloadKey(item));
    if (!images) throw new Error(`${what}: ${workloadKey(item)} is not in the input`);
    podImages(item).forEach((image, index) => {
      if (image === images[index]) kept++;
      else if (image === `${PROXY_PREFIX}${images[index]}`) proxied++;
      else throw new Error(`${what}: ${workloadKey(item)}: ${JSON.stringify(images[index])} became ${JSON.stringify(image)}`);
    });
  }
  expect(`${what}: rewritten images`, proxied, expected.proxied);
  expect(`${what}: images left alone`, kept, expected.kept);
  if (expected.podsWithSecret !== undefined) {
    const withSecret = workloads.filter((item) => item.spec.template.spec.imagePullSecrets?.length > 0).length;
    expect(`${what}: pod specs with imagePullSecrets`, withSecret, expected.podsWithSecret);
  }
  if (expected.secrets !== undefined) {
    const secrets = outputItems.filter((item) => item.kind === 'Secret' && item.type === 'kubernetes.io/dockerconfigjson').length;
    expect(`${what}: pull Secrets`, secrets, expected.secrets);
  }
  return { rewritten: proxied };
}

/** registry-proxy's ResourceList against its input (see compareItems), and no error result. */
export function checkRegistryProxyOutput(inputPath, outputPath, expected) {
  const input = parse(readFileSync(inputPath, 'utf8'), { maxAliasCount: -1 });
  const list = parse(readFileSync(outputPath, 'utf8'), { maxAliasCount: -1 });
  expect('kind of the output', list?.kind, 'ResourceList');
  const errors = (list.results ?? []).filter((result) => result.severity === 'error');
  expect('error results', errors.length, 0);
  return compareItems(input.items, list.items, expected, 'registry-proxy');
}

/** A multi-document output (the Helm post-renderer's, kustomize's) against the multi-document input. */
export function checkStreamOutput(inputPath, outputPath, expected, what) {
  return compareItems(readStream(inputPath, `${what} input`), readStream(outputPath, `${what} output`), expected, what);
}

/** The floor must print its input byte for byte: otherwise it is not doing the work it stands for. */
export function checkFloorOutput(inputPath, outputPath) {
  const input = readFileSync(inputPath);
  if (!input.equals(readFileSync(outputPath))) throw new Error('CST floor output differs from its input');
  return { identicalBytes: input.length };
}

/** kustomize's multi-document output: N Deployments, 2N proxied images, N public ones kept. */
export function checkKustomizeOutput(outputPath, count) {
  const deployments = readStream(outputPath, 'kustomize output').filter((item) => item?.kind === 'Deployment');
  expect('Deployments in the kustomize output', deployments.length, count);
  const { proxied, publicKept } = countImages(deployments);
  expect('images kustomize rewrote', proxied, REWRITES_PER_DEPLOYMENT * count);
  expect('public images kustomize left alone', publicKept, count);
  return { rewritten: proxied };
}
