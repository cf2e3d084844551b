import assert from 'node:assert/strict';
import { findBearerChallenge, parseChallenges } from '../../fn/probe/challenge.js';

describe('parseChallenges', () => {
  // Columns: header as a registry sends it, then the challenges it holds (scheme, parameters).
  const cases: Array<[string, Array<[string, Record<string, string>]>]> = [
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      [['bearer', { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' }]],
    ],
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull",error="insufficient_scope"',
      [['bearer', { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:user/image:pull', error: 'insufficient_scope' }]],
    ],
    ['Basic realm="Registry Realm"', [['basic', { realm: 'Registry Realm' }]]],
    ['Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"', [['basic', { realm: 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/', service: 'ecr.amazonaws.com' }]]],
    // Several challenges in one header; a comma inside quotes is not a separator.
    ['Basic realm="a, b", Bearer realm="https://x/token",service="s"', [['basic', { realm: 'a, b' }], ['bearer', { realm: 'https://x/token', service: 's' }]]],
    // Escaped quote; case-insensitive names; spaces around '='.
    ['BEARER Realm = "https://x/t\\"q", Service=svc', [['bearer', { realm: 'https://x/t"q', service: 'svc' }]]],
    // Unquoted URL value (lenient) and a token68 challenge.
    ['Bearer realm=https://x/token,service=s', [['bearer', { realm: 'https://x/token', service: 's' }]]],
    ['Basic dXNlcjpwYXNz==, Negotiate', [['basic', {}], ['negotiate', {}]]],
    ['Negotiate', [['negotiate', {}]]],
    ['', []],
  ];
  for (const [header, expected] of cases) {
    it(`parses ${JSON.stringify(header)}`, () => {
      const parsed = parseChallenges(header).map((c) => [c.scheme, Object.fromEntries(c.params)]);
      assert.deepEqual(parsed, expected);
    });
  }

  it('joins repeated headers', () => {
    assert.deepEqual(parseChallenges(['Basic realm="r"', 'Bearer realm="https://t"']).map((c) => c.scheme), ['basic', 'bearer']);
  });

  it('never loops on garbage', () => {
    assert.ok(Array.isArray(parseChallenges('=== ,,, "unterminated')));
    assert.ok(Array.isArray(parseChallenges('Bearer realm="unterminated')));
  });
});

describe('findBearerChallenge', () => {
  it('finds the Bearer challenge among others', () => {
    const found = findBearerChallenge(parseChallenges('Basic realm="r", Bearer realm="https://auth/token",service="svc",scope="repository:a:pull"'));
    assert.deepEqual(found, { realm: 'https://auth/token', service: 'svc', scope: 'repository:a:pull' });
  });

  it('ignores a Bearer challenge without an absolute http(s) realm', () => {
    assert.equal(findBearerChallenge(parseChallenges('Bearer service="svc"')), undefined);
    assert.equal(findBearerChallenge(parseChallenges('Bearer realm="/token"')), undefined);
    assert.equal(findBearerChallenge(parseChallenges('Bearer realm="file:///etc/passwd"')), undefined);
  });
});
