import assert from 'node:assert/strict';
import { CST, Parser } from 'yaml';
import { endOffset, findErrorToken, readScalar, type Token } from '../../fn/yaml/cst-read.js';
import { mutants, sampleDocuments } from '../helpers/yaml-samples.js';

/** Every token under `root`, collections' items' keys and values included. */
function everyToken(root: Token, into: Token[] = []): Token[] {
  into.push(root);
  const items = 'items' in root ? root.items : root.type === 'document' ? [{ start: [], value: root.value }] : [];
  for (const item of items as Array<{ key?: Token | null; value?: Token | null }>) {
    if (item.key) everyToken(item.key, into);
    if (item.value) everyToken(item.value, into);
  }
  if (root.type === 'block-scalar') into.push(...root.props);
  return into;
}

/** The corpus's and the cases' documents, mutants of them, and odd shapes they may lack (comments in flow collections, props, empty values, errors). */
let samples: string[] | undefined;

function sampleSources(): string[] {
  if (samples) return samples;
  // The CRDs' documents are hundreds of KB of the same shapes; stringifying every token of them takes seconds.
  const documents = sampleDocuments().filter((text) => text.length < 20_000);
  samples = [
    ...documents,
    ...mutants(documents, 600),
    'a: [1, # c\n  2]\nb: !t &x |-\n  text\nc:\nd: {x: }\n? e\n: f\n- g\n',
    '{"a": [1, {"b": null}], }',
    'k: "unclosed\n',
    'k: !t\n  |\n  x\n',
  ];
  return samples;
}

describe('endOffset', () => {
  it('is where CST.stringify says each token ends, for every token of the corpus, the behavior cases and mutants of them', function () {
    this.timeout(120_000);
    let checked = 0;
    let refused = 0;
    for (const source of sampleSources()) {
      const tokens = [...new Parser().parse(source)];
      // The callers never see a parse with an error (item-scan and the skeleton refuse it first).
      if (tokens.some((token) => findErrorToken(token))) {
        refused++;
        continue;
      }
      for (const top of tokens) {
        for (const token of everyToken(top)) {
          assert.equal(endOffset(token), token.offset + CST.stringify(token).length, `${token.type} at ${token.offset} of ${JSON.stringify(source)}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 10_000 && refused > 20, `${checked} tokens checked, ${refused} parses with errors`);
  });
});

describe('readScalar', () => {
  /** What the yaml package's resolver says: the value, or the error it throws. */
  function resolved(token: Token): { value?: string; error?: boolean } {
    try {
      return { value: CST.resolveAsScalar(token)?.value };
    } catch {
      return { error: true };
    }
  }

  function read(token: Token): { value?: string; error?: boolean } {
    try {
      return { value: readScalar(token) };
    } catch {
      return { error: true };
    }
  }

  it('reads every scalar as the resolver does, and fails where it throws', () => {
    const sources = sampleSources();
    const odd = [`'a''b'`, `''`, `'`, `'a`, `"a\\"b"`, `"a\\nb"`, `""`, `"`, `"a`, `'a' #c`, `'a'#c`, `"a" # c`, `a #c`, `a#b`, `@a`, '`a', `%a`, `|`, `a  `, `'a\tb'`, `"a\tb"`, `'a\r'`, `"x\\u0041"`, `'a\n  b'`, `"a\n  b"`, `a\n  b`];
    for (const value of odd) sources.push(`k: ${value}\n`, `- ${value}\n`, `[${value}]\n`);
    let checked = 0;
    for (const source of sources) {
      for (const top of new Parser().parse(source)) {
        for (const token of everyToken(top)) {
          if (!CST.isScalar(token)) continue;
          assert.deepEqual(read(token), resolved(token), JSON.stringify(CST.stringify(token)));
          checked++;
        }
      }
    }
    assert.ok(checked > 10_000, `${checked} scalars checked`);
  });
});
