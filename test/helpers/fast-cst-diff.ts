// The differential check behind test/yaml/fast-cst*.test.ts: fn/yaml/fast-cst.ts against yaml's own
// Parser on the chunks item-scan really parses (cut by the reader) and on line-level mutants of them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'yaml';
import { readResourceList, readStream } from '../../fn/resource-list/read-input.js';
import { parseBlockCst, parseCst } from '../../fn/yaml/fast-cst.js';

/** Compiled to build/test/helpers/: three levels below the repository root. */
export const ROOT = new URL('../../../', import.meta.url).pathname;
export const CORPUS = join(ROOT, 'test/fixtures/corpus');

export function yamlCst(text: string): unknown[] {
  return [...new Parser().parse(text)];
}

export interface Tally {
  fast: number;
  refused: Map<string, number>;
}

export function newTally(): Tally {
  return { fast: 0, refused: new Map() };
}

/** Asserts the contract on one text; counts whether the fast path took it. */
export function check(text: string, tally: Tally, label: string): void {
  const expected = yamlCst(text);
  const fast = parseBlockCst(text);
  if ('tokens' in fast) {
    tally.fast += 1;
    assert.deepStrictEqual(fast.tokens, expected, `fast path differs from yaml's Parser on ${label}:\n${text}`);
  } else {
    const reason = fast.refused.replace(/ \(.*\)$/, '');
    tally.refused.set(reason, (tally.refused.get(reason) ?? 0) + 1);
  }
  assert.deepStrictEqual(parseCst(text), expected, `parseCst differs from yaml's Parser on ${label}`);
}

export function report(name: string, tally: Tally, total: number): void {
  if (!process.env['FAST_CST_COUNTS']) return;
  console.log(`${name}: ${tally.fast}/${total} on the fast path`, Object.fromEntries(tally.refused));
}

/** A corpus file as the e2e corpus test hands it over: each document an item of a block ResourceList. */
export function asResourceList(text: string): string {
  const documents: string[][] = [[]];
  for (const line of text.split('\n')) {
    if (/^(?:---|\.\.\.)(?:\s|$)/.test(line.replace(/\r$/, ''))) documents.push([]);
    else documents.at(-1)!.push(line);
  }
  const items = documents
    .filter((lines) => lines.some((line) => line.trim() !== '' && !line.trimStart().startsWith('#')))
    .map((lines) => lines.map((line, index) => (index === 0 ? `- ${line}` : line === '' ? '' : `  ${line}`)).join('\n'));
  return ['apiVersion: config.kubernetes.io/v1', 'kind: ResourceList', 'items:', ...items, ''].join('\n');
}

function slices(source: { text: string; items: ReadonlyArray<{ start: number; end: number }> }): string[] {
  return source.items.map((span) => source.text.slice(span.start, span.end));
}

/** The chunks item-scan parses for a ResourceList: its items, as the reader cuts them. */
export function itemChunks(resourceList: string): string[] {
  return slices(readResourceList(resourceList));
}

/** The chunks item-scan parses for a post-render stream: its documents. */
export function documentChunks(stream: string): string[] {
  return slices(readStream(stream));
}

/** The corpus's YAML files (its JSON ones are flow style, all of them left to yaml). */
export function corpusFiles(): Array<{ name: string; text: string }> {
  return readdirSync(CORPUS)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(CORPUS, name), 'utf8') }));
}

export function caseInputs(): string[] {
  const root = join(ROOT, 'testdata');
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      try {
        return [readFileSync(join(root, name, 'input.yaml'), 'utf8')];
      } catch {
        return [];
      }
    });
}

// ---------------------------------------------------------------------------------------------------
// Mutants: line-level edits that reach each rule of the fast path's subset from both sides.

/** Values that sit just inside or just outside the subset. */
const VALUES = [
  'plain', "'single'", '"double"', "'it''s'", '"a\\"b"', '"a: b"', "'a: b'", 'a#b', 'a #b', 'a:b', 'http://x:80/y', '-1', '-', '--flag=x',
  '~', 'null', '', ' ', '[]', '{}', '[a, b]', '["a", \'b\']', '[ a ,b ]', '[a,]', '{a: b}', '{a: b, c: "d"}', '{"a": b}', '{a:b}', '[a: b]',
  '[[a]]', '{a: [b]}', '[a] # c', '[a]#c', '|', '|-', '>+', '|2', '| # c', '|x', '&a x', '*a', '!t x', '? x', '%x', '@x', '`x`', 'a: b',
  '- a', '"multi\n  line"', "'multi\n line'", '"bad\nindent"', 'plain\n  continued', 'x # c\n  y', '"a"b', "'a' # c", 'a\t', '"\\\n  x"',
];
const KEYS = ['k', 'key with spaces', 'k-1', '"q"', "'q'", 'a:b', 'k#x', '-k', '?k', 'k ', '<<', '1', 'k\t'];

