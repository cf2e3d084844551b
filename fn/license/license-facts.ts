// What a customer's kots.io License says beyond its ID: the proxy domain inside the signed data and
// when it expires (kotskinds apis/kots/v1beta1/license_types.go; replicated-docs licenses-about.mdx).
import type { LicenseExpiry } from '../config/config.js';
import type { ConfigProblem } from '../config/load-config.js';
import { parseIsoDate } from './iso-date.js';

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;

export interface LicenseFacts {
  proxyDomain: { value: string; source: string } | undefined;
  expiry: LicenseExpiry | undefined;
  problems: ConfigProblem[];
}

/**
 * `licensePath` is where the License object sits in the functionConfig: `spec.license`, or `''` when
 * the License is the functionConfig itself.
 */
export function readLicenseFacts(license: unknown, licensePath: string): LicenseFacts {
  const facts: LicenseFacts = { proxyDomain: undefined, expiry: undefined, problems: [] };
  if (!isMap(license) || !isMap(license['spec'])) return facts;
  const spec = license['spec'];
  const at = (path: string): string => (licensePath === '' ? path : `${licensePath}.${path}`);
  facts.proxyDomain = readProxyDomain(spec, at, facts.problems);
  facts.expiry = readExpiry(spec, at, facts.problems);
  return facts;
}

/** The channel the license is on (spec.channelID) may carry its own domain; else the license's. */
function readProxyDomain(spec: Record<string, unknown>, at: (path: string) => string, problems: ConfigProblem[]): LicenseFacts['proxyDomain'] {
  const channels = Array.isArray(spec['channels']) ? spec['channels'] : [];
  const channelID = spec['channelID'];
  const index = typeof channelID === 'string' && channelID !== '' ? channels.findIndex((channel) => isMap(channel) && channel['channelID'] === channelID) : -1;
  const channel = channels[index] as Record<string, unknown> | undefined;
  const candidates: Array<[unknown, string, string]> = [];
  if (channel !== undefined) {
    const name = typeof channel['channelName'] === 'string' && channel['channelName'] !== '' ? channel['channelName'] : String(channelID);
    candidates.push([channel['replicatedProxyDomain'], `spec.channels[${index}].replicatedProxyDomain`, `the License's channel ${name}`]);
  }
  candidates.push([spec['replicatedProxyDomain'], 'spec.replicatedProxyDomain', 'the License']);
  for (const [value, path, who] of candidates) {
    if (typeof value !== 'string' || value === '') continue;
    if (!HOST.test(value)) {
      problems.push({ field: at(path), message: `${at(path)}: must be a host name, optionally with :port` });
      return undefined;
    }
    return { value: value.toLowerCase(), source: `${who} (${at(path)})` };
  }
  return undefined;
}

/** `spec.entitlements.expires_at.value`: ISO 8601; absent or empty means the license never expires. */
function readExpiry(spec: Record<string, unknown>, at: (path: string) => string, problems: ConfigProblem[]): LicenseExpiry | undefined {
  const entitlements = spec['entitlements'];
  if (!isMap(entitlements)) return undefined;
  const field = entitlements['expires_at'];
  if (!isMap(field)) return undefined;
  const path = at('spec.entitlements.expires_at.value');
  const value = field['value'];
  if (value === undefined || value === null || value === '') return undefined;
  // An unquoted timestamp read as YAML 1.1 is already a Date.
  const expiresAt = value instanceof Date ? value : typeof value === 'string' ? parseIsoDate(value) : undefined;
  if (expiresAt === undefined || Number.isNaN(expiresAt.getTime())) {
    // Echo the value only when it looks like a date: a credential pasted here must not leave.
    const shown = typeof value === 'string' && /^[0-9T:.+\-/ Z]{1,40}$/.test(value) ? ` (got ${JSON.stringify(value)})` : '';
    problems.push({ field: path, message: `${path}: must be an ISO 8601 date such as 2026-01-23T00:00:00Z${shown}` });
    return undefined;
  }
  return { expiresAt, field: path };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
