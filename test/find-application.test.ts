import assert from 'node:assert/strict';
import { findApplication } from '../fn/find-application.js';
import { readResourceList } from '../fn/resource-list/read-input.js';

const find = (items: string): unknown => findApplication(readResourceList(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}`));

describe('findApplication', () => {
  it('finds the first kots.io/v1beta1 Application among the items, as plain data with its identity', () => {
    const found = find(
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: Application\n' +
        '- apiVersion: kots.io/v1beta2\n  kind: Application\n  metadata:\n    name: other\n' +
        '- apiVersion: kots.io/v1beta1\n  kind: Application\n  metadata:\n    name: my-app\n  spec:\n    proxyPublicImages: true\n' +
        '- apiVersion: kots.io/v1beta1\n  kind: Application\n  metadata:\n    name: second\n',
    );
    assert.deepEqual(found, {
      value: { apiVersion: 'kots.io/v1beta1', kind: 'Application', metadata: { name: 'my-app' }, spec: { proxyPublicImages: true } },
      ref: { apiVersion: 'kots.io/v1beta1', kind: 'Application', name: 'my-app' },
    });
  });

  it('reads a kind spelled with an escape, as the scan does', () => {
    const found = find('- apiVersion: kots.io/v1beta1\n  kind: "\\x41pplication"\n  metadata:\n    name: escaped\n');
    assert.deepEqual(found, { value: { apiVersion: 'kots.io/v1beta1', kind: 'Application', metadata: { name: 'escaped' } }, ref: { apiVersion: 'kots.io/v1beta1', kind: 'Application', name: 'escaped' } });
  });

  it('finds nothing without one', () => {
    assert.equal(find('- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n'), undefined);
  });
});
