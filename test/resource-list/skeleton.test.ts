import assert from 'node:assert/strict';
import { InputError } from '../../fn/errors.js';
import { splitResourceList, type Skeleton } from '../../fn/resource-list/skeleton.js';

const HEAD = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const FUNCTION_CONFIG = 'functionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  data: {appSlug: my-app}\n';

/** The text of every item chunk, in order. */
function chunks(skeleton: Skeleton): string[] {
  return skeleton.items.map((span) => skeleton.text.slice(span.start, span.end));
}

/**
 * The same document with a `%YAML` directive in front: the line scanner refuses directives, so this
 * is the one exported way to send a text the scanner accepts through the full parse instead. Every
 * offset moves by the prefix length and nothing else may change.
 */
function viaFullParse(text: string): { text: string; prefix: string } {
  const prefix = text.startsWith('---') ? '%YAML 1.2\n' : '%YAML 1.2\n---\n';
  return { text: prefix + text, prefix };
}

function resultsText(skeleton: Skeleton): string | undefined {
  return skeleton.results ? skeleton.text.slice(skeleton.results.start, skeleton.results.end) : undefined;
}

/**
 * Block style: the items are one contiguous run, so the text outside them plus the chunks is the
 * input, headerText is exactly the text outside, and new items go right after the last one.
 */
function assertBlockInvariant(skeleton: Skeleton): void {
  const { text, items } = skeleton;
  for (const [index, span] of items.entries()) {
    assert.ok(span.start <= span.end, `item ${index}: start ${span.start} after end ${span.end}`);
    const previous = items[index - 1];
    if (previous) assert.equal(span.start, previous.end, `item ${index} does not start where item ${index - 1} ends`);
  }
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) {
    assert.equal(skeleton.headerText, text);
    return;
  }
  const before = text.slice(0, first.start);
  const after = text.slice(last.end);
  assert.equal(before + chunks(skeleton).join('') + after, text);
  assert.equal(skeleton.headerText, before + after);
  assert.equal(skeleton.insertItemsAt, last.end);
}

/** Flow style: headerText is the text with every item replaced by `{}`. */
function assertFlowInvariant(skeleton: Skeleton): void {
  let rebuilt = '';
  let cursor = 0;
  for (const span of skeleton.items) {
    assert.ok(span.start >= cursor, 'items overlap or are out of order');
    rebuilt += skeleton.text.slice(cursor, span.start) + '{}';
    cursor = span.end;
  }
  assert.equal(skeleton.headerText, rebuilt + skeleton.text.slice(cursor));
}

// Block ResourceLists the line scanner accepts. Columns:
//   name      what the row covers
//   text      the input
//   chunks    the item chunks both paths must return (a run of comment and blank lines belongs to
//             whatever follows it, even the trailing blank lines of a keep-chomped `|+` scalar: the
//             chunks still concatenate to the input, and the function never reads such a value)
//   indent    itemsStyle.indent (column of the items' `- `)
//   results   the text of the existing results entry, when there is one
interface AgreementRow {
  name: string;
  text: string;
  chunks: string[];
  indent: number;
  results?: string;
}

