import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { formatScalar, isPlainSafe, readsBackAsString } from '../../fn/yaml/scalar-format.js';

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

  describe('without a parse, the same answer as the readers', () => {
    // The definition: plain when both readers read the text back as the same string (what every value
    // was checked with before the parse-free path; a value the path does not take still goes this way).
    const readsBack = (value: string): boolean => {
      if (value === '' || value !== value.trim() || /[\n\r\t]/.test(value)) return false;
      if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) || /: |:$| #/.test(value) || /[,[\]{}]/.test(value)) return false;
      try {
        return parse(value, { version: '1.1' }) === value && parse(value) === value;
      } catch {
        return false;
      }
    };
    const tricky = [
      'yes', 'Yes', 'yES', 'y', 'Y', 'n', 'on', 'ON', 'oN', 'off', 'true', 'TRUE', 'tRUE', 'null', 'NULL', 'nULL', '~', '',
      '0', '00', '08', '0o17', '0O17', '0o8', '0x1F', '0X1F', '0x', '0b101', '0b', '0b2', '+0b1', '-0b1', '0_7', '1_000', '_1',
      '1e3', '1E3', '1e', 'e3', 'E3', 'e+3', '1e+3', '1.e3', '.e3', '1.5e-3', '1.', '.5', '.', '..', '...', '...x', '....',
      '+', '+1', '+.5', '+.inf', '.inf', '.Inf', '.INF', '.iNF', '.nan', '.NaN', '.NAN', 'inf', 'nan', 'Infinity',
      '1:20', '190:20:30.15', '1:60', '2021-01-01', '2021-1-1', '2001-12-14t21:59:43.10-05:00', '20210101', '2021-01-01x',
      ': ', 'a: b', 'a:', 'a:b', 'a #b', 'a#b', ' a', 'a ', '-', '-a', '--', '---', '---x', '?', '?a', '[a', 'a]', '{a', '%', '%a', '@a',
      'a@b', '`a', "'a", "a'b", '"a', '!a', '&a', '*a', '|a', '>a', 'a\tb', 'a b', 'ü', 'a\u00e9', '\u00e9', 'a\u2028b', 'a\u0085b',
      '\ufeffa', 'a_b', 'a+b', '.dockerconfigjson', '.a', '_', 'e1', 'E5', '1e1_0', '0.0', '-0', '+0', '-.inf', '0.', '9'.repeat(30),
    ];
    // Every short string over the characters numbers, booleans, nulls and timestamps are made of.
    const alphabet = ['0', '1', '7', '8', '.', '_', '+', '-', ':', 'e', 'E', 'x', 'o', 'b', 'n', 'y', '~', 'a'];
    const generated = [''];
    for (let length = 0; length < 3; length++) {
      for (const prefix of generated.filter((value) => value.length === length)) for (const char of alphabet) generated.push(prefix + char);
    }

    it(`agrees on ${tricky.length} tricky scalars and ${generated.length} generated ones`, () => {
      for (const value of [...tricky, ...generated]) assert.equal(readsBackAsString(value), readsBack(value), JSON.stringify(value));
    });
  });
});
