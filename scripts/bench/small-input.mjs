// The small real input: ingress-nginx's cloud deploy.yaml from test/fixtures/corpus (16,384 bytes, 19 objects:
// a Namespace, RBAC, ConfigMap, Services, the controller Deployment, two admission Jobs, an IngressClass,
// a ValidatingWebhookConfiguration; 3 images in 2 repositories, all `tag@sha256:`), unchanged. Three ways
// over the same file: as the ResourceList kpt hands a function (each document an item, indented under
// `- `, comments kept), the raw file through the Helm post-renderer, and a kustomization whose `images:`
// list rewrites the same two repositories.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROXY_PREFIX, registryProxyConfig } from './generate-input.mjs';

export const SMALL_FILE = 'test/fixtures/corpus/ingress-nginx-cloud-deploy.yaml';
const REPOSITORIES = ['registry.k8s.io/ingress-nginx/controller', 'registry.k8s.io/ingress-nginx/kube-webhook-certgen'];
/** The Deployment and the two Jobs; every image private (a rule); one pull Secret in ingress-nginx. */
export const SMALL_EXPECTATION = { workloads: 3, proxied: 3, kept: 0, podsWithSecret: 3, secrets: 1 };
/** kustomize rewrites images only. */
export const SMALL_KUSTOMIZE_EXPECTATION = { workloads: 3, proxied: 3, kept: 0 };

const CONFIG = registryProxyConfig(`  rules:
  - match: registry.k8s.io/ingress-nginx/**
    private: true
`);

/** Each non-empty document an item under `- `, its lines indented by two, as kpt writes items. */
function resourceListOf(text) {
  const documents = text.split(/^---[ \t]*$/m);
  const items = documents
    .map((document) => document.replace(/^\n+/, '').trimEnd())
    .filter((document) => document.split('\n').some((line) => line.trim() !== '' && !line.trimStart().startsWith('#')))
    .map((document) => document.split('\n').map((line, index) => (index === 0 ? `- ${line}` : line === '' ? '' : `  ${line}`)).join('\n'));
  const config = CONFIG.trimEnd().split('\n').map((line) => `  ${line}`).join('\n');
  return ['apiVersion: config.kubernetes.io/v1', 'kind: ResourceList', 'items:', ...items, 'functionConfig:', config, ''].join('\n');
}

/** Writes `<dir>/small/`: the ResourceList, the post-renderer's config, the kustomization; returns paths. */
export function writeSmallInputs(root, dir) {
  const file = join(root, SMALL_FILE);
  const text = readFileSync(file, 'utf8');
  const small = join(dir, 'small');
  const kustomizeDir = join(small, 'kustomize');
  mkdirSync(kustomizeDir, { recursive: true });
  const resourceList = join(small, 'resource-list.yaml');
  writeFileSync(resourceList, resourceListOf(text));
  const config = join(small, 'registry-proxy.yaml');
  writeFileSync(config, CONFIG);
  writeFileSync(join(kustomizeDir, 'resources.yaml'), text);
  const images = REPOSITORIES.map((name) => `- name: ${name}\n  newName: ${PROXY_PREFIX}${name}\n`).join('');
  writeFileSync(join(kustomizeDir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- resources.yaml\nimages:\n${images}`);
  return { file, bytes: Buffer.byteLength(text), objects: text.match(/^kind:/gm).length, resourceList, config, kustomizeDir };
}
