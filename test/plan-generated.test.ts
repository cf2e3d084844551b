import assert from 'node:assert/strict';
import { GENERATED_BY, GENERATED_FILE, planGenerated, type WantedObject } from '../fn/plan-generated.js';
import type { ItemAnnotations, ScannedItem } from '../fn/resource-list/item-scan.js';
import type { GeneratedStyle } from '../fn/yaml/render-object.js';

const BLOCK: GeneratedStyle = { type: 'block', indent: 0 };

function scanned(fields: Partial<ScannedItem> & { annotations?: ItemAnnotations }): ScannedItem {
  return {
    isObject: true,
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'cm',
    namespace: undefined,
    annotations: {},
    orchestratorAnnotations: [],
    images: [],
    podSpecs: [],
    serviceAccount: undefined,
    listed: [],
    basePath: '',
    ...fields,
  };
}

/** A pull Secret this run wants, written with the annotations planGenerated hands it. */
function wantedSecret(namespace: string | undefined, onConflict: 'error' | 'skip' = 'error'): WantedObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    name: 'my-app-registry',
    namespace,
    onConflict,
    build: (annotations) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'my-app-registry', ...(namespace === undefined ? {} : { namespace }), annotations },
    }),
  };
}

/** The text renderObject writes for that Secret at indent 0, with these annotation lines. */
function secretText(namespace: string | undefined, annotations: string[]): string {
  return (
    `- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: my-app-registry\n` +
    (namespace === undefined ? '' : `    namespace: ${namespace}\n`) +
    `    annotations:\n${annotations.map((line) => `      ${line}\n`).join('')}`
  );
}

const generatedSecret = (namespace: string | undefined, annotations: ItemAnnotations, orchestrator: Array<[string, string]> = []): ScannedItem =>
  scanned({ kind: 'Secret', name: 'my-app-registry', namespace, annotations: { generatedBy: GENERATED_BY, ...annotations }, orchestratorAnnotations: orchestrator });

