// The vendor's kots.io/v1beta1 Application, shipped among the release manifests, supplies the
// settings KOTS reads from it wherever the functionConfig leaves them unset.
import type { LoadedConfig } from './config.js';
import { isRecord } from './load-config.js';

export const APPLICATION_API_VERSION = 'kots.io/v1beta1';

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;
const NAMESPACE = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?|\*)$/;

/** Applies the Application's settings; returns the names of the fields it supplied, and problems. */
export function applyApplicationDefaults(loaded: LoadedConfig, application: unknown): { applied: string[]; problems: string[] } {
  const applied: string[] = [];
  const problems: string[] = [];
  if (!isRecord(application) || !isRecord(application['spec'])) return { applied, problems };
  const spec = application['spec'];
  const { config, unset } = loaded;
  if (unset.has('proxyPublicImages') && typeof spec['proxyPublicImages'] === 'boolean') {
    config.proxyPublicImages = spec['proxyPublicImages'];
    applied.push('proxyPublicImages');
  }
  if (unset.has('additionalNamespaces') && Array.isArray(spec['additionalNamespaces'])) {
    const namespaces = spec['additionalNamespaces'].filter((value): value is string => typeof value === 'string');
    const bad = namespaces.filter((value) => !NAMESPACE.test(value));
    if (bad.length > 0) problems.push(`spec.additionalNamespaces: ${bad.map((value) => JSON.stringify(value)).join(', ')} is not a namespace name`);
    config.additionalNamespaces = namespaces.filter((value) => NAMESPACE.test(value));
    applied.push('additionalNamespaces');
  }
  for (const [field, key] of [
    ['proxyDomain', 'proxyRegistryDomain'],
    ['registryDomain', 'replicatedRegistryDomain'],
  ] as const) {
    const value = spec[key];
    if (!unset.has(field) || typeof value !== 'string' || value === '') continue;
    if (!HOST.test(value)) {
      problems.push(`spec.${key}: must be a host name, optionally with :port`);
      continue;
    }
    config[field] = value.toLowerCase();
    applied.push(field);
    if (field === 'proxyDomain') loaded.proxyDomainSource = `the Application (spec.${key}, deprecated)`;
  }
  return { applied, problems };
}
