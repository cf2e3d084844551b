import assert from 'node:assert/strict';
import { Composer, CST, Parser } from 'yaml';
import { findErrorToken, readScalar } from '../../fn/yaml/cst-read.js';
import { isComposeClean } from '../../fn/yaml/compose-clean.js';
import { mutants, sampleDocuments } from '../helpers/yaml-samples.js';

/** What item-scan checks when it does compose: any composer error, or an error token in the CST. */
function composeProblem(source: string): string | undefined {
  const tokens = [...new Parser().parse(source)];
  for (const document of new Composer({ version: '1.1', uniqueKeys: true }).compose(tokens, true)) {
    if (document.errors[0]) return document.errors[0].message;
  }
  for (const token of tokens) {
    const error = findErrorToken(token);
    if (error) return error.message;
  }
  return undefined;
}

function clean(source: string): boolean {
  return isComposeClean([...new Parser().parse(source)]);
}

describe('isComposeClean (item-scan skips composing only where the composer finds nothing)', () => {
  it('never vouches for a corpus document or a mutant the composer rejects', function () {
    this.timeout(120_000);
    const documents = sampleDocuments();
    let vouched = 0;
    let rejectedByComposer = 0;
    for (const source of [...documents, ...mutants(documents, 1500)]) {
      const problem = composeProblem(source);
      if (problem !== undefined) rejectedByComposer += 1;
      if (!clean(source)) continue;
      vouched += 1;
      assert.equal(problem, undefined, `vouched for, but the composer says ${problem}:\n${source}`);
    }
    if (process.env['COMPOSE_CLEAN_COUNTS']) console.log({ vouched, rejectedByComposer });
    // Both sides must be well populated, or the property proves nothing.
    assert.ok(vouched > 1000, `only ${vouched} vouched for`);
    assert.ok(rejectedByComposer > 300, `only ${rejectedByComposer} rejected`);
  });

  it('vouches for plain block YAML, quoted keys and values, comments and block scalars', () => {
    for (const source of [
      '- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: a # c\n    labels:\n      "app.kubernetes.io/name": a\n  spec:\n    template:\n      spec:\n        containers:\n        - name: a\n          image: "nginx:1.25"\n          args:\n          - \'--x\'\n          command: |\n            echo hi\n',
      'apiVersion: v1\nkind: ConfigMap\n# own line\ndata:\n  e: >-\n    folded\n',
      '---\napiVersion: v1\nkind: Pod\n',
      'a:\n  b: 1\n  # after the last entry\nd:\n- 1\n  # after the last item\n# at the root\n',
      'a:\n  args: ["--port=8080", \'--x\', plain]\n  requests: {cpu: 100m, "memory": 128Mi}\n  empty: []\n  none: {} # c\n',
    ]) {
      assert.equal(composeProblem(source), undefined, source);
      assert.equal(clean(source), true, source);
    }
  });

  // Each row is something the composer reports (or might): the fast path must hand it to the composer.
  // Removing any one check in compose-clean.ts makes its row fail.
  const REJECTED: Array<[string, string]> = [
    ['duplicate plain keys', 'a: 1\nb: 2\na: 3\n'],
    ['duplicate keys, plain and quoted', 'a:\n  name: x\n  "name": y\n'],
    ['duplicate keys, single and double quoted', "m:\n  'k': 1\n  \"k\": 2\n"],
    ['duplicate keys deep in a sequence', '- a:\n  - b: 1\n    c: 2\n    b: 3\n'],
    ['keys equal as YAML 1.1 nulls', '~: 1\nnull: 2\n'],
    ['keys equal as YAML 1.1 bools', 'yes: 1\nTrue: 2\n'],
    ['keys equal as numbers', '1: a\n0x1: b\n'],
    ['duplicate merge keys', 'a: &x {b: 1}\nc:\n  <<: *x\n  <<: *x\n'],
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['an anchor', 'a: &x 1\n'],
    ['a tag', 'a: !!int x\n'],
    ['duplicate keys in a flow map', 'a: {b: 1, b: 2}\n'],
    ['duplicate keys in a flow map, quoted and plain', "a: {b: 1, 'b': 2}\n"],
    ['flow items without a comma', 'a: {b: 1 c: 2}\n'],
    ['flow map key without a value', 'a: {b, c: 1}\n'],
    ['trailing comma', 'a: [b, ]\n'],
    ['leading comma', 'a: [, b]\n'],
    ['flow sequence pair', 'a: [b: c]\n'],
    ['flow over two lines', 'a: [b,\n  c]\n'],
    ['nested flow', 'a: [[b]]\n'],
    ['comment stuck to a flow end', 'a: [b]#c\n'],
    ['a flow sequence', 'a: [1, 2\n'],
    ['misaligned map', 'a:\n  b: 1\n   c: 2\n'],
    ['misaligned map, less indented', 'a:\n    b: 1\n   c: 2\n'],
    ['implicit key over two lines', 'a:\n  "b\n  c": 1\n'],
    ['map on the same line as its key', 'a: b: c\n'],
    ['key without value', 'a:\n  b\n  c: 1\n'],
    ['empty value', 'a:\nb: 1\n'],
    ['tab as indentation', 'a:\n\tb: 1\n'],
    ['comment stuck to a quoted value', 'a: "b"#c\n'],
    ['reserved first character', 'a: @b\n'],
    ['bad escape', 'a: "\\q"\n'],
    ['unclosed quote', 'a: "b\n'],
    ['block scalar not indented', 'a:\n  b: |\n  x\n'],
    ['explicit key', '? a\n: 1\n'],
    ['key over 1024 characters', `${'k'.repeat(1030)}: 1\n`],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['directive', '%YAML 1.1\n---\na: 1\n'],
  ];
  for (const [name, source] of REJECTED) {
    it(`hands to the composer: ${name}`, () => {
      assert.equal(clean(source), false, source);
    });
  }

  it('the rows the composer rejects are really rejected by it', () => {
    const rejected = REJECTED.filter(([, source]) => composeProblem(source) !== undefined).map(([name]) => name);
    for (const name of ['duplicate plain keys', 'duplicate keys, plain and quoted', 'duplicate keys, single and double quoted', 'duplicate keys deep in a sequence', 'duplicate keys in a flow map', 'duplicate keys in a flow map, quoted and plain', 'flow items without a comma', 'leading comma', 'comment stuck to a flow end', 'keys equal as YAML 1.1 nulls', 'keys equal as YAML 1.1 bools', 'keys equal as numbers', 'misaligned map', 'implicit key over two lines', 'map on the same line as its key', 'tab as indentation', 'comment stuck to a quoted value', 'reserved first character', 'bad escape', 'unclosed quote', 'block scalar not indented', 'key over 1024 characters']) {
      assert.ok(rejected.includes(name), name);
    }
  });
});