const agreementTable: AgreementRow[] = [
  {
    name: 'compact items, comments between items and at the end',
    text: `${HEAD}items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n# between\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n# at the end\n${FUNCTION_CONFIG}`,
    chunks: [
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n',
      '# between\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n',
    ],
    indent: 0,
  },
  {
    name: 'indented items, an indented comment between them',
    text: `${HEAD}items:\n  - apiVersion: v1\n    kind: ConfigMap\n  # between\n  - apiVersion: v1\n    kind: Secret\n${FUNCTION_CONFIG}`,
    chunks: ['  - apiVersion: v1\n    kind: ConfigMap\n', '  # between\n  - apiVersion: v1\n    kind: Secret\n'],
    indent: 2,
  },
  {
    name: 'CRLF line ends, a bare `-` item line, an indented comment (lines the scanner reads without cutting them out)',
    text: `${HEAD}items:\r\n  -\r\n    kind: A\r\n    # in A\r\n  - kind: B\r\n    data: {x: "-"}\r\n`,
    chunks: ['  -\r\n    kind: A\r\n', '    # in A\r\n  - kind: B\r\n    data: {x: "-"}\r\n'],
    indent: 2,
  },
  {
    name: 'indented items, a comment at column 0 between them',
    text: `${HEAD}items:\n  - kind: A\n# column 0\n  - kind: B\n`,
    chunks: ['  - kind: A\n', '# column 0\n  - kind: B\n'],
    indent: 2,
  },
  {
    name: 'indented items, a column-0 comment after the last one',
    text: `${HEAD}items:\n  - kind: A\n# the end\n${FUNCTION_CONFIG}`,
    chunks: ['  - kind: A\n'],
    indent: 2,
  },
  {
    name: 'indented items, a comment at the items\' indent after the last one',
    text: `${HEAD}items:\n  - kind: A\n  # the end\n${FUNCTION_CONFIG}`,
    chunks: ['  - kind: A\n'],
    indent: 2,
  },
  {
    name: 'indented items, a comment at the items\' indent ending the text',
    text: `${HEAD}items:\n  - kind: A\n  # the end\n`,
    chunks: ['  - kind: A\n'],
    indent: 2,
  },
  {
    name: 'compact items, a comment indented deeper after the last one, then a top-level key',
    text: `${HEAD}items:\n- kind: A\n  # deeper\n${FUNCTION_CONFIG}`,
    chunks: ['- kind: A\n'],
    indent: 0,
  },
  {
    name: 'a comment between `items:` and the first item',
    text: `# top\n${HEAD}# before items\nitems:\n# before the first item\n- kind: A\n`,
    chunks: ['# before the first item\n- kind: A\n'],
    indent: 0,
  },
  {
    name: 'a comment at column 0 inside an item',
    text: `${HEAD}items:\n- kind: A\n# inside\n  metadata: {}\n- kind: B\n`,
    chunks: ['- kind: A\n# inside\n  metadata: {}\n', '- kind: B\n'],
    indent: 0,
  },
  {
    name: 'blank lines between items and before the next key',
    text: `${HEAD}items:\n- kind: A\n\n- kind: B\n\n${FUNCTION_CONFIG}`,
    chunks: ['- kind: A\n', '\n- kind: B\n'],
    indent: 0,
  },
  {
    name: 'a block scalar holding `- ` lines',
    text: `${HEAD}items:\n- kind: A\n  data:\n    x: |\n      line\n\n      - not an item\n- kind: B\n`,
    chunks: ['- kind: A\n  data:\n    x: |\n      line\n\n      - not an item\n', '- kind: B\n'],
    indent: 0,
  },
  {
    name: 'a keep-chomped block scalar followed by a blank line',
    text: `${HEAD}items:\n- kind: A\n  data:\n    x: |+\n      line\n\n- kind: B\n`,
    chunks: ['- kind: A\n  data:\n    x: |+\n      line\n', '\n- kind: B\n'],
    indent: 0,
  },
  {
    name: '`---` start',
    text: `---\n${HEAD}items:\n- kind: A\n- kind: B\n`,
    chunks: ['- kind: A\n', '- kind: B\n'],
    indent: 0,
  },
  {
    name: 'no trailing newline',
    text: `${HEAD}items:\n- kind: A\n- kind: B`,
    chunks: ['- kind: A\n', '- kind: B'],
    indent: 0,
  },
  {
    name: 'CRLF line ends',
    text: 'apiVersion: config.kubernetes.io/v1\r\nkind: ResourceList\r\nitems:\r\n- kind: A\r\n# c\r\n- kind: B\r\n',
    chunks: ['- kind: A\r\n', '# c\r\n- kind: B\r\n'],
    indent: 0,
  },
  {
    name: 'a comment after `items:` on the same line',
    text: `${HEAD}items: # the items\n- kind: A\n`,
    chunks: ['- kind: A\n'],
    indent: 0,
  },
  {
    name: 'a flow map as a block item, and `-` alone on its line',
    text: `${HEAD}items:\n- {kind: A}\n-\n  kind: B\n`,
    chunks: ['- {kind: A}\n', '-\n  kind: B\n'],
    indent: 0,
  },
  {
    name: 'results before the items',
    text: `${HEAD}results:\n- message: old\n  severity: info\nitems:\n- kind: A\n`,
    chunks: ['- kind: A\n'],
    indent: 0,
    results: 'results:\n- message: old\n  severity: info\n',
  },
  {
    name: 'results after the items',
    text: `${HEAD}items:\n- kind: A\nresults:\n- message: old\n  severity: info\n`,
    chunks: ['- kind: A\n'],
    indent: 0,
    results: 'results:\n- message: old\n  severity: info\n',
  },
  {
    name: 'results last, no trailing newline',
    text: `${HEAD}items:\n- kind: A\nresults: []`,
    chunks: ['- kind: A\n'],
    indent: 0,
    results: 'results: []',
  },
  {
    name: 'empty `items:` followed by another key',
    text: `${HEAD}items:\n${FUNCTION_CONFIG}`,
    chunks: [],
    indent: 0,
  },
];

