// How the pull Secret reaches the cluster (pullSecretMode). `inline` writes the license-derived Secret
// itself; the other modes write no credential, so a render needs no license ID and its output can be
// committed (Argo CD Source Hydrator, Flux, any rendered-manifests repository).
import type { Config } from './config/config.js';
import { buildLocalPullSecret } from './local-pull-secret.js';
import type { WantedObject } from './plan-generated.js';
import { buildPullSecret, buildSecretMetadata, pullSecretHosts, PULL_SECRET_USERNAME, SECRET_TYPE } from './pull-secret.js';
import type { ScannedItem } from './resource-list/item-scan.js';
import type { Result } from './results.js';
import type { PlainValue } from './yaml/render-object.js';

export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';
/** The ExternalSecret's `data[].secretKey`: the template reads the store value by this name. */
export const LICENSE_ID_KEY = 'licenseID';

/** The object that carries the pull Secret into `namespace`, or undefined when none is generated (reference). */
export function wantedPullSecret(config: Config, namespace: string | undefined): WantedObject | undefined {
  const base = { name: config.pullSecretName, namespace, onConflict: 'error' as const };
  switch (config.pullSecretMode) {
    case 'inline': {
      const local = config.localRegistry;
      if (local !== undefined) {
        // An anonymous local registry needs no Secret.
        const credentials = local.credentials;
        return credentials === undefined ? undefined : { ...base, apiVersion: 'v1', kind: 'Secret', build: (annotations) => buildLocalPullSecret(config, local, credentials, namespace, annotations) };
      }
      return { ...base, apiVersion: 'v1', kind: 'Secret', build: (annotations) => buildPullSecret(config, namespace, annotations) };
    }
    case 'substitution':
      return { ...base, apiVersion: 'v1', kind: 'Secret', build: (annotations) => buildSubstitutionSecret(config, namespace, annotations) };
    case 'externalSecret':
      return { ...base, apiVersion: EXTERNAL_SECRET_API_VERSION, kind: 'ExternalSecret', build: (annotations) => buildExternalSecret(config, namespace, annotations) };
    case 'reference':
      return undefined;
  }
}

/** `pullSecretMode: reference`: what the cluster must hold, said once (never a license ID: there is none). */
export function describeReferencedSecret(config: Config, namespaces: ReadonlyArray<string | undefined>): Result {
  const where = namespaces.length === 0 ? 'no namespace (nothing pulls through the proxy)' : namespaces.map((namespace) => namespace ?? '(the workloads\' namespace)').join(', ');
  return {
    severity: 'info',
    message: `pullSecretMode reference: no Secret generated; the cluster must hold Secret ${config.pullSecretName} (type ${SECRET_TYPE}, credentials for ${pullSecretHosts(config).join(' and ')}) in ${where}`,
    tags: { pullSecretMode: 'reference', secretName: config.pullSecretName, secretType: SECRET_TYPE, registries: pullSecretHosts(config).join(','), namespaces: namespaces.map((namespace) => namespace ?? '').join(',') },
  };
}

/**
 * `substitution`: `stringData` with `username`/`password` per host (kubelet reads them when `auth` is
 * absent), the password `${VARIABLE}` for Flux `postBuild.substituteFrom` to fill in.
 */
export function buildSubstitutionSecret(config: Config, namespace: string | undefined, annotations: Record<string, string>): { [key: string]: PlainValue } {
  const auths: Record<string, { username: string; password: string }> = {};
  for (const host of pullSecretHosts(config)) auths[host] = { username: PULL_SECRET_USERNAME, password: `\${${config.substitution.variable}}` };
  const metadata = buildSecretMetadata(config, namespace, annotations);
  return { apiVersion: 'v1', kind: 'Secret', metadata, type: SECRET_TYPE, stringData: { '.dockerconfigjson': JSON.stringify({ auths }) } };
}

