// The classification table of registry-probe.md as code: what each anonymous outcome means, and whether a
// verdict may be cached and deserves a warning. Pure: no I/O, no clocks.

import type { ProbeReason, ProbeVerdict } from './types.js';

/** Accept list for manifest requests. Without the OCI index type, distribution 2.8 and GHCR answer 404 for
 * public multi-arch images ("OCI index found, but accept header does not support OCI indexes"). */
export const manifestAccept = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

// What a registry may answer with for a manifest; schema 1 types still come from old registries.
const manifestMediaTypes = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

// The table's columns per reason. Only an explicit manifest is public; every definitive refusal is private;
// "unknown" means no verdict at all.
const reasonTraits: Record<ProbeReason, Pick<ProbeVerdict, 'visibility' | 'cacheable' | 'warning'>> = {
  granted: { visibility: 'public', cacheable: true, warning: false },
  denied: { visibility: 'private', cacheable: true, warning: false },
  'not-found': { visibility: 'private', cacheable: true, warning: true },
  unreachable: { visibility: 'private', cacheable: true, warning: true },
  'rate-limited': { visibility: 'private', cacheable: false, warning: true },
  'server-error': { visibility: 'private', cacheable: false, warning: true },
  intercepted: { visibility: 'private', cacheable: false, warning: true },
  'connection-reset': { visibility: 'unknown', cacheable: false, warning: true },
  offline: { visibility: 'unknown', cacheable: false, warning: true },
  'local-network': { visibility: 'unknown', cacheable: false, warning: true },
  refused: { visibility: 'unknown', cacheable: false, warning: true },
  deadline: { visibility: 'unknown', cacheable: false, warning: true },
};

export function createVerdict(reason: ProbeReason, message: string, overrides: { warning?: boolean } = {}): ProbeVerdict {
  return { ...reasonTraits[reason], reason, message, ...overrides };
}

/** The parts of a manifest response that decide the verdict. */
export interface ManifestResponseFacts {
  status: number;
  contentType: string | undefined;
  hasDigest: boolean;
  authenticate: string | undefined; // WWW-Authenticate
  sentToken: boolean; // the request carried the anonymous Bearer token
  attempts: number; // how many times it was sent (retries of 429/5xx)
  bodyStart?: string; // the first bytes of a GET's body (at most the read cap), for servers that send no manifest type
}

/** How much of a body the probe reads: a manifest is recognized by its first bytes, a token is a few KiB.
 * Past the cap the connection is closed, so a hostile registry costs at most this much memory per request. */
export const maxManifestBodyBytes = 16 * 1024;
export const maxTokenBodyBytes = 32 * 1024;

