// The pull Secret for a local registry (localRegistry): the registry's own credentials, keyed by its
// host, in the shape kubelet and KOTS read (`auth = base64(user:password)`).
import type { Config, LocalRegistry } from './config/config.js';
import { buildSecretMetadata, SECRET_TYPE } from './pull-secret.js';
import type { PlainValue } from './yaml/render-object.js';

export function buildLocalDockerConfigJson(local: LocalRegistry, credentials: NonNullable<LocalRegistry['credentials']>): string {
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
  return JSON.stringify({ auths: { [local.host]: { auth } } });
}

export function buildLocalPullSecret(config: Config, local: LocalRegistry, credentials: NonNullable<LocalRegistry['credentials']>, namespace: string | undefined, annotations: Record<string, string>): { [key: string]: PlainValue } {
  const data = Buffer.from(buildLocalDockerConfigJson(local, credentials), 'utf8').toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: buildSecretMetadata(config, namespace, annotations), type: SECRET_TYPE, data: { '.dockerconfigjson': data } };
}
