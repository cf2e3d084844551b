// Parses WWW-Authenticate (RFC 9110 §11.6.1): several challenges per header, quoted strings with escapes,
// commas inside quotes. Registries send `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.

export interface Challenge {
  scheme: string; // lower-case: "bearer", "basic"
  params: ReadonlyMap<string, string>; // names lower-case
}

export interface BearerChallenge {
  realm: string;
  service: string | undefined;
  scope: string | undefined;
}

const tokenChar = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

export function parseChallenges(header: string | readonly string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  const text = typeof header === 'string' ? header : header.join(', ');
  const challenges: Challenge[] = [];
  let position = 0;

  const skip = (pattern: RegExp): void => {
    while (position < text.length && pattern.test(text.charAt(position))) position += 1;
  };
  const readToken = (pattern: RegExp): string => {
    const start = position;
    skip(pattern);
    return text.slice(start, position);
  };
  const readQuoted = (): string => {
    position += 1; // opening quote
    let value = '';
    while (position < text.length && text.charAt(position) !== '"') {
      if (text.charAt(position) === '\\') position += 1;
      value += text.charAt(position);
      position += 1;
    }
    position += 1; // closing quote
    return value;
  };

  while (position < text.length) {
    skip(/[\s,]/);
    const scheme = readToken(tokenChar);
    if (scheme === '') {
      position += 1; // not a token: skip the stray character rather than loop forever
      continue;
    }
    const params = new Map<string, string>();
    challenges.push({ scheme: scheme.toLowerCase(), params });
    skip(/ /);
    for (;;) {
      const mark = position;
      skip(/[\s,]/);
      const name = readToken(tokenChar);
      skip(/ /);
      if (name === '' || text.charAt(position) !== '=') {
        position = mark; // the next challenge's scheme, or the end
        break;
      }
      position += 1; // '='
      skip(/ /);
      const next = text.charAt(position);
      if (next === '=' || next === ',' || next === '') {
        // A token68 (`Basic abc==`), which registries do not send: consume it, keep no parameter.
        skip(/=/);
        break;
      }
      // Unquoted values should be tokens; read up to the next comma so a bare URL survives too.
      const value = next === '"' ? readQuoted() : readToken(/[^,\s]/);
      params.set(name.toLowerCase(), value);
    }
  }
  return challenges;
}

/** The Bearer challenge with a usable realm (an absolute http(s) URL), if any. */
export function findBearerChallenge(challenges: readonly Challenge[]): BearerChallenge | undefined {
  for (const challenge of challenges) {
    if (challenge.scheme !== 'bearer') continue;
    const realm = challenge.params.get('realm');
    if (realm === undefined || !/^https?:\/\//i.test(realm)) continue;
    return { realm, service: challenge.params.get('service'), scope: challenge.params.get('scope') };
  }
  return undefined;
}
