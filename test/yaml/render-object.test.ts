import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { renderObject, type GeneratedStyle, type PlainValue } from '../../fn/yaml/render-object.js';

const secret: { [key: string]: PlainValue } = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: 'my-app-registry',
    namespace: 'yes',
    labels: {},
    annotations: { 'kots.io/creation-phase': '-9999', 'internal.config.kubernetes.io/index': '0' },
  },
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': 'eyJhdXRocyI6e319' },
};

const policy: { [key: string]: PlainValue } = {
  spec: {
    rules: [{ name: 'clone', match: { any: [{ resources: { kinds: ['Namespace'] } }] } }, 'plain', 7, true, ['n', 2]],
    empty: [],
    count: 3,
    enabled: false,
    text: 'a\nb',
    padded: ' x ',
  },
};

describe('renderObject', () => {
  // Columns: name; the object; the style of the collection it joins; the exact text.
  const table: Array<[string, { [key: string]: PlainValue }, GeneratedStyle, string]> = [
    [
      'block item at indent 0 (compact lists, as kpt writes them)',
      secret,
      { type: 'block', indent: 0 },
      '- apiVersion: v1\n' +
        '  kind: Secret\n' +
        '  metadata:\n' +
        '    name: my-app-registry\n' +
        '    namespace: "yes"\n' +
        '    labels: {}\n' +
        '    annotations:\n' +
        '      kots.io/creation-phase: "-9999"\n' +
        '      internal.config.kubernetes.io/index: "0"\n' +
        '  type: kubernetes.io/dockerconfigjson\n' +
        '  data:\n' +
        '    .dockerconfigjson: eyJhdXRocyI6e319\n',
    ],
    [
      'block item at indent 2',
      secret,
      { type: 'block', indent: 2 },
      '  - apiVersion: v1\n' +
        '    kind: Secret\n' +
        '    metadata:\n' +
        '      name: my-app-registry\n' +
        '      namespace: "yes"\n' +
        '      labels: {}\n' +
        '      annotations:\n' +
        '        kots.io/creation-phase: "-9999"\n' +
        '        internal.config.kubernetes.io/index: "0"\n' +
        '    type: kubernetes.io/dockerconfigjson\n' +
        '    data:\n' +
        '      .dockerconfigjson: eyJhdXRocyI6e319\n',
    ],
    [
      'stream document',
      secret,
      { type: 'document' },
      'apiVersion: v1\n' +
        'kind: Secret\n' +
        'metadata:\n' +
        '  name: my-app-registry\n' +
        '  namespace: "yes"\n' +
        '  labels: {}\n' +
        '  annotations:\n' +
        '    kots.io/creation-phase: "-9999"\n' +
        '    internal.config.kubernetes.io/index: "0"\n' +
        'type: kubernetes.io/dockerconfigjson\n' +
        'data:\n' +
        '  .dockerconfigjson: eyJhdXRocyI6e319\n',
    ],
    [
      'flow (JSON)',
      secret,
      { type: 'flow' },
      '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"my-app-registry","namespace":"yes","labels":{},"annotations":' +
        '{"kots.io/creation-phase":"-9999","internal.config.kubernetes.io/index":"0"}},"type":"kubernetes.io/dockerconfigjson",' +
        '"data":{".dockerconfigjson":"eyJhdXRocyI6e319"}}',
    ],
    [
      'lists of maps, scalars and lists; numbers, booleans and strings that need quotes',
      policy,
      { type: 'block', indent: 2 },
      '  - spec:\n' +
        '      rules:\n' +
        '      - name: clone\n' +
        '        match:\n' +
        '          any:\n' +
        '          - resources:\n' +
        '              kinds:\n' +
        '              - Namespace\n' +
        '      - plain\n' +
        '      - 7\n' +
        '      - true\n' +
        '      - ["n",2]\n' +
        '      empty: []\n' +
        '      count: 3\n' +
        '      enabled: false\n' +
        '      text: "a\\nb"\n' +
        '      padded: " x "\n',
    ],
  ];
  for (const [name, object, style, expected] of table) {
    it(name, () => assert.equal(renderObject(object, style), expected));
  }

  it('what it writes reads back as the same object under YAML 1.1 and 1.2', () => {
    for (const object of [secret, policy]) {
      for (const style of [{ type: 'document' }, { type: 'flow' }] as const) {
        const text = renderObject(object, style);
        assert.deepEqual(parse(text, { version: '1.1' }), object, `${style.type}, YAML 1.1`);
        assert.deepEqual(parse(text), object, `${style.type}, YAML 1.2`);
      }
      for (const indent of [0, 2, 4]) {
        const text = `items:\n${renderObject(object, { type: 'block', indent })}`;
        assert.deepEqual(parse(text, { version: '1.1' }), { items: [object] }, `block at ${indent}, YAML 1.1`);
        assert.deepEqual(parse(text), { items: [object] }, `block at ${indent}, YAML 1.2`);
      }
    }
  });
});
