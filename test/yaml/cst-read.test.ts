import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CST, Parser } from 'yaml';
import { endOffset, readScalar, type Token } from '../../fn/yaml/cst-read.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

function inputFiles(dir: string, into: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) inputFiles(path, into);
    else if (/\.(ya?ml|json)$/.test(name)) into.push(path);
  }
  return into;
}

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

/** The corpus and the behavior cases, and odd shapes they may lack (comments in flow collections, props, empty values, errors). */
function sampleSources(): string[] {
  const sources = [...inputFiles(join(ROOT, 'test/fixtures/corpus')), ...inputFiles(join(ROOT, 'testdata'))]
    .map((path) => readFileSync(path, 'utf8'))
    // The CRD bundles are megabytes of the same shapes; stringifying every token of them takes seconds.
    .filter((text) => text.length < 200_000);
  sources.push('a: [1, # c\n  2]\nb: !t &x |-\n  text\nc:\nd: {x: }\n? e\n: f\n- g\n', '{"a": [1, {"b": null}], }', 'k: "unclosed\n');
  return sources;
}

describe('endOffset', () => {
  it('is where CST.stringify says each token ends, for every token of the corpus and the behavior cases', () => {
    let checked = 0;
    const sources = sampleSources();
    for (const source of sources) {
      for (const top of new Parser().parse(source)) {
        for (const token of everyToken(top)) {
          assert.equal(endOffset(token), token.offset + CST.stringify(token).length);
          checked++;
        }
      }
    }
    assert.ok(checked > 10_000, `${checked} tokens checked`);
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
