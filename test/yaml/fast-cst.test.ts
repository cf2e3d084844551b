// The contract of fn/yaml/fast-cst.ts: for every text, parseCst gives exactly yaml's CST
// (`[...new Parser().parse(text)]`, deep-equal: offsets, indents and every space, comment and newline
// token in place), whether or not it takes its fast path. Here, for the inner loop: the behavior cases'
// and the bench's chunks as the reader cuts them, the corpus chunks up to 6 kB, mutants, and one row
// per placement rule and per reason to refuse. test/yaml/fast-cst-corpus.test.ts (in `npm test`) runs
// every corpus chunk and more mutants. A yaml upgrade that moves a token fails in both.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseBlockCst, parseCst } from '../../fn/yaml/fast-cst.js';
import { asResourceList, caseInputs, check, checkMutants, corpusFiles, documentChunks, itemChunks, newTally, report, ROOT, yamlCst } from '../helpers/fast-cst-diff.js';

/** What `run` returns, or the class of what it throws (yaml's Parser itself overflows the stack on deep nesting). */
function attempt<T>(run: () => T[]): T[] | string {
  try {
    return run();
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

function cutOrNone(cut: () => string[]): string[] {
  try {
    return cut();
  } catch {
    return [];
  }
}

/** The inner loop's share of the corpus: its chunks up to this size (most of them; the large CRDs are left to the full run). */
const SMALL_CHUNK = 6 * 1024;

describe("parseCst (fn/yaml/fast-cst.ts) gives exactly yaml's CST", function () {
  this.timeout(120_000);
  const files = corpusFiles();

  it('on the corpus chunks up to 6 kB, as items and as documents, and takes the fast path for nearly all', () => {
    const tally = newTally();
    let count = 0;
    for (const { name, text } of files) {
      const chunks = [...itemChunks(asResourceList(text)), ...documentChunks(text)].filter((chunk) => chunk.length <= SMALL_CHUNK);
      chunks.forEach((chunk, index) => check(chunk, tally, `${name} chunk ${index}`));
      count += chunks.length;
    }
    report('small corpus chunks', tally, count);
    assert.ok(tally.fast >= 0.9 * count, `only ${tally.fast} of ${count} chunks on the fast path`);
  });

  it('on every chunk of the behavior cases (testdata/*/input.yaml)', () => {
    const tally = newTally();
    let count = 0;
    for (const text of caseInputs()) {
      // A case's input is a ResourceList or a stream, or neither (a case of bad input): cut it both ways where it can be.
      const items = cutOrNone(() => itemChunks(text));
      const documents = cutOrNone(() => documentChunks(text));
      for (const chunk of [...items, ...documents, text]) check(chunk, tally, `a testdata chunk`);
      count += items.length + documents.length + 1;
    }
    report('testdata', tally, count);
    assert.ok(tally.fast > count / 2, `only ${tally.fast} of ${count} on the fast path`);
  });

  it("on the bench's inputs (scripts/bench/generate-input.mjs), all of them on the fast path", async () => {
    const bench = (await import(join(ROOT, 'scripts/bench/generate-input.mjs'))) as {
      generateResourceList: (count: number) => string;
      generateResourcesFile: (count: number) => string;
    };
    const tally = newTally();
    const items = itemChunks(bench.generateResourceList(60));
    const documents = documentChunks(bench.generateResourcesFile(60));
    for (const chunk of [...items, ...documents]) check(chunk, tally, 'a bench chunk');
    report('bench', tally, items.length + documents.length);
    assert.equal(tally.fast, items.length + documents.length, 'a bench chunk left the fast path');
  });

  it('on 1,000 mutants of corpus chunks, on both sides of the subset', () => checkMutants(20261201, 1000));

  it('on the placements that are easy to get wrong: comments and blank lines at every indentation, empty values, ends of text', () => {
    const tally = newTally();
    const texts = [
      '',
      '\n',
      '# only a comment',
      '# c\n\n  # indented\n',
      '- a: 1\n',
      '- a: 1',
      '- a: 1\n\n\n',
      '  - a: 1\n    b:\n      c: d\n  # after\n\n',
      'a:\n  b: 1\n  # after the last entry\nd:\n- 1\n  # after the last item\n# at the root\n',
      'a:\n# less indented\n  b: 1\n',
      'a:\n    # more indented\n  b: 1\n',
      'a: 1 # c\n  # more indented, after a value\nb: 2\n',
      'a:\n\n  b: 1\n',
      'a:\nb:\n',
      'a:\n  # under an empty value\n\nb: 1\n',
      '- \n- a\n-\n  b: 1\n- - x\n  - y\n',
      '- # c\n  a: 1\n',
      'a:   \n  b:  x  \n',
      '---\na: 1\n',
      '--- # c\na: 1\n',
      '# c\n---\n\na: 1\n',
      'key with spaces: v\nk: a: b\n',
      'a: plain\n  continued\n\n  after a blank\nb: 1\n',
      'a: plain\n  # comment ends it\nb: 1\n',
      'a:\n  "quoted on its own line"\nb:\n  plain on its own line\n  continued\n',
      'a: "over\n  lines"\nb: \'and\n\n  this\'\n',
      'a: |\n  x\n\n  y\n\n\nb: >-\n    folded\n   less\n',
      'a: |+\n  kept\n\n\n',
      '- |\n  in a sequence\n- >2\n    explicit\n',
      'a: |\nb: 1\n',
      'a: |',
      'a: [x, "y", \'z\'] # c\nb: {}\nc: []\nd: {e: f, g: "h"}\n',
      'a: [ x , y ]\n',
    ];
    for (const text of texts) check(text, tally, JSON.stringify(text));
    report('placements', tally, texts.length);
    assert.ok(tally.fast >= texts.length - 3, `only ${tally.fast} of ${texts.length} on the fast path: ${JSON.stringify(Object.fromEntries(tally.refused))}`);
  });

  // Each row is a reason the fast path hands the whole text to yaml: its lexing is not sure there.
  const REFUSED: Array<[string, string, string]> = [
    ['a tab', 'a:\n\tb: 1\n', 'tab'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n', 'CR'],
    ['a byte order mark', '\ufeffa: 1\n', 'BOM'],
    ['a second document', 'a: 1\n---\nb: 2\n', 'document marker'],
    ['a document end', 'a: 1\n...\n', 'document marker'],
    ['a directive', '%YAML 1.1\n---\na: 1\n', 'directive'],
    ['an explicit key', '? a\n: b\n', 'explicit key'],
    ['an anchor', 'a: &x 1\n', 'value starting with "&"'],
    ['an alias', 'a: *x\n', 'value starting with "*"'],
    ['a tag', 'a: !t 1\n', 'value starting with "!"'],
    ['a quoted key', '"a": 1\n', '":" after a value'],
    ['a key on a multi-line scalar', 'a: b\n  c: d\n', '":" after a value'],
    ['a nested flow collection', 'a: [[b]]\n', 'flow collection entry'],
    ['a flow collection over lines', 'a: [b,\n  c]\n', 'flow collection entry starting with "\\n"'],
    ['a flow map key without a space', 'a: {b:c}\n', 'flow map key'],
    ['a comment inside a flow collection', 'a: [b # c\n]\n', '"#" in a flow collection'],
    ['a comment stuck to a value', "a: 'b'#c\n", 'comment without a space'],
    ['an unusual block scalar header', 'a: |0\n  x\n', 'block scalar header'],
    ['an unterminated quote', 'a: "b\n', 'unterminated'],
    ['a quoted scalar indented too little', 'a:\n  b: "c\nd"\n', 'indented too little'],
    ['a reserved indicator', 'a: @b\n', 'value starting with "@"'],
    ['a sequence on the line of its key', 'a: - b\n', 'value starting with "-"'],
    ['a top-level scalar continued', 'a\nb\n', 'indentation 0'],
    ['nesting deeper than the call stack', `${'- '.repeat(30_000)}a\nb: 1\n`, 'nesting too deep'],
  ];
  for (const [what, text, reason] of REFUSED) {
    it(`leaves ${what} to yaml`, () => {
      const fast = parseBlockCst(text);
      assert.ok('refused' in fast, `took the fast path on ${JSON.stringify(text)}`);
      assert.ok(fast.refused.includes(reason), `refused for "${fast.refused}", expected "${reason}"`);
      assert.deepStrictEqual(attempt(() => parseCst(text)), attempt(() => yamlCst(text)));
    });
  }
});
