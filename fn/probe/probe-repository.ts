// Probes one repository the way an anonymous `docker pull` would start: HEAD the manifest with the full
// Accept list, answer a Bearer challenge with one anonymous token, fall back to GET only when HEAD is
// refused, follow redirects by hand (credentials stay with their origin), and try the repository's next
// reference while the answer is 404. Transport-agnostic: the caller passes `send`.

import { findBearerChallenge, parseChallenges, type BearerChallenge } from './challenge.js';
import {
  classifyManifestResponse,
  classifyTokenResponse,
  classifyTransportFailure,
  createTransportVerdict,
  createVerdict,
  manifestAccept,
  maxManifestBodyBytes,
  maxTokenBodyBytes,
} from './classify.js';
import { buildManifestUrl, type RegistryEndpoint, type Scheme } from './registry-endpoint.js';
import { refusedCode, sendWithRetry, type HttpResult, type RetryPolicy, type SendRequest } from './send-with-retry.js';
import { tokenCacheKey, type TokenCache } from './token-cache.js';
import type { ProbeVerdict } from './types.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

/** What a repository probe produced, and whether it failed before any HTTP answer (then another scheme may work). */
export interface ProbeOutcome {
  verdict: ProbeVerdict;
  transportCode: string | undefined; // set when no HTTP response came back
}

export interface RepositoryProbeContext {
  send: SendRequest;
  retry: RetryPolicy;
  tokens: TokenCache<ProbeOutcome>;
  signal: AbortSignal; // the run's deadline
  userAgent: string;
  bearerHints: Map<string, BearerChallenge>; // per registry origin: its Bearer challenge, so later repositories fetch the token first
  workingSchemes: Map<string, Scheme>; // per host: the scheme that answered, so later repositories skip one that failed
}

const maxRedirects = 5;
// What a TLS handshake with a plain-http server ends in. Only then is http worth a try: after a certificate
// error (the server does speak TLS) or a proxy refusal, plain http would only hide the real problem.
const plainHttpServerPattern = /^(EPROTO|ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG|ERR_SSL_HTTP_REQUEST)$/;

/**
 * The anonymous verdict, refined when credentials are configured for the registry: they never make an image
 * public, they only tell "private" from "missing" after an anonymous refusal.
 */
export async function probeRepository(
  endpoint: RegistryEndpoint,
  references: readonly string[],
  context: RepositoryProbeContext,
  credentials: RegistryCredentials | undefined,
): Promise<ProbeVerdict> {
  const anonymous = await probeWithSchemes(endpoint, references, context, undefined);
  if (anonymous.reason !== 'denied' || credentials === undefined) return anonymous;
  const checked = await probeWithSchemes(endpoint, references, context, credentials);
  switch (checked.reason) {
    case 'granted':
      return createVerdict('denied', `${anonymous.message}; present with the configured credentials`);
    case 'not-found':
      return createVerdict('not-found', `${anonymous.message}; not found with the configured credentials`);
    case 'denied':
      return createVerdict('denied', `${anonymous.message}; the configured credentials were refused too`, { warning: true });
    case 'deadline':
      return checked;
    default:
      return createVerdict('denied', `${anonymous.message}; the check with the configured credentials failed: ${checked.message}`);
  }
}

async function probeWithSchemes(
  endpoint: RegistryEndpoint,
  references: readonly string[],
  context: RepositoryProbeContext,
  credentials: RegistryCredentials | undefined,
): Promise<ProbeVerdict> {
  const known = context.workingSchemes.get(endpoint.host);
  const schemes = known === undefined ? endpoint.schemes : [known];
  let outcome: ProbeOutcome | undefined;
  for (const scheme of schemes) {
    outcome = await probeReferences(endpoint, scheme, references, context, credentials);
    const code = outcome.transportCode;
    if (code === undefined) {
      // The registry answered over this scheme (a deadline proves nothing).
      if (outcome.verdict.reason !== 'deadline' && outcome.verdict.reason !== 'refused') context.workingSchemes.set(endpoint.host, scheme);
      return outcome.verdict;
    }
    if (!plainHttpServerPattern.test(code)) break;
  }
  return outcome?.verdict ?? createVerdict('unreachable', 'no scheme to try');
}

