// The license-derived pull Secret, byte for byte as KOTS writes it (reference-behavior.md §5).
import { DEFAULT_PULL_SECRET_USERNAME, type Config } from './config/config.js';
import type { PlainValue } from './yaml/render-object.js';

export const SECRET_TYPE = 'kubernetes.io/dockerconfigjson';

/**
 * Compact JSON, keys sorted, no trailing newline; the username is the literal `LICENSE_ID` (KOTS) unless
 * pullSecretUsername says otherwise, and the password the license ID or a service-account token.
 */
export function buildDockerConfigJson(proxyDomain: string, registryDomain: string, licenseID: string, username: string = DEFAULT_PULL_SECRET_USERNAME): string {
  const auth = Buffer.from(`${username}:${licenseID}`, 'utf8').toString('base64');
  const hosts = [...new Set([proxyDomain, registryDomain].map((domain) => domain.split('/')[0] ?? domain))].sort();
  const auths: Record<string, { auth: string }> = {};
  for (const host of hosts) auths[host] = { auth };
  return JSON.stringify({ auths });
}

export function buildPullSecret(config: Config, namespace: string | undefined, annotations: Record<string, string>): { [key: string]: PlainValue } {
  const data = Buffer.from(buildDockerConfigJson(config.proxyDomain, config.registryDomain, config.licenseID, config.pullSecretUsername), 'utf8').toString('base64');
  const metadata: { [key: string]: PlainValue } = { name: config.pullSecretName };
  if (namespace !== undefined) metadata['namespace'] = namespace;
  if (Object.keys(config.secretLabels).length > 0) metadata['labels'] = { ...config.secretLabels };
  metadata['annotations'] = { ...config.secretAnnotations, ...annotations };
  return { apiVersion: 'v1', kind: 'Secret', metadata, type: SECRET_TYPE, data: { '.dockerconfigjson': data } };
}

// For the secret-less modes (fn/pull-secret-mode.ts): the same hosts and metadata, without a license ID.

/** The username KOTS writes (since kots PR #5302). */
export const PULL_SECRET_USERNAME = 'LICENSE_ID';

/** The hosts the Secret authenticates to, cut at the first `/`, distinct, sorted (the `auths` key order). */
export function pullSecretHosts(config: Config): string[] {
  if (config.localRegistry) return [config.localRegistry.host];
  return [...new Set([config.proxyDomain, config.registryDomain].map((domain) => domain.split('/')[0] ?? domain))].sort();
}

/** The generated Secret's metadata: name, namespace, labels, then the configured and the given annotations. */
export function buildSecretMetadata(config: Config, namespace: string | undefined, annotations: Record<string, string>): { [key: string]: PlainValue } {
  const metadata: { [key: string]: PlainValue } = { name: config.pullSecretName };
  if (namespace !== undefined) metadata['namespace'] = namespace;
  if (Object.keys(config.secretLabels).length > 0) metadata['labels'] = { ...config.secretLabels };
  metadata['annotations'] = { ...config.secretAnnotations, ...annotations };
  return metadata;
}
