// The license-derived pull Secret, byte for byte as KOTS writes it (reference-behavior.md §5).
import type { Config } from './config/config.js';
import { formatScalar } from './yaml/scalar-format.js';
import { GENERATED_BY_ANNOTATION } from './resource-list/item-scan.js';

export const SECRET_TYPE = 'kubernetes.io/dockerconfigjson';
export const GENERATED_BY = 'registry-proxy';
/** The file kpt writes generated Secrets to, relative to the package root. */
export const SECRETS_FILE = 'registry-proxy-pull-secrets.yaml';

/** Compact JSON, keys sorted, no trailing newline; username is the literal `LICENSE_ID`. */
export function buildDockerConfigJson(proxyDomain: string, registryDomain: string, licenseID: string): string {
  const auth = Buffer.from(`LICENSE_ID:${licenseID}`, 'utf8').toString('base64');
  const hosts = [...new Set([proxyDomain, registryDomain].map((domain) => domain.split('/')[0] ?? domain))].sort();
  const auths: Record<string, { auth: string }> = {};
  for (const host of hosts) auths[host] = { auth };
  return JSON.stringify({ auths });
}

export interface SecretPlacement {
  namespace: string | undefined;
  /** Orchestrator annotations for the new item (kpt's file path and index), in the order written. */
  fileAnnotations: Array<[string, string]>;
}

export interface SecretStyle {
  type: 'block' | 'flow';
  indent: number;
}

export function renderPullSecret(config: Config, placement: SecretPlacement, style: SecretStyle): string {
  const data = Buffer.from(buildDockerConfigJson(config.proxyDomain, config.registryDomain, config.licenseID), 'utf8').toString('base64');
  const annotations: Array<[string, string]> = [
    ...Object.entries(config.secretAnnotations),
    [GENERATED_BY_ANNOTATION, GENERATED_BY],
    ...placement.fileAnnotations,
  ];
  const labels = Object.entries(config.secretLabels);
  if (style.type === 'flow') {
    const metadata: Record<string, unknown> = { name: config.pullSecretName };
    if (placement.namespace !== undefined) metadata['namespace'] = placement.namespace;
    if (labels.length > 0) metadata['labels'] = Object.fromEntries(labels);
    metadata['annotations'] = Object.fromEntries(annotations);
    return JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata, type: SECRET_TYPE, data: { '.dockerconfigjson': data } });
  }
  const dash = `${' '.repeat(style.indent)}- `;
  const pad = ' '.repeat(style.indent + 2);
  const lines = [`${dash}apiVersion: v1`, `${pad}kind: Secret`, `${pad}metadata:`, `${pad}  name: ${formatScalar(config.pullSecretName)}`];
  if (placement.namespace !== undefined) lines.push(`${pad}  namespace: ${formatScalar(placement.namespace)}`);
  if (labels.length > 0) {
    lines.push(`${pad}  labels:`);
    for (const [key, value] of labels) lines.push(`${pad}    ${formatScalar(key)}: ${formatScalar(value)}`);
  }
  lines.push(`${pad}  annotations:`);
  for (const [key, value] of annotations) lines.push(`${pad}    ${formatScalar(key)}: ${formatScalar(value)}`);
  lines.push(`${pad}type: ${SECRET_TYPE}`, `${pad}data:`, `${pad}  .dockerconfigjson: ${data}`);
  return `${lines.join('\n')}\n`;
}
