// Docker/OCI image reference grammar: a port of github.com/distribution/reference v0.6.0
// (reference.go, regexp.go, normalize.go, helpers.go) plus the digest checks of
// github.com/opencontainers/go-digest, which is what Docker, containerd and kubelet run.
// Syntax only: no YAML, no rewrite policy, no I/O.
//
// Grammar (reference.go):
//
//	reference                  := name [ ":" tag ] [ "@" digest ]
//	name                       := [domain '/'] remote-name
//	domain                     := host [':' port-number]
//	host                       := domain-name | IPv4address | \[ IPv6address \]  ; rfc3986 appendix-A
//	domain-name                := domain-component ['.' domain-component]*
//	domain-component           := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//	port-number                := /[0-9]+/
//	path-component             := alpha-numeric [separator alpha-numeric]*
//	path (or "remote-name")    := path-component ['/' path-component]*
//	alpha-numeric              := /[a-z0-9]+/
//	separator                  := /[_.]|__|[-]+/
//	tag                        := /[\w][\w.-]{0,127}/
//	digest                     := digest-algorithm ":" digest-hex
//	digest-algorithm           := digest-algorithm-component
//	                              [ digest-algorithm-separator digest-algorithm-component ]*
//	digest-algorithm-separator := /[+.-_]/
//	digest-algorithm-component := /[A-Za-z][A-Za-z0-9]*/
//	digest-hex                 := /[0-9a-fA-F]{32,}/ ; at least 128 bit digest value
//	identifier                 := /[a-f0-9]{64}/
//
// Layers, as in the Go library: syntax (the patterns below), structure and limits
// (parseReference), Docker Hub policy (splitDockerDomain, parseImageReference), familiar forms
// (the format* functions).

export interface ImageReference {
  /** The input exactly as written. */
  raw: string;
  /** The name part exactly as written, before ":tag" / "@digest" (e.g. "Quay.io:443/org/app"). */
  name: string;
  /**
   * The registry host exactly as written ("Quay.io:443", "index.docker.io"), or absent when the name
   * has none (a Docker Hub name such as "nginx" or "org/app").
   */
  host?: string;
  /** Normalized registry: "docker.io" for Docker Hub (index.docker.io folds to it), else as written. */
  domain: string;
  /** Normalized repository path: "library/nginx" for a one-component Hub name. */
  path: string;
  /** domain + "/" + path. Derived: the format* functions read domain and path. */
  repository: string;
  /** As written. */
  tag?: string;
  /** As written, e.g. "sha256:...". */
  digest?: string;
}

/**
 * Why a value is not a reference: the Go library's sentinel names (distribution/reference errors.go,
 * go-digest digest.go), so callers branch on a code and never on a message. The library's other
 * sentinels (ErrTagInvalidFormat, ErrNameNotCanonical, its own ErrDigestInvalidFormat) come from
 * functions this port has no counterpart of (WithTag, ParseNamed, WithDigest), so no parse returns them.
 */
export type ReferenceErrorCode =
  | 'ErrReferenceInvalidFormat'
  | 'ErrNameEmpty'
  | 'ErrNameContainsUppercase'
  | 'ErrNameTooLong'
  /** No sentinel in Go: normalize.go's formatted error for a bare 64-hex identifier. */
  | 'ErrNameIsIdentifier'
  /** go-digest's, not distribution/reference's: "invalid checksum digest format". */
  | 'ErrDigestInvalidFormat'
  | 'ErrDigestInvalidLength'
  | 'ErrDigestUnsupported';

export interface ReferenceError {
  code: ReferenceErrorCode;
  /** The Go library's error text, verbatim. */
  message: string;
}

export type ParsedImage = { ok: true; ref: ImageReference } | { ok: false; code: ReferenceErrorCode; error: string };

// ---------------------------------------------------------------------------------------------
// Syntax (regexp.go). Every pattern here must stay linear under a backtracking engine: each
// string has at most one way to match each piece, so a failed match cannot multiply its work.

// Name components are lowercase so that a name means one repository on every registry.
const alphanumeric = '[a-z0-9]+';