describe('readScalar (the shortcut for one-line plain scalars)', () => {
  it('gives what the yaml resolver gives, or fails where it fails, for every scalar of the corpus and the mutants', function () {
    this.timeout(120_000);
    const documents = sampleDocuments();
    let shortcut = 0;
    let failed = 0;
    for (const source of [...documents, ...mutants(documents, 1500)]) {
      CST.visit(new Parser().parse(source).next().value as CST.Document, (item) => {
        for (const token of [item.key, item.value]) {
          if (!token || !CST.isScalar(token)) continue;
          let expected: string | undefined;
          try {
            expected = CST.resolveAsScalar(token, true)?.value;
          } catch {
            failed += 1;
            assert.throws(() => readScalar(token), /input is not valid YAML/);
            continue;
          }
          if (token.type === 'scalar' && !token.source.includes('\n')) shortcut += 1;
          assert.equal(readScalar(token), expected);
        }
      });
    }
    assert.ok(shortcut > 10_000 && failed > 10, `${shortcut} one-line plain, ${failed} failing`);
  });

  for (const [name, source] of [
    ['a reserved first character', 'a: @b\n'],
    ['a comment stuck to a quoted scalar', 'a: "b"#c\n'],
    ['a backtick first', 'a: `b\n'],
  ] as const) {
    it(`still fails on ${name}`, () => {
      const tokens = [...new Parser().parse(source)];
      const scalars: CST.Token[] = [];
      CST.visit(tokens[0] as CST.Document, (item) => {
        for (const token of [item.key, item.value]) if (token && CST.isScalar(token)) scalars.push(token);
      });
      assert.ok(scalars.some((token) => { try { readScalar(token); return false; } catch { return true; } }), source);
    });
  }
});