async function probeReferences(
  endpoint: RegistryEndpoint,
  scheme: Scheme,
  references: readonly string[],
  context: RepositoryProbeContext,
  credentials: RegistryCredentials | undefined,
): Promise<ProbeOutcome> {
  for (const reference of references) {
    const outcome = await probeReference(endpoint, scheme, reference, context, credentials);
    // A 404 is tag-specific; the repository may still hold the next reference.
    if (outcome.verdict.reason !== 'not-found') return outcome;
  }
  const listed = references.length > 4 ? `${references.slice(0, 4).join(', ')}, …` : references.join(', ');
  const which = references.length === 1 ? listed : `all ${references.length} references (${listed})`;
  const how = credentials === undefined ? 'anonymously' : 'with credentials';
  return { verdict: createVerdict('not-found', `HTTP 404 for ${which}: not found ${how}`), transportCode: undefined };
}

async function probeReference(
  endpoint: RegistryEndpoint,
  scheme: Scheme,
  reference: string,
  context: RepositoryProbeContext,
  credentials: RegistryCredentials | undefined,
): Promise<ProbeOutcome> {
  const registryOrigin = `${scheme}://${endpoint.host}`;
  const ownScope = `repository:${endpoint.repository}:pull`;
  let url = buildManifestUrl(scheme, endpoint.host, endpoint.repository, reference);
  let method: 'HEAD' | 'GET' = 'HEAD';
  let authorization: string | undefined;
  let sentToken = false;
  let sentBasic = false;
  let tokenFromHint = false;
  let redirects = 0;

  // A registry that challenged before will challenge again: fetch (or reuse) the token up front, saving a round trip.
  const hint = context.bearerHints.get(registryOrigin);
  if (hint !== undefined) {
    const token = await obtainToken(hint, ownScope, endpoint, scheme, context, credentials);
    if (!token.ok) return token.failure;
    authorization = `Bearer ${token.token}`;
    sentToken = true;
    tokenFromHint = true;
  }

  for (;;) {
    const headers: Record<string, string> = { accept: manifestAccept, 'user-agent': context.userAgent };
    if (authorization !== undefined) headers['authorization'] = authorization;
    const request = {
      method,
      url,
      headers,
      purpose: redirects === 0 ? ('registry' as const) : ('redirect' as const),
      registry: endpoint.host,
      registryScheme: scheme,
      maxBodyBytes: maxManifestBodyBytes,
    };
    const { result, attempts, note } = await sendWithRetry(context.send, request, context.retry, context.signal);
    if (context.signal.aborted) return deadlineOutcome();
    if (!result.ok) return transportOutcome(result, attempts, endpoint.host);

    const { status } = result;
    const location = readHeader(result, 'location');
    if (status >= 300 && status < 400 && location !== undefined) {
      redirects += 1;
      const next = resolveRedirect(url, location);
      if (next === undefined || redirects > maxRedirects) {
        const why = next === undefined ? `HTTP ${status} redirect to an unusable location` : `more than ${maxRedirects} redirects`;
        return { verdict: createVerdict('intercepted', why), transportCode: undefined };
      }
      if (new URL(next).origin !== new URL(url).origin) {
        // Tokens and credentials belong to one origin; the new one challenges for its own if it wants.
        authorization = undefined;
        sentToken = false;
        sentBasic = false;
      }
      url = next;
      continue;
    }
    if (method === 'HEAD' && (status === 405 || status === 501 || status === 400)) {
      method = 'GET'; // HEAD refused; a GET counts against Docker Hub's pull limit, so only now
      continue;
    }
    if (status === 401) {
      const authenticate = readHeader(result, 'www-authenticate');
      const challenges = parseChallenges(authenticate);
      const bearer = findBearerChallenge(challenges);
      const atRegistry = new URL(url).origin === registryOrigin;
      // A hinted token answers this registry's usual challenge; a different one deserves its own token.
      const hintMismatch = tokenFromHint && bearer !== undefined && (bearer.realm !== hint?.realm || bearer.service !== hint.service);
      if (bearer !== undefined && (!sentToken || hintMismatch)) {
        tokenFromHint = false;
        const scope = atRegistry ? ownScope : (bearer.scope ?? ownScope);
        const token = await obtainToken(bearer, scope, endpoint, scheme, context, atRegistry ? credentials : undefined);
        if (!token.ok) return token.failure;
        // Only a realm that gave a token is a hint: one the policy refused must not decide other repositories.
        if (atRegistry) context.bearerHints.set(registryOrigin, bearer);
        authorization = `Bearer ${token.token}`;
        sentToken = true;
        continue;
      }
      if (credentials !== undefined && atRegistry && !sentBasic && !sentToken && challenges.some((c) => c.scheme === 'basic')) {
        authorization = `Basic ${encodeBasic(credentials)}`;
        sentBasic = true;
        continue;
      }
    }
    const verdict = classifyManifestResponse({
      status,
      contentType: readHeader(result, 'content-type'),
      hasDigest: readHeader(result, 'docker-content-digest') !== undefined,
      authenticate: readHeader(result, 'www-authenticate'),
      sentToken,
      attempts,
      bodyStart: method === 'GET' ? result.body : undefined,
    });
    const message = note === undefined ? verdict.message : `${verdict.message} (${note})`;
    return { verdict: { ...verdict, message }, transportCode: undefined };
  }
}