// One period, one or two underscores, or a run of dashes (so hostnames fit as components).
// `[-]+`, never Go's old `[-]*`: an empty separator makes `[a-z0-9]+(?:[-]*[a-z0-9]+)*` the
// classic `(a+)+`, which backtracks exponentially in JavaScript on any failing input.
const separator = '(?:[._]|__|[-]+)';

// The registry is a subset of DNS names (uppercase allowed, `_` not) for backwards compatibility
// with Docker image names; IPv4 addresses in decimal form fit this pattern too.
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';

// The port range is left unchecked, as in Go: "192.168.1.1:75050" is syntax, not our business.
const optionalPort = '(?::[0-9]+)?';

// From docker/docker graph/tags.go; `\w` is ASCII-only without the `u` flag, as in Go's RE2.
const tag = String.raw`[\w][\w.-]{0,127}`;

// Any well-formed digest, at least 128 bits of hex; which algorithms and lengths are accepted is
// decided afterwards (validateDigest), so that the errors can say what is wrong.
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';

// A bare sha256 hex string is a local image ID; naming a repository like that is refused.
const identifier = '([a-f0-9]{64})';

// Compressed or full IPv6 in brackets; zone identifiers (rfc6874) and IPv4-mapped forms are
// deliberately excluded.
const ipv6address = String.raw`\[(?:[a-fA-F0-9:]+)\]`;

const domainName = domainNameComponent + anyTimes(String.raw`\.`, domainNameComponent);
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = host + optionalPort;

// A component starts and ends with an alphanumeric, so separators never touch each other or `/`.
const pathComponent = alphanumeric + anyTimes(separator, alphanumeric);
const remoteName = pathComponent + anyTimes('/', pathComponent);
const namePat = optional(domainAndPort, '/') + remoteName;

// Groups: 1 name, 2 tag, 3 digest.
const referenceRegexp = new RegExp(
  anchored(capture(namePat), optional(':', capture(tag)), optional('@', capture(digestPat))),
);
// Groups: 1 domain, 2 path.
const anchoredNameRegexp = new RegExp(anchored(optional(capture(domainAndPort), '/'), capture(remoteName)));
const anchoredIdentifierRegexp = new RegExp(anchored(identifier));
const anchoredImageIdRegexp = new RegExp(anchored('sha256:', identifier));

function optional(...res: string[]): string {
  return `(?:${res.join('')})?`;
}

function anyTimes(...res: string[]): string {
  return `(?:${res.join('')})*`;
}

function capture(...res: string[]): string {
  return `(${res.join('')})`;
}

function anchored(...res: string[]): string {
  return `^${res.join('')}$`;
}

// ---------------------------------------------------------------------------------------------
// Errors: the Go sentinels' texts, since users search for them verbatim.

/** The longest repository path (the registry host not counted, as in v0.6.0). */
export const repositoryNameTotalLengthMax = 255;

const errReferenceInvalidFormat = { code: 'ErrReferenceInvalidFormat', message: 'invalid reference format' } as const;
const errNameEmpty = { code: 'ErrNameEmpty', message: 'repository name must have at least one component' } as const;
const errNameContainsUppercase = { code: 'ErrNameContainsUppercase', message: 'repository name must be lowercase' } as const;
/** Exported for names built from parts that are already valid, which only their length can make invalid. */
export const errNameTooLong: ReferenceError = { code: 'ErrNameTooLong', message: `repository name must not be more than ${repositoryNameTotalLengthMax} characters` };
const errDigestInvalidFormat = { code: 'ErrDigestInvalidFormat', message: 'invalid checksum digest format' } as const;
const errDigestInvalidLength = { code: 'ErrDigestInvalidLength', message: 'invalid checksum digest length' } as const;
const errDigestUnsupported = { code: 'ErrDigestUnsupported', message: 'unsupported digest algorithm' } as const;

function describeIdentifierAsName(input: string): ReferenceError {
  return { code: 'ErrNameIsIdentifier', message: `invalid repository name (${input}), cannot specify 64-byte hexadecimal strings` };
}

function describeUppercaseRemote(remote: string): ReferenceError {
  return { code: 'ErrNameContainsUppercase', message: `invalid reference format: repository name (${remote}) must be lowercase` };
}

