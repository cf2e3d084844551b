import assert from 'node:assert/strict';
import { InputError } from '../../fn/errors.js';
import { scanItem } from '../../fn/resource-list/item-scan.js';
import { readResourceList, readStream } from '../../fn/resource-list/read-input.js';
import { toCrlf, writeOutput } from '../../fn/resource-list/write-output.js';
import { joinPieces } from '../helpers/joined-output.js';

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
/** The output as one string (writeOutput gives its pieces). */
const written = (...args: Parameters<typeof writeOutput>): string => joinPieces(writeOutput(...args));
const POD = (name: string, image: string): string => `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: ${name}\n  spec:\n    containers:\n    - name: c\n      image: ${image}\n`;

describe('writeOutput: every edit in whole-input offsets, applied in one pass', () => {
  it('takes the offsets item-scan.ts gives, with no conversion', () => {
    const text = `${HEAD}items:\n${POD('a', 'one')}${POD('b', 'two')}`;
    const source = readResourceList(text);
    const second = source.items[1]!;
    const item = scanItem(text.slice(second.start, second.end), { pullSecretName: 's', imageFields: [], offset: second.start });
    const site = item.images[0]!;
    assert.equal(text.slice(site.start, site.end), 'two');
    const output = written(source, { splices: [{ start: site.start, end: site.end, text: 'r/two' }, item.podSpecs[0]!.addPullSecret!], replaced: new Map(), appended: [] });
    assert.equal(output, `${HEAD}items:\n${POD('a', 'one')}${POD('b', 'r/two')}    imagePullSecrets:\n    - name: s\nresults: []\n`);
  });

  it('writes an edit at the end of the last item before the new items and the results at that offset', () => {
    const text = `${HEAD}items:\n${POD('a', 'one')}`;
    const source = readResourceList(text);
    const end = source.items[0]!.end;
    assert.equal(end, text.length);
    const output = written(
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
    const output = written(source, {
      splices: [
        { start: three, end: three + 5, text: 'r/three' },
        { start: one, end: one + 3, text: 'r/one' },
      ],
      replaced: new Map([[1, '- kind: B\n']]),
      appended: [],
    });
    assert.equal(output, `${HEAD}items:\n# about b\n${POD('a', 'r/one')}- kind: B\n${POD('c', 'r/three')}results: []\n`);
    const removed = written(source, { splices: [], replaced: new Map([[1, '']]), appended: [] });
    assert.equal(removed, `${HEAD}items:\n# about b\n${POD('a', 'one')}${POD('c', 'three')}results: []\n`);
  });

  it('writes a stream back with its edits and no results', () => {
    const text = 'a: one\n---\nb: two\n';
    const source = readStream(text);
    const two = text.indexOf('two');
    assert.equal(written(source, { splices: [{ start: two, end: two + 3, text: 'r/two' }], replaced: new Map(), appended: ['c: 3\n'] }), 'a: one\n---\nb: r/two\n---\nc: 3\n');
    assert.equal(written(source, undefined), text);
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

  it('hands the output over as pieces: the input\'s own ranges, the edits, one piece per result; the same pieces each time', () => {
    const text = `${HEAD}items:\n${POD('a', 'one')}${POD('b', 'two')}`;
    const source = readResourceList(text);
    const two = text.indexOf('two');
    const results = [{ severity: 'info' as const, message: 'm1' }, { severity: 'warning' as const, message: 'm2' }];
    const output = writeOutput(source, { splices: [{ start: two, end: two + 3, text: 'r/two' }], replaced: new Map(), appended: [] }, results);
    const pieces = [...output.pieces()];
    assert.deepEqual(pieces, [text.slice(0, two), 'r/two', text.slice(two + 3), 'results:\n', '- message: "m1"\n  severity: info\n', '- message: "m2"\n  severity: warning\n']);
    assert.deepEqual([...output.pieces()], pieces);
  });

  it('a JSON ResourceList\'s results are what JSON.stringify gives, in pieces', () => {
    const text = '{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": []}';
    const results = [{ severity: 'info' as const, message: 'a "quoted" m', tags: { k: 'v' } }, { severity: 'error' as const, message: 'e', field: { path: 'spec' } }];
    assert.equal(written(readResourceList(text), undefined, results), `${text.slice(0, -1)}, "results": ${JSON.stringify(results)}}`);
  });

  it('decides the frame check before any piece is made: an output that would not parse throws at writeOutput', () => {
    const text = `${HEAD}items:\n${POD('a', 'one')}`;
    const source = readResourceList(text);
    assert.throws(() => writeOutput(source, { splices: [], replaced: new Map(), appended: ['x: [\n'] }), InputError);
  });
});

describe('toCrlf: LF to CRLF over pieces, judged as one text', () => {
  // Columns: name; the pieces; the text they make.
  const table: Array<[string, string[], string]> = [
    ['LF inside a piece', ['a\nb\n'], 'a\r\nb\r\n'],
    ['CRLF kept', ['a\r\nb'], 'a\r\nb'],
    ['a CR ending one piece and the LF starting the next', ['a\r', '\nb\n'], 'a\r\nb\r\n'],
    ['an empty piece between the CR and the LF', ['a\r', '', '\n'], 'a\r\n'],
    ['an LF after an LF across pieces', ['a\n', '\n'], 'a\r\n\r\n'],
    ['a CR then two LFs in the next piece', ['a\r', '\n\n'], 'a\r\n\r\n'],
  ];
  for (const [name, pieces, expected] of table) {
    it(name, () => {
      assert.equal([...toCrlf(pieces)].join(''), expected);
      assert.equal([...toCrlf(pieces)].join(''), pieces.join('').replace(/(?<!\r)\n/g, '\r\n'));
    });
  }
});