describe('splitResourceList: the line scanner and the full parse agree', () => {
  for (const row of agreementTable) {
    it(`line scanner: ${row.name}`, () => {
      const skeleton = splitResourceList(row.text);
      assert.deepEqual(chunks(skeleton), row.chunks);
      assert.deepEqual(skeleton.itemsStyle, { type: 'block', indent: row.indent });
      assert.equal(skeleton.topLevelStyle, 'block');
      assert.equal(resultsText(skeleton), row.results);
      assertBlockInvariant(skeleton);
    });

    it(`full parse: ${row.name}`, () => {
      const forced = viaFullParse(row.text);
      const skeleton = splitResourceList(forced.text);
      assert.deepEqual(chunks(skeleton), row.chunks);
      assert.deepEqual(skeleton.itemsStyle, { type: 'block', indent: row.indent });
      assert.equal(skeleton.topLevelStyle, 'block');
      // The results entry itself (a comment run above it may be given to it or not).
      assert.equal(resultsText(skeleton)?.replace(/^(?:#[^\n]*\n)*/, ''), row.results);
      assertBlockInvariant(skeleton);
      const fast = splitResourceList(row.text);
      assert.deepEqual(
        skeleton.items.map((span) => ({ start: span.start - forced.prefix.length, end: span.end - forced.prefix.length })),
        fast.items,
        'item spans differ by more than the prefix',
      );
      assert.equal(skeleton.headerText, forced.prefix + fast.headerText);
    });
  }

  it('both give an existing results entry the same span when no comment precedes it', () => {
    const text = `${HEAD}items:\n- kind: A\nresults:\n- message: old\n${FUNCTION_CONFIG}`;
    const fast = splitResourceList(text);
    const forced = viaFullParse(text);
    const full = splitResourceList(forced.text);
    assert.equal(resultsText(fast), 'results:\n- message: old\n');
    assert.equal(resultsText(full), 'results:\n- message: old\n');
    assert.equal(fast.appendAt, text.length);
    assert.equal(full.appendAt, forced.text.length);
  });
});

describe('splitResourceList: JSON and flow input take the full parse', () => {
  // Columns: name; text; chunks (item texts); results (the span removed with the old results,
  // including the comma that goes with it); appendAt (offset, or the text it must precede); style.
  const table: Array<{
    name: string;
    text: string;
    chunks: string[];
    results: string | undefined;
    appendBefore: string;
    topLevelStyle: 'block' | 'flow';
  }> = [
    {
      name: 'JSON with items and results',
      text: '{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [{"kind": "A"}, {"kind": "B", "x": [1, 2]}], "results": [{"message": "m"}]}\n',
      chunks: ['{"kind": "A"}', '{"kind": "B", "x": [1, 2]}'],
      results: ', "results": [{"message": "m"}]',
      appendBefore: '}\n',
      topLevelStyle: 'flow',
    },
    {
      name: 'JSON with results first',
      text: '{"results": [], "apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [{"kind": "A"}]}',
      chunks: ['{"kind": "A"}'],
      results: '"results": [],',
      appendBefore: '}',
      topLevelStyle: 'flow',
    },
    {
      name: 'JSON with no items',
      text: '{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": []}\n',
      chunks: [],
      results: undefined,
      appendBefore: '}\n',
      topLevelStyle: 'flow',
    },
    {
      name: 'JSON over several lines (as kubectl prints it)',
      text: '{\n  "apiVersion": "config.kubernetes.io/v1",\n  "kind": "ResourceList",\n  "items": [\n    {"kind": "A"},\n    {"kind": "B"}\n  ]\n}\n',
      chunks: ['{"kind": "A"}', '{"kind": "B"}'],
      results: undefined,
      appendBefore: '}\n',
      topLevelStyle: 'flow',
    },
    {
      name: 'block top level with a flow items list',
      text: `${HEAD}items: [{kind: A}, {kind: B}]\nresults: []\n`,
      chunks: ['{kind: A}', '{kind: B}'],
      results: 'results: []\n',
      appendBefore: '',
      topLevelStyle: 'block',
    },
  ];

  for (const row of table) {
    it(row.name, () => {
      const skeleton = splitResourceList(row.text);
      assert.deepEqual(chunks(skeleton), row.chunks);
      assert.deepEqual(skeleton.itemsStyle, { type: 'flow' });
      assert.equal(skeleton.topLevelStyle, row.topLevelStyle);
      assert.equal(resultsText(skeleton), row.results);
      assert.equal(skeleton.text.slice(skeleton.appendAt), row.appendBefore);
      // New items go right after the last item (before a trailing comma), or right after an empty list's `[`.
      const last = skeleton.items.at(-1);
      if (last) assert.equal(skeleton.insertItemsAt, last.end);
      else assert.equal(skeleton.text[skeleton.insertItemsAt - 1], '[');
      assertFlowInvariant(skeleton);
    });
  }
});

describe('splitResourceList: errors', () => {
  // Columns: name; text; code and message of the InputError.
  const table: Array<{ name: string; text: string; code: string; message: string }> = [
    { name: 'empty text', text: '', code: 'input', message: 'input is empty: expected a ResourceList' },
    { name: 'only a comment', text: '# nothing\n', code: 'input', message: 'input is empty: expected a ResourceList' },
    {
      name: 'a ConfigMap',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      code: 'input',
      message: 'input is not a ResourceList (kind is "ConfigMap"): expected a ResourceList with items',
    },
    {
      name: 'a JSON object without kind or items',
      text: '{"apiVersion": "v1"}',
      code: 'input',
      message: 'input is not a ResourceList (kind is null): expected a ResourceList with items',
    },
    { name: 'a scalar', text: 'hello\n', code: 'input', message: 'input is not a ResourceList: expected a map with apiVersion, kind and items' },
    { name: 'a sequence', text: '- a\n- b\n', code: 'input', message: 'input is not a ResourceList: expected a map with apiVersion, kind and items' },
    { name: 'a ResourceList without items', text: HEAD, code: 'items', message: 'ResourceList needs an items list' },
    {
      name: 'a ResourceList whose items is a map',
      text: `${HEAD}items:\n  a: b\n`,
      code: 'items',
      message: 'ResourceList needs an items list',
    },
    {
      name: 'two block ResourceLists',
      text: `${HEAD}items:\n- kind: A\n---\n${HEAD}items:\n- kind: B\n`,
      code: 'input',
      message: 'expected one ResourceList document, found several',
    },
    {
      name: 'two flow ResourceLists',
      text: `${HEAD}items: []\n---\n${HEAD}items: []\n`,
      code: 'input',
      message: 'expected one ResourceList document, found several',
    },
  ];

  for (const row of table) {
    it(row.name, () => {
      assert.throws(
        () => splitResourceList(row.text),
        (error: unknown) => {
          assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
          assert.equal(error.code, row.code);
          assert.equal(error.message, row.message);
          return true;
        },
      );
    });
  }

  it('reports YAML syntax errors as InputError', () => {
    assert.throws(
      () => splitResourceList(`${HEAD}items: [\n- kind: A\n  - b: ]\n`),
      (error: unknown) => error instanceof InputError && error.code === 'input' && error.message.startsWith('input is not valid YAML: '),
    );
  });
});
