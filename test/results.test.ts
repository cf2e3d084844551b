import assert from 'node:assert/strict';
import { formatResults, type Result } from '../fn/results.js';

describe('formatResults', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop' };
  const file = { path: 'shop/web.yaml', index: 0 };
  const shared: Result[] = [
    { severity: 'info', message: 'image a -> b: rule', resourceRef: ref, field: { path: 'spec.template.spec.containers[0].image', currentValue: 'a', proposedValue: 'b' }, file, tags: { verdict: 'rule' } },
    { severity: 'warning', message: 'image c: "quoted"', resourceRef: ref, field: { path: 'spec.template.spec.containers[1].image', currentValue: 'c' }, file },
    { severity: 'info', message: 'other object', resourceRef: { apiVersion: 'v1', kind: 'Pod', name: 'p' }, file: { path: 'p.yaml' }, tags: {} },
    { severity: 'info', message: 'summary' },
  ];

  it('writes every field of every result, each string double-quoted', () => {
    assert.equal(
      formatResults(shared.slice(0, 2), 2),
      [
        '  results:',
        '  - message: "image a -> b: rule"',
        '    severity: info',
        '    resourceRef:',
        '      apiVersion: "apps/v1"',
        '      kind: "Deployment"',
        '      name: "web"',
        '      namespace: "shop"',
        '    field:',
        '      path: "spec.template.spec.containers[0].image"',
        '      currentValue: "a"',
        '      proposedValue: "b"',
        '    file:',
        '      path: "shop/web.yaml"',
        '      index: 0',
        '    tags:',
        '      "verdict": "rule"',
        '  - message: "image c: \\"quoted\\""',
        '    severity: warning',
        '    resourceRef:',
        '      apiVersion: "apps/v1"',
        '      kind: "Deployment"',
        '      name: "web"',
        '      namespace: "shop"',
        '    field:',
        '      path: "spec.template.spec.containers[1].image"',
        '      currentValue: "c"',
        '    file:',
        '      path: "shop/web.yaml"',
        '      index: 0',
        '',
      ].join('\n'),
    );
  });

  it('writes results that share a resourceRef or file as it writes copies of them', () => {
    assert.equal(formatResults(shared), formatResults(structuredClone(shared)));
    assert.equal(formatResults([]), 'results: []\n');
  });
});