// The start of a JSON manifest or index: `schemaVersion` is required in both (and in schema 1).
function looksLikeManifest(bodyStart: string | undefined): boolean {
  return bodyStart !== undefined && /^\s*\{/.test(bodyStart) && /"schemaVersion"\s*:\s*[12]\b/.test(bodyStart);
}

/** Classifies the last response for one reference. 404 yields `not-found`, which the caller treats as
 * "try the repository's next reference". */
export function classifyManifestResponse(facts: ManifestResponseFacts): ProbeVerdict {
  const { status } = facts;
  const mediaType = facts.contentType?.split(';')[0]?.trim().toLowerCase();
  if (status >= 200 && status < 300) {
    if ((mediaType !== undefined && manifestMediaTypes.has(mediaType)) || facts.hasDigest) {
      return createVerdict('granted', `HTTP ${status} ${mediaType ?? 'with Docker-Content-Digest'}`);
    }
    if (looksLikeManifest(facts.bodyStart)) return createVerdict('granted', `HTTP ${status} with a manifest body (${mediaType ?? 'no content type'})`);
    return createVerdict('intercepted', `HTTP ${status} with ${mediaType ?? 'no content type'}: not a manifest (a captive portal or an intercepting proxy?)`);
  }
  if (status === 401) return createVerdict('denied', describe401(facts));
  if (status === 403) return createVerdict('denied', 'HTTP 403 on the manifest');
  if (status === 404) return createVerdict('not-found', 'HTTP 404: not found anonymously');
  if (status === 429) return createVerdict('rate-limited', `HTTP 429 after ${describeAttempts(facts.attempts)}`);
  if (status >= 500) return createVerdict('server-error', `HTTP ${status} after ${describeAttempts(facts.attempts)}`);
  if (status >= 300 && status < 400) return createVerdict('intercepted', `HTTP ${status} redirect not followed`);
  return createVerdict('server-error', `unexpected HTTP ${status}`);
}

function describe401(facts: ManifestResponseFacts): string {
  if (facts.sentToken) return 'HTTP 401 after anonymous token';
  const scheme = facts.authenticate?.trim().split(/\s/, 1)[0];
  if (scheme === undefined || scheme === '') return 'HTTP 401 without a challenge';
  return `HTTP 401 with a ${scheme} challenge`;
}

function describeAttempts(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

/** A token endpoint answer: a token, or the verdict it implies for the repository. */
export type TokenAnswer = { ok: true; token: string; expiresInSeconds: number | undefined } | { ok: false; failure: ProbeVerdict };

export function classifyTokenResponse(status: number, body: string, attempts: number, truncated = false): TokenAnswer {
  if (status === 401 || status === 403) return { ok: false, failure: createVerdict('denied', `token endpoint HTTP ${status}`) };
  if (status === 429) return { ok: false, failure: createVerdict('rate-limited', `token endpoint HTTP 429 after ${describeAttempts(attempts)}`) };
  if (status >= 500) return { ok: false, failure: createVerdict('server-error', `token endpoint HTTP ${status} after ${describeAttempts(attempts)}`) };
  if (status < 200 || status >= 300) return { ok: false, failure: createVerdict('server-error', `token endpoint unexpected HTTP ${status}`) };
  if (truncated) {
    return { ok: false, failure: createVerdict('server-error', `token endpoint answer larger than ${maxTokenBodyBytes / 1024} KiB: not read further`) };
  }
  const parsed = parseTokenBody(body);
  if (parsed === undefined) {
    return { ok: false, failure: createVerdict('intercepted', `token endpoint HTTP ${status} without a token (an intercepting proxy?)`) };
  }
  return { ok: true, ...parsed };
}

function parseTokenBody(body: string): { token: string; expiresInSeconds: number | undefined } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const fields = data as { token?: unknown; access_token?: unknown; expires_in?: unknown };
  // The spec names both; when both are present they are the same token.
  const token = typeof fields.token === 'string' && fields.token !== '' ? fields.token : fields.access_token;
  if (typeof token !== 'string' || token === '') return undefined;
  const expiresInSeconds = typeof fields.expires_in === 'number' && fields.expires_in > 0 ? fields.expires_in : undefined;
  return { token, expiresInSeconds };
}

/** How a request that got no response failed; decides retries and the verdict. */
export type TransportFailureKind = 'reset' | 'timeout' | 'unreachable';

const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNABORTED']);
// Worth one more try: a timeout, or a resolver that said "try again".
const timeoutCodes = new Set(['ETIMEDOUT', 'EAI_AGAIN', 'ESOCKETTIMEDOUT']);

export function classifyTransportFailure(code: string | undefined): TransportFailureKind {
  if (code !== undefined && resetCodes.has(code)) return 'reset';
  if (code !== undefined && timeoutCodes.has(code)) return 'timeout';
  return 'unreachable';
}

export function createTransportVerdict(kind: TransportFailureKind, message: string, attempts: number): ProbeVerdict {
  if (kind === 'reset') return createVerdict('connection-reset', `${message} (after ${describeAttempts(attempts)})`);
  return createVerdict('unreachable', attempts > 1 ? `${message} (after ${describeAttempts(attempts)})` : message);
}
