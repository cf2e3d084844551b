// The `default` ServiceAccount of a namespace, referencing the pull Secret: pods that operators create
// at run time (not in the items) use it and so can pull through the proxy.
import type { Config } from './config/config.js';
import type { PlainValue } from './yaml/render-object.js';

export function buildDefaultServiceAccount(config: Config, namespace: string, annotations: Record<string, string>): { [key: string]: PlainValue } {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace, annotations: { ...annotations } },
    imagePullSecrets: [{ name: config.pullSecretName }],
  };
}