type Failure = { ok: false; code: ReferenceErrorCode; error: string };
type Outcome<T> = { ok: true; value: T } | Failure;

function fail(error: ReferenceError): Failure {
  return { ok: false, code: error.code, error: error.message };
}

// ---------------------------------------------------------------------------------------------
// Digests (go-digest Digest.Validate). Go's test binary links only sha256; kubelet and containerd
// link sha384 and sha512 too, and what they pull is what counts here.

const hexLengthByAlgorithm: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

const anchoredLowerHexRegexp = /^[a-f0-9]+$/;

// go-digest's own, looser, well-formedness pattern: it decides "unsupported" versus "malformed".
const anchoredGoDigestRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function validateDigest(digest: string): ReferenceError | undefined {
  const i = digest.indexOf(':');
  if (i <= 0 || i + 1 === digest.length) return errDigestInvalidFormat;
  const algorithm = digest.slice(0, i);
  const encoded = digest.slice(i + 1);
  const hexLength = hexLengthByAlgorithm.get(algorithm);
  if (hexLength === undefined) {
    return anchoredGoDigestRegexp.test(digest) ? errDigestUnsupported : errDigestInvalidFormat;
  }
  if (encoded.length !== hexLength) return errDigestInvalidLength;
  return anchoredLowerHexRegexp.test(encoded) ? undefined : errDigestInvalidFormat;
}

// ---------------------------------------------------------------------------------------------
// Structure and limits (reference.go Parse), on a name that already carries its domain.

interface ReferenceParts {
  domain: string; // "" when the first component is not a valid host (see parseImageReference)
  path: string;
  tag: string | undefined;
  digest: string | undefined;
}

function parseReference(s: string): Outcome<ReferenceParts> {
  if (s === '') return fail(errNameEmpty);
  const matches = referenceRegexp.exec(s);
  if (matches === null) {
    const lowered = lowerCaseLikeGo(s);
    if (lowered !== s && referenceRegexp.test(lowered)) return fail(errNameContainsUppercase);
    return fail(errReferenceInvalidFormat);
  }
  const name = matches[1] ?? '';
  const nameMatch = anchoredNameRegexp.exec(name);
  const domain = nameMatch?.[1] ?? '';
  const path = nameMatch?.[2] ?? name;
  // v0.6.0 counts the path only: a long registry host does not make a name too long.
  if (path.length > repositoryNameTotalLengthMax) return fail(errNameTooLong);
  const digest = matches[3];
  if (digest !== undefined) {
    const digestError = validateDigest(digest);
    if (digestError !== undefined) return fail(digestError);
  }
  return { ok: true, value: { domain, path, tag: matches[2], digest } };
}