type TokenOutcome = { ok: true; token: string } | { ok: false; failure: ProbeOutcome };

async function obtainToken(
  challenge: BearerChallenge,
  scope: string,
  endpoint: RegistryEndpoint,
  scheme: Scheme,
  context: RepositoryProbeContext,
  credentials: RegistryCredentials | undefined,
): Promise<TokenOutcome> {
  if (credentials !== undefined && isPlainHttp(challenge.realm) && scheme === 'https') {
    // The registry itself is https: its credentials never cross the network in clear text.
    return { ok: false, failure: { verdict: createVerdict('unreachable', 'credentials not sent: the token realm is plain http'), transportCode: undefined } };
  }
  const identity = credentials === undefined ? 'anonymous' : `basic:${credentials.username}@${endpoint.host}`;
  const key = tokenCacheKey({ realm: challenge.realm, service: challenge.service, scope, identity });
  const answer = await context.tokens.obtain(key, () => fetchToken(challenge, scope, endpoint, scheme, context, credentials));
  return answer.ok ? { ok: true, token: answer.token } : answer;
}

async function fetchToken(
  challenge: BearerChallenge,
  scope: string,
  endpoint: RegistryEndpoint,
  scheme: Scheme,
  context: RepositoryProbeContext,
  credentials: RegistryCredentials | undefined,
): Promise<{ ok: true; token: string; expiresInSeconds: number | undefined } | { ok: false; failure: ProbeOutcome }> {
  const url = new URL(challenge.realm);
  if (challenge.service !== undefined) url.searchParams.set('service', challenge.service);
  url.searchParams.set('scope', scope);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': context.userAgent };
  if (credentials !== undefined) headers['authorization'] = `Basic ${encodeBasic(credentials)}`;
  const request = {
    method: 'GET' as const,
    url: url.href,
    headers,
    purpose: 'realm' as const,
    registry: endpoint.host,
    registryScheme: scheme,
    maxBodyBytes: maxTokenBodyBytes,
  };
  const { result, attempts } = await sendWithRetry(context.send, request, context.retry, context.signal);
  if (context.signal.aborted) return { ok: false, failure: deadlineOutcome() };
  if (!result.ok) return { ok: false, failure: transportOutcome(result, attempts, endpoint.host) };
  const answer = classifyTokenResponse(result.status, result.body, attempts, result.truncated);
  if (!answer.ok) return { ok: false, failure: { verdict: answer.failure, transportCode: undefined } };
  return answer;
}

function transportOutcome(result: Extract<HttpResult, { ok: false }>, attempts: number, host: string): ProbeOutcome {
  // A refusal by the egress policy is final: no other scheme, no retry, no verdict about the image.
  if (result.code === refusedCode) return { verdict: createVerdict('refused', result.message), transportCode: undefined };
  const verdict = createTransportVerdict(classifyTransportFailure(result.code), result.message, attempts);
  const code = result.code ?? 'UNKNOWN';
  return { verdict: { ...verdict, failure: { code, hop: result.hop ?? 'registry', proxy: result.proxy, host } }, transportCode: code };
}

function isPlainHttp(url: string): boolean {
  try {
    return new URL(url).protocol === 'http:'; // URL lower-cases the scheme: HTTP:// is plain http too
  } catch {
    return false;
  }
}

function deadlineOutcome(): ProbeOutcome {
  return { verdict: createVerdict('deadline', 'the probe deadline passed before the registry answered'), transportCode: undefined };
}

function resolveRedirect(from: string, location: string): string | undefined {
  try {
    const next = new URL(location, from);
    return next.protocol === 'https:' || next.protocol === 'http:' ? next.href : undefined;
  } catch {
    return undefined;
  }
}

function readHeader(result: Extract<HttpResult, { ok: true }>, name: string): string | undefined {
  const value = result.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function encodeBasic(credentials: RegistryCredentials): string {
  return Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
}
