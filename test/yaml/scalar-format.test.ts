import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { formatScalar, isPlainSafe } from '../../fn/yaml/scalar-format.js';

describe('scalar-format', () => {
  // Every value is checked against the real readers: what a YAML 1.1 and a YAML 1.2 reader make of it.
  const values = [
    'my-app-registry', 'kubernetes.io/dockerconfigjson', 'default', 'storefront', 'e1', 'E5', 'Infinity', 'NaN',
    'yes', 'Yes', 'YES', 'no', 'on', 'Off', 'y', 'N', 'true', 'False', 'null', 'Null', '~', '',
    '-9999', '0755', '0x1F', '1e3', '1_000', '1:20', '2021-01-01', '.inf', '.nan', '12', '1.5',
    'nginx:1.25', 'a: b', 'a #b', '{{ .Values.image }}', '*alias', '&anchor', '!tag', '%x', '@x', '`x',
    'proxy.replicated.com/proxy/my-app/quay.io/org/app:1.0', 'quay.io/org/app@sha256:ffff',
  ];
  for (const value of values) {
    it(`${JSON.stringify(value)} reads back as the same string under YAML 1.1 and 1.2`, () => {
      const text = formatScalar(value);
      assert.equal(parse(`k: ${text}`, { version: '1.1' }).k, value, `1.1 reads ${text}`);
      assert.equal(parse(`k: ${text}`).k, value, `1.2 reads ${text}`);
      if (isPlainSafe(value)) assert.equal(text, value);
    });
  }

  it('quotes the words YAML 1.1 reads as booleans or null', () => {
    for (const word of ['yes', 'No', 'ON', 'off', 'y', 'n', 'true', 'null']) assert.equal(isPlainSafe(word), false, word);
  });

  it('keeps names and paths plain', () => {
    for (const name of ['my-app-registry', 'kots.io/creation-phase', 'registry-proxy', 'example']) assert.equal(isPlainSafe(name), true, name);
  });
});