describe('planGenerated', () => {
  it('names its marker and file', () => {
    assert.equal(GENERATED_BY, 'registry-proxy');
    assert.equal(GENERATED_FILE, 'registry-proxy-pull-secrets.yaml');
  });

  it('appends new objects, without file annotations when the items have none', () => {
    const plan = planGenerated([scanned({})], [wantedSecret('a'), wantedSecret(undefined)], BLOCK);
    assert.deepEqual(plan.replacements, new Map());
    assert.deepEqual(plan.appended, [
      secretText('a', ['registry-proxy.dev/generated-by: registry-proxy']),
      secretText(undefined, ['registry-proxy.dev/generated-by: registry-proxy']),
    ]);
    assert.deepEqual(plan.results, []);
    assert.deepEqual(
      plan.placed.map((object) => object.namespace),
      ['a', undefined],
    );
  });

  it('places new objects in its file, after the indexes already used there (kpt internal annotations)', () => {
    const items = [
      scanned({ annotations: { path: 'deploy.yaml', index: '7' } }),
      scanned({ name: 'user-object-in-our-file', annotations: { path: GENERATED_FILE, index: '3' } }),
      // Not an object, but its index is taken all the same.
      scanned({ isObject: false, kind: '', name: '', annotations: { path: GENERATED_FILE, index: '5' } }),
    ];
    const plan = planGenerated(items, [wantedSecret('a'), wantedSecret('b')], BLOCK);
    assert.deepEqual(plan.appended, [
      secretText('a', [
        'registry-proxy.dev/generated-by: registry-proxy',
        `internal.config.kubernetes.io/path: ${GENERATED_FILE}`,
        'internal.config.kubernetes.io/index: "6"',
      ]),
      secretText('b', [
        'registry-proxy.dev/generated-by: registry-proxy',
        `internal.config.kubernetes.io/path: ${GENERATED_FILE}`,
        'internal.config.kubernetes.io/index: "7"',
      ]),
    ]);
  });

  it('writes the legacy annotations when the items use them, both kinds when they use both', () => {
    const legacy = planGenerated([scanned({ annotations: { legacyPath: 'deploy.yaml', legacyIndex: '0' } })], [wantedSecret('a')], BLOCK);
    assert.deepEqual(legacy.appended, [
      secretText('a', ['registry-proxy.dev/generated-by: registry-proxy', `config.kubernetes.io/path: ${GENERATED_FILE}`, 'config.kubernetes.io/index: "0"']),
    ]);
    const both = planGenerated(
      [scanned({ annotations: { path: GENERATED_FILE, index: '1', legacyPath: GENERATED_FILE, legacyIndex: '1' } })],
      [wantedSecret('a')],
      BLOCK,
    );
    assert.deepEqual(both.appended, [
      secretText('a', [
        'registry-proxy.dev/generated-by: registry-proxy',
        `internal.config.kubernetes.io/path: ${GENERATED_FILE}`,
        'internal.config.kubernetes.io/index: "2"',
        `config.kubernetes.io/path: ${GENERATED_FILE}`,
        'config.kubernetes.io/index: "2"',
      ]),
    ]);
  });

  it('replaces an earlier run\'s object in place, keeping kpt\'s own annotations, and removes stale ones', () => {
    const items = [
      scanned({ kind: 'Deployment', name: 'web', namespace: 'a', annotations: { path: 'deploy.yaml', index: '0' } }),
      generatedSecret('a', { path: GENERATED_FILE, index: '0' }, [
        ['internal.config.kubernetes.io/path', GENERATED_FILE],
        ['internal.config.kubernetes.io/index', '0'],
        ['config.k8s.io/id', '7'],
        ['internal.config.kubernetes.io/seqindent', 'compact'],
      ]),
      generatedSecret('gone', { path: GENERATED_FILE, index: '1' }),
    ];
    const plan = planGenerated(items, [wantedSecret('a'), wantedSecret('b')], BLOCK);
    assert.deepEqual(
      [...plan.replacements.entries()].sort(([a], [b]) => a - b),
      [
        [
          1,
          secretText('a', [
            'registry-proxy.dev/generated-by: registry-proxy',
            `internal.config.kubernetes.io/path: ${GENERATED_FILE}`,
            'internal.config.kubernetes.io/index: "0"',
            'config.k8s.io/id: "7"',
            'internal.config.kubernetes.io/seqindent: compact',
          ]),
        ],
        [2, ''],
      ],
    );
    // The removed object's index stays taken: the new one comes after it.
    assert.deepEqual(plan.appended, [
      secretText('b', ['registry-proxy.dev/generated-by: registry-proxy', `internal.config.kubernetes.io/path: ${GENERATED_FILE}`, 'internal.config.kubernetes.io/index: "2"']),
    ]);
    assert.deepEqual(
      plan.placed.map((object) => object.namespace),
      ['a', 'b'],
    );
  });

  it('keeps one of two generated copies and removes the other', () => {
    const plan = planGenerated([generatedSecret('a', {}), generatedSecret('a', {})], [wantedSecret('a')], BLOCK);
    assert.deepEqual(
      [...plan.replacements.entries()].sort(([a], [b]) => a - b),
      [
        [0, secretText('a', ['registry-proxy.dev/generated-by: registry-proxy'])],
        [1, ''],
      ],
    );
    assert.deepEqual(plan.appended, []);
  });

  it('a user object with the same identity: error (Secret) or skip (default ServiceAccount), never overwritten', () => {
    const items = [
      scanned({ kind: 'Secret', name: 'my-app-registry', namespace: 'a' }),
      scanned({ kind: 'Secret', name: 'my-app-registry', namespace: undefined }),
      scanned({ kind: 'Secret', name: 'my-app-registry', namespace: 'c' }),
      // Same name, other kind or other namespace: no conflict.
      scanned({ kind: 'ConfigMap', name: 'my-app-registry', namespace: 'b' }),
      scanned({ kind: 'Secret', name: 'my-app-registry', namespace: 'other' }),
    ];
    const plan = planGenerated(items, [wantedSecret('a'), wantedSecret(undefined), wantedSecret('b'), wantedSecret('c', 'skip')], BLOCK);
    assert.deepEqual(plan.results, [
      {
        severity: 'error',
        message:
          'a Secret named my-app-registry already exists in namespace a and was not generated by registry-proxy: left unchanged and none generated there; remove it or set pullSecretName',
        resourceRef: { apiVersion: 'v1', kind: 'Secret', name: 'my-app-registry', namespace: 'a' },
      },
      {
        severity: 'error',
        message: 'a Secret named my-app-registry already exists and was not generated by registry-proxy: left unchanged and none generated there; remove it or set pullSecretName',
        resourceRef: { apiVersion: 'v1', kind: 'Secret', name: 'my-app-registry' },
      },
    ]);
    assert.deepEqual(plan.replacements, new Map());
    assert.deepEqual(plan.appended, [secretText('b', ['registry-proxy.dev/generated-by: registry-proxy'])]);
    assert.deepEqual(
      plan.placed.map((object) => object.namespace),
      ['b'],
    );
  });

  it('a user object inside a List counts like any other', () => {
    const inList = { ...scanned({ kind: 'Secret', name: 'my-app-registry', namespace: 'a' }), listed: [] };
    const list = scanned({ kind: 'List', name: '', listed: [inList] });
    const plan = planGenerated([list], [wantedSecret('a'), wantedSecret('b')], BLOCK);
    assert.deepEqual(
      plan.results.map((result) => result.resourceRef),
      [{ apiVersion: 'v1', kind: 'Secret', name: 'my-app-registry', namespace: 'a' }],
    );
    assert.deepEqual(
      plan.placed.map((object) => object.namespace),
      ['b'],
    );
  });

  it('a user object wins over an earlier run\'s copy: the copy is removed', () => {
    const plan = planGenerated([scanned({ kind: 'Secret', name: 'my-app-registry', namespace: 'a' }), generatedSecret('a', {})], [wantedSecret('a')], BLOCK);
    assert.deepEqual([...plan.replacements.entries()], [[1, '']]);
    assert.equal(plan.results.length, 1);
    assert.deepEqual(plan.appended, []);
  });

  it('an identity includes the apiVersion', () => {
    const plan = planGenerated([scanned({ apiVersion: 'v2', kind: 'Secret', name: 'my-app-registry', namespace: 'a' })], [wantedSecret('a')], BLOCK);
    assert.deepEqual(plan.results, []);
    assert.equal(plan.appended.length, 1);
  });

  // Columns: the style of the items collection; the text of the one appended Secret.
  const styles: Array<[GeneratedStyle, string]> = [
    [{ type: 'block', indent: 2 }, '  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: my-app-registry\n      namespace: a\n      annotations:\n        registry-proxy.dev/generated-by: registry-proxy\n'],
    [{ type: 'document' }, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: my-app-registry\n  namespace: a\n  annotations:\n    registry-proxy.dev/generated-by: registry-proxy\n'],
    [{ type: 'flow' }, '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"my-app-registry","namespace":"a","annotations":{"registry-proxy.dev/generated-by":"registry-proxy"}}}'],
  ];
  for (const [style, expected] of styles) {
    it(`writes in the items' style: ${JSON.stringify(style)}`, () => {
      assert.deepEqual(planGenerated([], [wantedSecret('a')], style).appended, [expected]);
    });
  }
});
