import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createEgressPolicy, type EgressPolicyOptions, type EgressRequest } from '../../fn/probe/egress-policy.js';

const addresses: Record<string, string[]> = {
  'registry.example.com': ['203.0.113.10'],
  'auth.example.com': ['203.0.113.11'],
  'inward.example.com': ['203.0.113.12', '10.0.0.7'],
  'harbor.corp': ['10.0.0.5'],
  'gitlab.corp': ['10.0.0.6'],
  'dev.test': ['127.0.0.1'],
};
const resolve = async (name: string): Promise<LookupAddress[]> => {
  const found = addresses[name];
  if (found === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

function policy(overrides: Partial<EgressPolicyOptions> = {}) {
  return createEgressPolicy({ insecureRegistries: [], allowPrivateAddresses: false, resolve, ...overrides });
}
function request(registry: string, url: string, purpose: EgressRequest['purpose'] = 'registry', registryScheme: 'https' | 'http' = 'https'): EgressRequest {
  return { url, purpose, registry, registryScheme };
}
async function admitted(subject: ReturnType<typeof policy>, ...requests: EgressRequest[]): Promise<boolean[]> {
  const answers: boolean[] = [];
  for (const entry of requests) answers.push((await subject.admit(entry, false)).ok);
  return answers;
}

describe('egress policy', () => {
  it('refuses registries by name alone before any lookup, unless listed or allowed (never a metadata service)', () => {
    const strict = policy({ insecureRegistries: ['127.0.0.1:5000'] });
    assert.equal(strict.refuseRegistryByName('quay.io'), undefined);
    assert.equal(strict.refuseRegistryByName('127.0.0.1:5000'), undefined);
    assert.match(strict.refuseRegistryByName('127.0.0.1:8080') ?? '', /loopback/);
    assert.match(strict.refuseRegistryByName('10.0.0.1') ?? '', /private-network/);
    assert.match(strict.refuseRegistryByName('[fe80::1]:5000') ?? '', /link-local/);
    assert.match(strict.refuseRegistryByName('metadata.google.internal') ?? '', /metadata/);
    const open = policy({ allowPrivateAddresses: true });
    assert.equal(open.refuseRegistryByName('10.0.0.1'), undefined);
    assert.match(open.refuseRegistryByName('169.254.169.254') ?? '', /metadata/);
  });

  it('checks what a registry name resolves to, and pins the connection to it', async () => {
    const subject = policy();
    const decision = await subject.admit(request('registry.example.com', 'https://registry.example.com/v2/a/manifests/1'), false);
    assert.equal(decision.ok, true);
    const pinned = await new Promise<unknown>((done) => (decision.ok ? decision.lookup?.('registry.example.com', { all: true }, (_error, found) => done(found)) : done(undefined)));
    assert.deepEqual(pinned, [{ address: '203.0.113.10', family: 4 }]);
    assert.deepEqual(await admitted(subject, request('harbor.corp', 'https://harbor.corp/v2/a/manifests/1'), request('inward.example.com', 'https://inward.example.com/v2/')), [false, false]);
    // Through a proxy the proxy resolves: names pass, literals are still checked.
    assert.equal((await subject.admit(request('harbor.corp', 'https://harbor.corp/v2/'), true)).ok, true);
    assert.equal((await subject.admit(request('10.0.0.1', 'https://10.0.0.1/v2/'), true)).ok, false);
  });

  it('realms: https (any spelling of http is http), no user-info, never inward from a public registry', async () => {
    const subject = policy();
    await subject.admit(request('registry.example.com', 'https://registry.example.com/v2/'), false);
    const realm = (url: string, scheme: 'https' | 'http' = 'https') => request('registry.example.com', url, 'realm', scheme);
    assert.deepEqual(
      await admitted(
        subject,
        realm('https://auth.example.com/token?service=x'),
        realm('http://auth.example.com/token'),
        realm('HTTP://auth.example.com/token'),
        realm('Http://auth.example.com/token'),
        realm('https://user:pw@auth.example.com/token'),
        realm('https://169.254.169.254/latest/meta-data/'),
        realm('https://[::ffff:127.0.0.1]/token'),
        realm('https://dev.test/token'),
        realm('https://inward.example.com/token'),
        realm('ftp://auth.example.com/token'),
      ),
      [true, false, false, false, false, false, false, false, false, false],
    );
    const message = await subject.admit(realm('HTTP://auth.example.com/token'), false);
    assert.equal(message.ok, false);
    assert.match(message.ok ? '' : message.message, /plain http for an https registry/);
  });

  it('an internal registry it was allowed to probe: its own host and port, and sister hosts on the same private network', async () => {
    const subject = policy({ insecureRegistries: ['harbor.corp', '127.0.0.1:5000'] });
    assert.deepEqual(
      await admitted(
        subject,
        request('harbor.corp', 'http://harbor.corp/v2/a/manifests/1', 'registry', 'http'),
        request('harbor.corp', 'http://harbor.corp/service/token', 'realm', 'http'),
        request('harbor.corp', 'http://gitlab.corp/jwt/auth', 'realm', 'http'),
        request('harbor.corp', 'http://dev.test/token', 'realm', 'http'),
        request('harbor.corp', 'http://169.254.169.254/', 'redirect', 'http'),
        request('127.0.0.1:5000', 'http://127.0.0.1:5000/v2/a/manifests/1', 'registry', 'http'),
        request('127.0.0.1:5000', 'http://127.0.0.1:5000/token', 'realm', 'http'),
        request('127.0.0.1:5000', 'http://127.0.0.1:5001/token', 'realm', 'http'),
        request('127.0.0.1:5000', 'http://127.0.0.2:5000/token', 'realm', 'http'),
      ),
      [true, true, true, false, false, true, true, false, false],
    );
    // allowPrivateAddresses: a local registry's token service on another port is followed too.
    const open = policy({ allowPrivateAddresses: true });
    assert.deepEqual(
      await admitted(
        open,
        request('127.0.0.1:5000', 'https://127.0.0.1:5000/v2/', 'registry'),
        request('127.0.0.1:5000', 'https://127.0.0.1:5001/token', 'realm'),
        request('127.0.0.1:5000', 'https://169.254.169.254/token', 'realm'),
      ),
      [true, true, false],
    );
  });

  it('a failed lookup is the request failing, not a refusal', async () => {
    const decision = await policy().admit(request('missing.example.com', 'https://missing.example.com/v2/'), false);
    assert.equal(decision.ok, true);
    const code = await new Promise<unknown>((done) => (decision.ok ? decision.lookup?.('missing.example.com', {}, (error) => done(error?.code)) : done(undefined)));
    assert.equal(code, 'ENOTFOUND');
  });
});
