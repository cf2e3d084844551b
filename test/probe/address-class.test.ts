import assert from 'node:assert/strict';
import { classifyAddress, classifyHostName, worstClass, type AddressClass } from '../../fn/probe/address-class.js';

describe('address classes', () => {
  const rows: Array<[string, AddressClass | undefined]> = [
    ['8.8.8.8', 'public'],
    ['172.15.255.255', 'public'],
    ['2606:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['::ffff:192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['registry.example.com', undefined],
  ];
  for (const [address, expected] of rows) {
    it(`${address} -> ${expected ?? 'not an address'}`, () => assert.equal(classifyAddress(address), expected));
  }

  it('knows names that need no resolver', () => {
    assert.equal(classifyHostName('localhost'), 'loopback');
    assert.equal(classifyHostName('LOCALHOST.'), 'loopback');
    assert.equal(classifyHostName('registry.localhost'), 'loopback');
    assert.equal(classifyHostName('metadata.google.internal'), 'metadata');
    assert.equal(classifyHostName('Metadata.Google.Internal.'), 'metadata');
    assert.equal(classifyHostName('10.0.0.1'), 'private');
    assert.equal(classifyHostName('quay.io'), undefined);
  });

  it('a name with several addresses is as bad as the worst', () => {
    assert.equal(worstClass(['public', 'private', 'public']), 'private');
    assert.equal(worstClass(['loopback', 'metadata']), 'metadata');
    assert.equal(worstClass([]), 'public');
  });
});
