import assert from 'node:assert/strict';
import { InputError } from '../../fn/errors.js';
import { parse } from 'yaml';
import { checkOutputFrame, itemSplices } from '../../fn/resource-list/write-output.js';
import { applySplices } from '../../fn/yaml/splice.js';
import { findFrameProblem } from '../../fn/resource-list/output-frame.js';
import { splitResourceList } from '../../fn/resource-list/skeleton.js';
import { splitStream } from '../../fn/resource-list/stream.js';

describe('findFrameProblem', () => {
  // Columns: name; frame text; kind; expected item count; the problem (undefined: the frame is sound).
  const table: Array<[string, string, 'resource-list' | 'stream', number, RegExp | undefined]> = [
    ['a block list with one new item', 'kind: ResourceList\nitems:\n- {a: 1}\nresults: []\n', 'resource-list', 1, undefined],
    ['a flow list with stand-ins and a new item', 'kind: ResourceList\nitems: [{}, {}, {"a": 1},]\n', 'resource-list', 3, undefined],
    ['no items at all', 'kind: ResourceList\nitems:\nresults: []\n', 'resource-list', 0, undefined],
    ['`,,` in a flow list', 'kind: ResourceList\nitems: [{},, {"a": 1}]\n', 'resource-list', 2, /Unexpected , in flow sequence/],
    ['an entry in column 0 of a flow list', 'kind: ResourceList\nitems: [\n{}\n, {"a": 1}]\n', 'resource-list', 2, /sufficiently indented/],
    ['a new item that became a key of the top level', 'kind: ResourceList\nitems:\nresults: []\n', 'resource-list', 1, /holds 0 entries instead of 1/],
    ['an item that is not an object', 'kind: ResourceList\nitems: [{}, 1]\n', 'resource-list', 2, /not an object/],
    ['items that are a map', 'kind: ResourceList\nitems: {a: 1}\n', 'resource-list', 0, /not a list/],
    ['two documents', 'kind: ResourceList\nitems: []\n---\na: 1\n', 'resource-list', 0, /2 documents instead of one/],
    ['a stream of two new documents', 'a: 1\n---\nb: 2\n', 'stream', 2, undefined],
    ['a stream with one document too few', 'a: 1\nb: 2\n', 'stream', 2, /1 documents instead of 2/],
  ];
  for (const [name, frame, kind, count, problem] of table) {
    it(name, () => {
      const found = findFrameProblem(frame, kind, count);
      if (problem === undefined) assert.equal(found, undefined);
      else assert.match(found ?? '(none)', problem);
    });
  }
});

describe('checkOutputFrame', () => {
  const text = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [\n  {kind: A, metadata: {name: a}}\n]\nfunctionConfig: {}\n';
  const secret = '{"kind":"Secret","metadata":{"name":"s"}}';

  it('passes what the function writes', () => {
    assert.doesNotThrow(() => checkOutputFrame(splitResourceList(text), [secret], new Map()));
    assert.doesNotThrow(() => checkOutputFrame(splitStream('a: 1\n---\nb: 2\n'), ['kind: Secret\n'], new Map()));
  });

  it('refuses, as an input error (exit 1, one line), an output that would not parse', () => {
    // Where new items went before: in front of a `]` in column 0, so the new entry starts the line.
    const skeleton = { ...splitResourceList(text), insertItemsAt: text.indexOf('\n]') + 1 };
    assert.throws(
      () => checkOutputFrame(skeleton, [secret], new Map()),
      (error: unknown) => error instanceof InputError && /^nothing written: the output would not be valid YAML \(.*sufficiently indented/.test(error.message),
    );
  });

  // Stale generated items removed from a flow list, in every combination, with and without new ones:
  // no `,,`, no leading comma, no overlapping edits, and the frame check agrees with a full parse.
  for (const list of ['[{kind: A}, {kind: B}, {kind: C}]', '[{kind: A}, {kind: B}, {kind: C},]', '[\n  {kind: A},\n  {kind: B},\n  {kind: C}\n]']) {
    it(`removes any subset of ${JSON.stringify(list)} cleanly`, () => {
      const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: ${list}\n`;
      const skeleton = splitResourceList(input);
      for (let mask = 0; mask < 8; mask++) {
        for (const appended of [[], [secret]]) {
          const removed = new Map([0, 1, 2].filter((index) => mask & (1 << index)).map((index) => [index, ''] as [number, string]));
          const output = applySplices(input, itemSplices(skeleton, appended, removed));
          const value = parse(output) as { items: Array<{ kind: string }> };
          const kinds = ['A', 'B', 'C'].filter((_, index) => !removed.has(index)).concat(appended.length ? ['Secret'] : []);
          assert.deepEqual(value.items.map((item) => item.kind), kinds, output);
          assert.doesNotThrow(() => checkOutputFrame(skeleton, appended, removed));
        }
      }
    });
  }
});