type Random = (limit: number) => number;

function seeded(seed: number): Random {
  let state = seed;
  return (limit) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % limit;
  };
}

function pick<T>(random: Random, list: readonly T[]): T {
  return list[random(list.length)]!;
}

const MUTATIONS: Array<(lines: string[], at: number, random: Random) => void> = [
  // a comment or a blank line at any indentation, before any line
  (lines, at, random) => lines.splice(at, 0, `${' '.repeat(random(12))}# comment ${random(9)}`),
  (lines, at, random) => lines.splice(at, 0, ' '.repeat(random(3) === 0 ? random(12) : 0)),
  // a value replaced (quoting, flow, block scalar, indicators…)
  (lines, at, random) => {
    lines[at] = lines[at]!.replace(/^(\s*(?:- )*[^\s:#][^:#]*:)(?: .*)?$/, (_, key: string) => `${key} ${pick(random, VALUES)}`.trimEnd());
  },
  // a key replaced
  (lines, at, random) => {
    lines[at] = lines[at]!.replace(/^(\s*(?:- )*)[^\s:#'"][^:#]*(?=:)/, (_, indent: string) => indent + pick(random, KEYS));
  },
  // trailing spaces, a trailing comment, a comment without a space
  (lines, at, random) => {
    lines[at] += ' '.repeat(1 + random(3));
  },
  (lines, at, random) => {
    lines[at] += pick(random, [' # trailing', '  #', '#stuck', ' #: x']);
  },
  // re-indent a line, or make it a sequence entry
  (lines, at, random) => {
    lines[at] = random(2) === 0 ? ' '.repeat(1 + random(3)) + lines[at]! : lines[at]!.replace(/^ {1,2}/, '');
  },
  (lines, at, random) => {
    lines[at] = lines[at]!.replace(/^(\s*)/, (indent: string) => indent + pick(random, ['- ', '- - ', '-   ', '-\n' + indent + '  ']));
  },
  // a line continued on the next (multi-line scalars), or duplicated
  (lines, at, random) => lines.splice(at + 1, 0, `${' '.repeat(random(12))}${pick(random, ['continued', 'x: y', '- z', '"q"', '# c', ''])}`),
  (lines, at) => lines.splice(at, 0, lines[at]!),
  // a document marker, a directive, tabs, CR
  (lines, at, random) => lines.splice(at, 0, pick(random, ['---', '...', '--- # c', '--- x', '%YAML 1.1', '\t# tab'])),
  (lines, at, random) => {
    lines[at] = random(2) === 0 ? lines[at]!.replace(/^ /, '\t') : `${lines[at]!}\r`;
  },
];

function mutate(source: string, random: Random): string {
  const lines = source.split('\n');
  for (let edits = 1 + random(3); edits > 0; edits -= 1) {
    const at = random(lines.length);
    pick(random, MUTATIONS)(lines, at, random);
  }
  const text = lines.join('\n');
  // with and without the final newline
  return random(4) === 0 ? text.replace(/\n+$/, '') : text;
}

/** Windows of up to 40 lines of real chunks: small enough to parse thousands, real enough to matter. */
function windows(chunks: readonly string[], random: Random, count: number): string[] {
  const result: string[] = [];
  while (result.length < count) {
    const lines = pick(random, chunks).split('\n');
    const from = random(3) === 0 ? 0 : random(lines.length);
    // Cut out of the middle of an item, a window is dedented by its first line's indentation, so that
    // most windows are still one block node (yaml's Parser then reports nothing, and the fast path takes them).
    const indent = /^ */.exec(lines[from] ?? '')![0].length;
    const window = lines.slice(from, from + 1 + random(40)).map((line) => line.slice(Math.min(indent, /^ */.exec(line)![0].length)));
    result.push(window.join('\n') + (random(5) === 0 ? '' : '\n'));
  }
  return result;
}

/**
 * Checks `count` mutants of windows of the corpus's item chunks (deterministic for a seed). Both sides of
 * the subset must be well populated, at least a fifth of the mutants each, or the comparison proves little.
 */
export function checkMutants(seed: number, count: number): void {
  const random = seeded(seed);
  const chunks = corpusFiles().flatMap(({ text }) => itemChunks(asResourceList(text)));
  const tally = newTally();
  const mutants = windows(chunks, random, count).map((window) => mutate(window, random));
  mutants.forEach((text, index) => check(text, tally, `mutant ${index}`));
  report('mutants', tally, count);
  assert.ok(tally.fast > count / 5, `only ${tally.fast} mutants on the fast path`);
  assert.ok(count - tally.fast > count / 5, `only ${count - tally.fast} mutants refused`);
}
