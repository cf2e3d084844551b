import assert from 'node:assert/strict';
import { createTokenCache, tokenCacheKey, type TokenFetch } from '../../fn/probe/token-cache.js';

describe('token cache', () => {
  const key = tokenCacheKey({ realm: 'https://auth/token', service: 'svc', scope: 'repository:a:pull', identity: 'anonymous' });

  it('keys by realm, service, scope and identity', () => {
    const other = tokenCacheKey({ realm: 'https://auth/token', service: 'svc', scope: 'repository:a:pull', identity: 'basic:u@h' });
    assert.notEqual(key, other);
  });

  it('reuses a token until expires_in minus the margin, then fetches again', async () => {
    let now = 0;
    const cache = createTokenCache<string>({ now: () => now, marginSeconds: 10 });
    let fetches = 0;
    const fetch = async (): Promise<TokenFetch<string>> => {
      fetches += 1;
      return { ok: true, token: `t${fetches}`, expiresInSeconds: 300 };
    };
    assert.deepEqual(await cache.obtain(key, fetch), { ok: true, token: 't1', expiresInSeconds: 300 });
    now = 289_000;
    assert.equal(((await cache.obtain(key, fetch)) as { token: string }).token, 't1');
    now = 290_000;
    assert.equal(((await cache.obtain(key, fetch)) as { token: string }).token, 't2');
    assert.equal(fetches, 2);
  });

  it('treats a short or missing expires_in as 60 s', async () => {
    let now = 0;
    const cache = createTokenCache<string>({ now: () => now, marginSeconds: 10 });
    let fetches = 0;
    const fetch = async (): Promise<TokenFetch<string>> => ({ ok: true, token: `t${(fetches += 1)}`, expiresInSeconds: 5 });
    await cache.obtain(key, fetch);
    now = 49_000;
    await cache.obtain(key, fetch);
    assert.equal(fetches, 1);
    now = 50_000;
    await cache.obtain(key, fetch);
    assert.equal(fetches, 2);
  });

  it('shares one fetch among concurrent callers and never caches a failure', async () => {
    const cache = createTokenCache<string>();
    let fetches = 0;
    const failing = async (): Promise<TokenFetch<string>> => {
      fetches += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { ok: false, failure: 'denied' };
    };
    const answers = await Promise.all([cache.obtain(key, failing), cache.obtain(key, failing), cache.obtain(key, failing)]);
    assert.equal(fetches, 1);
    assert.deepEqual(answers[0], { ok: false, failure: 'denied' });
    await cache.obtain(key, failing);
    assert.equal(fetches, 2);
  });
});
