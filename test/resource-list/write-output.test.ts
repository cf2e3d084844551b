import assert from 'node:assert/strict';
import { InputError } from '../../fn/errors.js';
import { scanItem } from '../../fn/resource-list/item-scan.js';
import { readResourceList, readStream } from '../../fn/resource-list/read-input.js';
import { writeOutput } from '../../fn/resource-list/write-output.js';

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const POD = (name: string, image: string): string => `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: ${name}\n  spec:\n    containers:\n    - name: c\n      image: ${image}\n`;

describe('writeOutput: every edit in whole-input offsets, applied in one pass', () => {
  it('takes the offsets item-scan.ts gives, with no conversion', () => {
    const text = `${HEAD}items:\n${POD('a', 'one')}${POD('b', 'two')}`;
    const source = readResourceList(text);
    const second = source.items[1]!;
    const item = scanItem(text.slice(second.start, second.end), { pullSecretName: 's', imageFields: [], offset: second.start });
    const site = item.images[0]!;
    assert.equal(text.slice(site.start, site.end), 'two');
    const output = writeOutput(source, { splices: [{ start: site.start, end: site.end, text: 'r/two' }, item.podSpecs[0]!.addPullSecret!], replaced: new Map(), appended: [] });
    assert.equal(output, `${HEAD}items:\n${POD('a', 'one')}${POD('b', 'r/two')}    imagePullSecrets:\n    - name: s\nresults: []\n`);
  });

  it('writes an edit at the end of the last item before the new items and the results at that offset', () => {
    const text = `${HEAD}items:\n${POD('a', 'one')}`;
    const source = readResourceList(text);
    const end = source.items[0]!.end;
    assert.equal(end, text.length);
    const output = writeOutput(
      source,
      { splices: [{ start: end, end, text: '    x: 1\n' }], replaced: new Map(), appended: ['- kind: Secret\n'] },
      [{ severity: 'info', message: 'm' }],
    );
    assert.equal(output, `${text}    x: 1\n- kind: Secret\nresults:\n- message: "m"\n  severity: info\n`);
  });

  it('replaces and removes whole items next to edits in the items around them', () => {
    const text = `${HEAD}items:\n# about b\n${POD('a', 'one')}${POD('b', 'two')}${POD('c', 'three')}`;
    const source = readResourceList(text);
    const one = text.indexOf('one');
    const three = text.indexOf('three');
    const output = writeOutput(source, {
      splices: [
        { start: three, end: three + 5, text: 'r/three' },
        { start: one, end: one + 3, text: 'r/one' },
      ],
      replaced: new Map([[1, '- kind: B\n']]),
      appended: [],
    });
    assert.equal(output, `${HEAD}items:\n# about b\n${POD('a', 'r/one')}- kind: B\n${POD('c', 'r/three')}results: []\n`);
    const removed = writeOutput(source, { splices: [], replaced: new Map([[1, '']]), appended: [] });
    assert.equal(removed, `${HEAD}items:\n# about b\n${POD('a', 'one')}${POD('c', 'three')}results: []\n`);
  });

  it('writes a stream back with its edits and no results', () => {
    const text = 'a: one\n---\nb: two\n';
    const source = readStream(text);
    const two = text.indexOf('two');
    assert.equal(writeOutput(source, { splices: [{ start: two, end: two + 3, text: 'r/two' }], replaced: new Map(), appended: ['c: 3\n'] }), 'a: one\n---\nb: r/two\n---\nc: 3\n');
    assert.equal(writeOutput(source, undefined), text);
  });

  it('refuses overlapping edits as an internal error (a bug), not an input error', () => {
    const text = `${HEAD}items:\n${POD('a', 'one')}${POD('b', 'two')}`;
    const source = readResourceList(text);
    const two = text.indexOf('two');
    // An edit inside an item that is also regenerated: the planner must not send both.
    const overlapping = { splices: [{ start: two, end: two + 3, text: 'r/two' }], replaced: new Map([[1, '- kind: B\n']]), appended: [] };
    assert.throws(
      () => writeOutput(source, overlapping),
      (error: unknown) => error instanceof Error && !(error instanceof InputError) && error.message === `overlapping edits at offset ${two}`,
    );
  });
});
