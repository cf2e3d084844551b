// The vendor's kots.io/v1beta1 Application, shipped among the release manifests, supplies the
// settings KOTS reads from it wherever the functionConfig leaves them unset. loadConfig applies it.
import type { ApplicationField } from './config.js';
import { isRecord } from './is-record.js';

export const APPLICATION_API_VERSION = 'kots.io/v1beta1';

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;
const NAMESPACE = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?|\*)$/;

export interface ApplicationSettings {
  proxyPublicImages?: boolean;
  additionalNamespaces?: string[];
  proxyDomain?: string;
  registryDomain?: string;
  /** Where proxyDomain came from, when the Application supplied it. */
  proxyDomainSource?: string;
  /** Values that are ignored, one line each without the field's value. */
  problems: string[];
}

/** The settings the Application's spec supplies for the fields in `unset`. */
export function readApplicationSettings(application: unknown, unset: ReadonlySet<ApplicationField>): ApplicationSettings {
  const settings: ApplicationSettings = { problems: [] };
  if (!isRecord(application) || !isRecord(application['spec'])) return settings;
  const spec = application['spec'];
  const proxyPublicImages = spec['proxyPublicImages'];
  if (unset.has('proxyPublicImages') && typeof proxyPublicImages === 'boolean') settings.proxyPublicImages = proxyPublicImages;
  const additionalNamespaces = spec['additionalNamespaces'];
  if (unset.has('additionalNamespaces') && Array.isArray(additionalNamespaces)) {
    const namespaces = additionalNamespaces.filter((value): value is string => typeof value === 'string');
    const bad = namespaces.filter((value) => !NAMESPACE.test(value));
    if (bad.length > 0) settings.problems.push(`spec.additionalNamespaces: ${bad.map((value) => JSON.stringify(value)).join(', ')} is not a namespace name`);
    settings.additionalNamespaces = namespaces.filter((value) => NAMESPACE.test(value));
  }
  const domains: Array<['proxyDomain' | 'registryDomain', string]> = [
    ['proxyDomain', 'proxyRegistryDomain'],
    ['registryDomain', 'replicatedRegistryDomain'],
  ];
  for (const [field, key] of domains) {
    const value = spec[key];
    if (!unset.has(field) || typeof value !== 'string' || value === '') continue;
    if (!HOST.test(value)) {
      settings.problems.push(`spec.${key}: must be a host name, optionally with :port`);
      continue;
    }
    settings[field] = value.toLowerCase();
    if (field === 'proxyDomain') settings.proxyDomainSource = `the Application (spec.${key}, deprecated)`;
  }
  return settings;
}
