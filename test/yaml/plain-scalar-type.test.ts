import assert from 'node:assert/strict';
import { findKubectl, run } from '../e2e/support.js';
import { isPlainString, resolvePlainScalar, type PlainScalarType } from '../../fn/yaml/plain-scalar-type.js';

// Each row was read by kubectl (sigs.k8s.io/yaml -> go-yaml v2) first; the last test asks kubectl again.
const TABLE: ReadonlyArray<[string, PlainScalarType]> = [
  ['${IMAGE}', 'str'], ['$IMAGE', 'str'], ['x{{ .Values.image }}', 'str'], ['<no value>', 'str'], ['-image', 'str'],
  [':latest', 'str'], ['?x', 'str'], ['=', 'str'], ['<<', 'str'], ['1:20', 'str'], ['190:20:30.15', 'str'],
  ['2021-01-01', 'str'], ['2021-01-01 10:00:00', 'str'], ['12e', 'str'], ['1e', 'str'], ['e3', 'str'], ['_1', 'str'],
  ['0.1.2', 'str'], ['+', 'str'], ['.', 'str'], ['0xG', 'str'], ['0b', 'str'], ['0x', 'str'], ['0o', 'str'],
  ['1,000', 'str'], ['._5', 'str'], ['.5_', 'str'], ['.5e', 'str'], ['.iNf', 'str'], ['1e400', 'str'], ['0x1p3', 'str'],
  ['1e3.5', 'str'], ['0o-1', 'str'], ['0x-1', 'str'], ['-0b-1', 'str'], ['-0b+1', 'str'], ['nULL', 'str'], ['tRUE', 'str'],
  ['oN', 'str'], ['yEs', 'str'], ['oFF', 'str'], ['FaLse', 'str'], ['nginx', 'str'], ['nginx:1.25', 'str'],
  ['0x1F', 'int'], ['+0x1F', 'int'], ['-0x1F', 'int'], ['0X1F', 'int'], ['0x_1', 'int'], ['0x1_F', 'int'], ['1_000', 'int'],
  ['0b101', 'int'], ['0B1', 'int'], ['-0b11', 'int'], ['0b-1', 'int'], ['0b+1', 'int'], ['0b1_1', 'int'], ['0o17', 'int'],
  ['0O7', 'int'], ['017', 'int'], ['0755', 'int'], ['+1', 'int'], ['-0', 'int'], ['1__0', 'int'], ['1_', 'int'], ['0_1', 'int'],
  ['+_1', 'int'], ['1_2_3', 'int'], ['18446744073709551615', 'int'],
  ['.5', 'float'], ['+.5', 'float'], ['-.5', 'float'], ['-.5_5', 'float'], ['.5_0', 'float'], ['.5e+1', 'float'],
  ['.5e1_0', 'float'], ['1e3', 'float'], ['1E3', 'float'], ['1e+3', 'float'], ['1.0e+3', 'float'], ['1.', 'float'], ['0.', 'float'],
  ['-.5e3', 'float'], ['1_0.5', 'float'], ['685.230_15e+03', 'float'], ['1_e3', 'float'], ['1e3_0', 'float'], ['09', 'float'],
  ['08', 'float'], ['99999999999999999999', 'float'], ['1e-400', 'float'],
  ['Yes', 'bool'], ['yes', 'bool'], ['YES', 'bool'], ['y', 'bool'], ['n', 'bool'], ['N', 'bool'], ['NO', 'bool'], ['on', 'bool'],
  ['ON', 'bool'], ['Off', 'bool'], ['OFF', 'bool'], ['True', 'bool'], ['false', 'bool'], ['FALSE', 'bool'],
  ['~', 'null'], ['NULL', 'null'], ['Null', 'null'], ['null', 'null'], ['', 'null'],
];

describe('plain-scalar-type (go-yaml v2 resolution, as the API server reads YAML)', () => {
  for (const [value, type] of TABLE) {
    it(`${JSON.stringify(value)} is ${type}`, () => {
      assert.equal(resolvePlainScalar(value), type);
      assert.equal(isPlainString(value), type === 'str');
    });
  }

  it('infinities and NaN are floats (kubectl then refuses to convert them to JSON)', () => {
    for (const value of ['.inf', '.Inf', '-.INF', '+.inf', '.nan', '.NaN']) assert.equal(resolvePlainScalar(value), 'float', value);
  });

  it('agrees with kubectl on every row', async function () {
    this.timeout(30_000);
    const kubectl = findKubectl();
    const containers = TABLE.map(([value], index) => `  - name: c${index}\n    image: ${value}\n`).join('');
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${containers}`;
    const result = await run(kubectl, ['label', '--local', '-f', '-', 'x=y', '-o', 'json'], { input: pod });
    assert.equal(result.exitCode, 0, result.stderr);
    const read = (JSON.parse(result.stdout) as { spec: { containers: Array<{ image?: unknown }> } }).spec.containers;
    const jsonType = (image: unknown): string => (image === null || image === undefined ? 'null' : typeof image);
    const expected = (type: PlainScalarType): string => (type === 'str' ? 'string' : type === 'bool' ? 'boolean' : type === 'null' ? 'null' : 'number');
    TABLE.forEach(([value, type], index) => assert.equal(jsonType(read[index]?.image), expected(type), JSON.stringify(value)));
  });
});
