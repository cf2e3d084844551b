import assert from 'node:assert/strict';
import { readLicenseFacts } from '../../fn/license/license-facts.js';

describe('readLicenseFacts', () => {
  it('takes the proxy domain of the channel whose channelID is spec.channelID, else spec.replicatedProxyDomain', () => {
    const spec = {
      channelID: 'b',
      replicatedProxyDomain: 'proxy.license.example',
      channels: [
        { channelID: 'a', replicatedProxyDomain: 'proxy.a.example' },
        { channelID: 'b', channelName: 'Beta', replicatedProxyDomain: 'Proxy.B.example' },
      ],
    };
    assert.deepEqual(readLicenseFacts({ spec }, 'spec.license').proxyDomain, {
      value: 'proxy.b.example',
      source: "the License's channel Beta (spec.license.spec.channels[1].replicatedProxyDomain)",
    });
    // The matching channel without a domain of its own falls back to the License's.
    const noChannelDomain = { ...spec, channels: [{ channelID: 'b' }] };
    assert.deepEqual(readLicenseFacts({ spec: noChannelDomain }, '').proxyDomain, { value: 'proxy.license.example', source: 'the License (spec.replicatedProxyDomain)' });
    assert.equal(readLicenseFacts({ spec: { channels: spec.channels } }, '').proxyDomain, undefined);
  });

  it('reports a License domain that is not a host, with its field path', () => {
    const facts = readLicenseFacts({ spec: { replicatedProxyDomain: 'https://proxy.example' } }, 'spec.license');
    assert.equal(facts.proxyDomain, undefined);
    assert.deepEqual(facts.problems, [{ field: 'spec.license.spec.replicatedProxyDomain', message: 'spec.license.spec.replicatedProxyDomain: must be a host name, optionally with :port' }]);
  });

  it('reads expires_at: ISO 8601, a YAML 1.1 timestamp (a Date), or never (absent, empty, null)', () => {
    const expiry = (value: unknown): unknown => readLicenseFacts({ spec: { entitlements: { expires_at: { value } } } }, '').expiry;
    assert.deepEqual(expiry('2026-01-23T00:00:00Z'), { expiresAt: new Date('2026-01-23T00:00:00Z'), field: 'spec.entitlements.expires_at.value' });
    assert.deepEqual(expiry(new Date('2026-01-23T00:00:00Z')), { expiresAt: new Date('2026-01-23T00:00:00Z'), field: 'spec.entitlements.expires_at.value' });
    for (const never of ['', null, undefined]) assert.equal(expiry(never), undefined);
    assert.equal(readLicenseFacts({ spec: { entitlements: {} } }, '').expiry, undefined);
  });

  it('does not echo a malformed expires_at that does not look like a date (it could be a credential)', () => {
    const facts = readLicenseFacts({ spec: { entitlements: { expires_at: { value: 'abcdefghijklmnopqrstuvwxyz0123' } } } }, 'spec.license');
    assert.deepEqual(facts.problems, [
      { field: 'spec.license.spec.entitlements.expires_at.value', message: 'spec.license.spec.entitlements.expires_at.value: must be an ISO 8601 date such as 2026-01-23T00:00:00Z' },
    ]);
    const number = readLicenseFacts({ spec: { entitlements: { expires_at: { value: 20260123 } } } }, '');
    assert.equal(number.problems.length, 1);
  });
});
