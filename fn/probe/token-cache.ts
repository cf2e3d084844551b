// Bearer tokens cached per realm|service|scope|identity until they expire, and fetched once when several
// probes ask at the same moment.

export type TokenFetch<F> =
  | { ok: true; token: string; expiresInSeconds: number | undefined }
  | { ok: false; failure: F };

export interface TokenCache<F> {
  obtain(key: string, fetch: () => Promise<TokenFetch<F>>): Promise<TokenFetch<F>>;
}

export interface TokenCacheOptions {
  now?: () => number; // milliseconds; injected so tests need not wait a minute
  marginSeconds?: number; // a token is dropped this long before it expires: it must survive the request it is sent with
}

// The token spec: a server that omits expires_in means 60 s, and clients should assume at least 60 s.
const minimumLifetimeSeconds = 60;

export function tokenCacheKey(parts: { realm: string; service: string | undefined; scope: string; identity: string }): string {
  return [parts.realm, parts.service ?? '', parts.scope, parts.identity].join('|');
}

export function createTokenCache<F>(options: TokenCacheOptions = {}): TokenCache<F> {
  const now = options.now ?? Date.now;
  const marginMs = (options.marginSeconds ?? 10) * 1000;
  const stored = new Map<string, { token: string; expiresAt: number }>();
  const inFlight = new Map<string, Promise<TokenFetch<F>>>();

  return {
    obtain(key, fetch) {
      const hit = stored.get(key);
      if (hit !== undefined) {
        if (hit.expiresAt > now()) return Promise.resolve({ ok: true, token: hit.token, expiresInSeconds: undefined });
        stored.delete(key);
      }
      const pending = inFlight.get(key);
      if (pending !== undefined) return pending;
      const started = fetch().then(
        (result) => {
          if (result.ok) {
            const lifetimeSeconds = Math.max(result.expiresInSeconds ?? minimumLifetimeSeconds, minimumLifetimeSeconds);
            stored.set(key, { token: result.token, expiresAt: now() + lifetimeSeconds * 1000 - marginMs });
          }
          return result;
        },
      ).finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
  };
}