// Go's strings.ToLower maps by rune with simple case mappings; JavaScript applies special casing,
// and the one special case that lands in ASCII is U+0130 (İ), which Go lowers to a plain "i".
function lowerCaseLikeGo(s: string): string {
  return s.replaceAll('\u0130', 'i').toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Docker Hub policy (normalize.go).

const defaultDomain = 'docker.io';
const legacyDefaultDomain = 'index.docker.io';
const officialRepoPrefix = 'library/';
const localhost = 'localhost';
const defaultTag = 'latest';

// The first component is a registry only when it cannot be a Hub namespace: "localhost", or it
// has "." or ":" (a host name, IP, or port), or uppercase (Hub namespaces are lowercase).
// The host as written comes back too: it is the first component whenever that is taken as a registry.
function splitDockerDomain(name: string): [domain: string, remainder: string, host: string | undefined] {
  const slash = name.indexOf('/');
  if (slash === -1) {
    // One element is always a Hub name, so that "localhost:5000" is image "localhost", tag "5000".
    return [defaultDomain, officialRepoPrefix + name, undefined];
  }
  const maybeDomain = name.slice(0, slash);
  const maybeRemainder = name.slice(slash + 1);
  let domain: string;
  let remainder: string;
  let host: string | undefined = maybeDomain;
  if (maybeDomain === localhost) {
    [domain, remainder] = [maybeDomain, maybeRemainder];
  } else if (maybeDomain === legacyDefaultDomain) {
    [domain, remainder] = [defaultDomain, maybeRemainder];
  } else if (maybeDomain.includes('.') || maybeDomain.includes(':')) {
    [domain, remainder] = [maybeDomain, maybeRemainder];
  } else if (maybeDomain.toLowerCase() !== maybeDomain) {
    [domain, remainder] = [maybeDomain, maybeRemainder];
  } else {
    [domain, remainder, host] = [defaultDomain, name, undefined];
  }
  if (domain === defaultDomain && !remainder.includes('/')) remainder = officialRepoPrefix + remainder;
  return [domain, remainder, host];
}

/**
 * Parses an image reference as Docker, containerd and kubelet do (ParseNormalizedNamed).
 * Never throws: a value that is not a reference comes back as `{ok: false, code, error}` with the Go
 * library's sentinel name and error text.
 */
export function parseImageReference(input: string): ParsedImage {
  // Values come from untyped YAML; a number or null is "not a reference", not a crash.
  if (typeof input !== 'string') return fail(errReferenceInvalidFormat);
  if (anchoredIdentifierRegexp.test(input)) return fail(describeIdentifierAsName(input));

  const [domain, remainder, host] = splitDockerDomain(input);
  const tagSep = remainder.indexOf(':');
  // Up to the first ":" as Go does, so "foo@SHA256:..." reports "library/foo@SHA256".
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) return fail(describeUppercaseRemote(remote));

  const parsed = parseReference(`${domain}/${remainder}`);
  if (!parsed.ok) return parsed;
  const { tag, digest } = parsed.value;

  // Go leaves the domain empty when the first component was taken as a registry but is not a
  // valid host ("my_registry.local/app", valid as a whole path). Its printed forms are the same
  // either way; we name that component as the domain, since it is the host containerd contacts.
  const path = parsed.value.domain === '' ? trimTagAndDigest(remainder, tag, digest) : parsed.value.path;

  const ref: ImageReference = {
    raw: input,
    // The input ends with the same ":tag@digest" as the string that was parsed.
    name: trimTagAndDigest(input, tag, digest),
    domain,
    path,
    repository: `${domain}/${path}`,
  };
  if (host !== undefined) ref.host = host;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}

function trimTagAndDigest(s: string, tag: string | undefined, digest: string | undefined): string {
  const tagLength = tag === undefined ? 0 : tag.length + 1;
  const digestLength = digest === undefined ? 0 : digest.length + 1;
  return s.slice(0, s.length - tagLength - digestLength);
}

/** "sha256:<64 lowercase hex>": a local image ID, which parses as image "sha256" but names no repository. */
export function isImageId(input: string): boolean {
  return typeof input === 'string' && anchoredImageIdRegexp.test(input);
}

// ---------------------------------------------------------------------------------------------
// Printed forms (reference.go String, helpers.go FamiliarString, normalize.go ParseDockerRef).

function formatSuffix(ref: ImageReference): string {
  return (ref.tag === undefined ? '' : `:${ref.tag}`) + (ref.digest === undefined ? '' : `@${ref.digest}`);
}

/** Fully qualified, tag and digest both kept: "docker.io/library/nginx:1.27@sha256:...". */
export function formatNormalized(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}${formatSuffix(ref)}`;
}

/** The short form Docker's UI shows: Hub domain and a lone "library/" dropped ("nginx:1.27"). */
export function formatFamiliar(ref: ImageReference): string {
  let name = `${ref.domain}/${ref.path}`;
  if (ref.domain === defaultDomain) {
    name = ref.path;
    // Only a one-level "library/x": "library/foo/bar" is not an official image.
    const remainder = ref.path.slice(officialRepoPrefix.length);
    if (ref.path.startsWith(officialRepoPrefix) && !remainder.includes('/')) name = remainder;
  }
  return name + formatSuffix(ref);
}

/** What the runtime pulls: by digest if there is one (tag ignored), else by tag, "latest" by default. */
export function formatDockerRef(ref: ImageReference): string {
  const repository = `${ref.domain}/${ref.path}`;
  if (ref.digest !== undefined) return `${repository}@${ref.digest}`;
  return `${repository}:${ref.tag ?? defaultTag}`;
}
