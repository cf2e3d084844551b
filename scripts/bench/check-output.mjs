// Checks, outside the timing, that a measured program did the job: its output parses and has the expected
// rewrites. Each check throws with a message naming what is wrong.
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { NAMESPACES, PROXY_PREFIX, PUBLIC_IMAGE, REWRITES_PER_DEPLOYMENT } from './generate-input.mjs';

function podImages(item) {
  const spec = item?.spec?.template?.spec ?? {};
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((container) => container.image);
}

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

/** registry-proxy's ResourceList: N Deployments, 2N proxied images, N public ones kept, 7 pull Secrets. */
export function checkRegistryProxyOutput(outputPath, count) {
  const list = parse(readFileSync(outputPath, 'utf8'), { maxAliasCount: -1 });
  expect('kind of the output', list?.kind, 'ResourceList');
  const deployments = list.items.filter((item) => item.kind === 'Deployment');
  expect('Deployments in the output', deployments.length, count);
  const { proxied, publicKept } = countImages(deployments);
  expect('rewritten images', proxied, REWRITES_PER_DEPLOYMENT * count);
  expect('public images left alone', publicKept, count);
  const withSecret = deployments.filter((item) => item.spec.template.spec.imagePullSecrets?.length > 0).length;
  expect('pod specs with imagePullSecrets', withSecret, count);
  const secrets = list.items.filter((item) => item.kind === 'Secret').length;
  expect('pull Secrets', secrets, Math.min(count, NAMESPACES.length));
  const errors = (list.results ?? []).filter((result) => result.severity === 'error');
  expect('error results', errors.length, 0);
  return { rewritten: proxied };
}

/** The floor must print its input byte for byte: otherwise it is not doing the work it stands for. */
export function checkFloorOutput(inputPath, outputPath) {
  const input = readFileSync(inputPath);
  if (!input.equals(readFileSync(outputPath))) throw new Error('CST floor output differs from its input');
  return { identicalBytes: input.length };
}

/** kustomize's multi-document output: N Deployments, 2N proxied images, N public ones kept. */
export function checkKustomizeOutput(outputPath, count) {
  const documents = parseAllDocuments(readFileSync(outputPath, 'utf8'));
  const problems = documents.flatMap((document) => document.errors);
  if (problems.length > 0) throw new Error(`kustomize output does not parse: ${problems[0].message}`);
  const deployments = documents.map((document) => document.toJS()).filter((item) => item?.kind === 'Deployment');
  expect('Deployments in the kustomize output', deployments.length, count);
  const { proxied, publicKept } = countImages(deployments);
  expect('images kustomize rewrote', proxied, REWRITES_PER_DEPLOYMENT * count);
  expect('public images kustomize left alone', publicKept, count);
  return { rewritten: proxied };
}