/**
 * The Go template (ESO engine v2: text/template with sprig's `trim`, `printf`, `b64enc`) that renders the
 * exact `.dockerconfigjson` KOTS writes: `{"auths":{"<host>":{"auth":base64("LICENSE_ID:" + id)}}}`,
 * hosts sorted, compact. Written by hand because JSON.stringify would escape the template's quotes.
 */
export function buildDockerConfigTemplate(config: Config): string {
  const auth = `{{ .${LICENSE_ID_KEY} | trim | printf "${PULL_SECRET_USERNAME}:%s" | b64enc }}`;
  const entries = pullSecretHosts(config).map((host) => `${JSON.stringify(host)}:{"auth":"${auth}"}`);
  return `{"auths":{${entries.join(',')}}}`;
}

/**
 * `externalSecret`: an ExternalSecret with the Secret's name and namespace; ESO creates and owns the
 * Secret, with the configured labels and annotations, from the store value that holds the license ID.
 */
export function buildExternalSecret(config: Config, namespace: string | undefined, annotations: Record<string, string>): { [key: string]: PlainValue } {
  const settings = config.externalSecret!;
  const metadata: { [key: string]: PlainValue } = { name: config.pullSecretName };
  if (namespace !== undefined) metadata['namespace'] = namespace;
  if (Object.keys(config.secretLabels).length > 0) metadata['labels'] = { ...config.secretLabels };
  metadata['annotations'] = { ...annotations };
  const templateMetadata: { [key: string]: PlainValue } = {};
  if (Object.keys(config.secretAnnotations).length > 0) templateMetadata['annotations'] = { ...config.secretAnnotations };
  if (Object.keys(config.secretLabels).length > 0) templateMetadata['labels'] = { ...config.secretLabels };
  const remoteRef: { [key: string]: PlainValue } = { key: settings.remoteRef.key };
  if (settings.remoteRef.property !== undefined) remoteRef['property'] = settings.remoteRef.property;
  const spec: { [key: string]: PlainValue } = {};
  if (settings.refreshInterval !== undefined) spec['refreshInterval'] = settings.refreshInterval;
  spec['secretStoreRef'] = { name: settings.secretStoreRef.name, kind: settings.secretStoreRef.kind };
  spec['target'] = {
    name: config.pullSecretName,
    creationPolicy: 'Owner',
    template: {
      type: SECRET_TYPE,
      engineVersion: 'v2',
      ...(Object.keys(templateMetadata).length > 0 ? { metadata: templateMetadata } : {}),
      data: { '.dockerconfigjson': buildDockerConfigTemplate(config) },
    },
  };
  spec['data'] = [{ secretKey: LICENSE_ID_KEY, remoteRef }];
  return { apiVersion: EXTERNAL_SECRET_API_VERSION, kind: 'ExternalSecret', metadata, spec };
}

/**
 * ESO creates and owns the Secret an ExternalSecret names (creationPolicy Owner) and fails on one it does
 * not own: a Secret of the user's with the same name and namespace among the items is an error here.
 */
export function reportExternalSecretConflicts(config: Config, items: readonly ScannedItem[], placed: readonly WantedObject[]): Result[] {
  if (config.pullSecretMode !== 'externalSecret') return [];
  const results: Result[] = [];
  for (const object of placed) {
    if (object.kind !== 'ExternalSecret') continue;
    const clash = items.some(
      (item) => item.isObject && item.apiVersion === 'v1' && item.kind === 'Secret' && item.name === object.name && item.namespace === object.namespace && item.annotations.generatedBy === undefined,
    );
    if (!clash) continue;
    results.push({
      severity: 'error',
      message: `a Secret named ${object.name} already exists${object.namespace ? ` in namespace ${object.namespace}` : ''}: the ExternalSecret would have to own it; remove it or set pullSecretName`,
      resourceRef: { apiVersion: 'v1', kind: 'Secret', name: object.name, ...(object.namespace !== undefined ? { namespace: object.namespace } : {}) },
    });
  }
  return results;
}
