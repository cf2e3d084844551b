// Splits a ResourceList's text into the parts this function edits independently: the item chunks,
// each parsed on its own later (so at most one item's CST is alive at a time, which keeps 10,000
// Deployments under 400 MB), and everything else, kept as text and re-emitted byte for byte.
import { Parser } from 'yaml';
import { InputError } from '../errors.js';
import { endOffset, findErrorToken, isMapToken, readScalar, type Token } from '../yaml/cst-read.js';

export interface Span {
  start: number;
  end: number;
}

export interface Skeleton {
  text: string;
  /** Item chunks in input order: standalone YAML (a block sequence item with its indentation, or a flow node). */
  items: Span[];
  /** How new items must be written to fit the items collection. */
  itemsStyle: { type: 'block'; indent: number } | { type: 'flow' } | { type: 'documents' };
  /** Where new items go: after the last item, or right after an empty flow sequence's `[`. */
  insertItemsAt: number;
  /** The whole text without the item chunks: parses to the top-level map with an empty items list. */
  headerText: string;
  /** An existing `results` entry: replaced by this run's results. */
  results?: Span;
  topLevelStyle: 'block' | 'flow';
  /** Where a top-level `results` entry is appended (end of text, or before the closing `}`). */
  appendAt: number;
}

export function splitResourceList(text: string): Skeleton {
  return splitBlockResourceList(text) ?? splitByFullParse(text);
}

const TOP_LEVEL_KEY = /^(?:"([^"\\]*)"|'([^']*)'|([A-Za-z_][\w.\/-]*))[ \t]*:(?:[ \t]|$)/;

function isSequenceItemLine(trimmed: string): boolean {
  return trimmed === '-' || trimmed.startsWith('- ');
}

/** isSequenceItemLine for the line content from `at` to `lineEnd` (before the `\n`; one `\r` before it does not count). */
function isSequenceItemAt(text: string, at: number, lineEnd: number): boolean {
  if (text.charCodeAt(at) !== 0x2d) return false;
  const contentEnd = lineEnd > at && text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
  return at + 1 === contentEnd || text.charCodeAt(at + 1) === 0x20;
}

/**
 * Line scanner for the block YAML that kpt and kustomize write: top-level keys at column 0 and an
 * `items` block sequence. Returns undefined for anything else, which then takes the full parse.
 * A run of comment and blank lines belongs to whatever follows it.
 */
function splitBlockResourceList(text: string): Skeleton | undefined {
  const sections: Array<{ key: string; start: number }> = [];
  const items: Span[] = [];
  let itemsSection: { start: number; headerEnd: number } | undefined;
  let inItems = false;
  let itemsIndent = -1;
  let runStart = -1;
  let seenDocumentStart = false;
  /** A line under `items:` with content: false where the scanner gives up. */
  const takeItemsLine = (indent: number, isItemLine: boolean, ownerStart: number, lineEnd: number): boolean => {
    if (itemsIndent === -1) {
      if (!isItemLine) return false;
      itemsIndent = indent;
    }
    if (indent === itemsIndent && isItemLine) {
      items.push({ start: ownerStart, end: lineEnd });
    } else if (indent <= itemsIndent) {
      return false;
    }
    items.at(-1)!.end = lineEnd;
    return true;
  };
  let position = 0;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    // Nearly every line is an indented line of an item that starts with a printable ASCII character:
    // what trimStart would find there is found without cutting the line out.
    let first = position;
    while (text.charCodeAt(first) === 0x20) first++;
    const code = text.charCodeAt(first);
    if (first > position && code > 0x20 && code < 0x7f) {
      if (code === 0x23) {
        if (runStart === -1) runStart = position;
      } else {
        const ownerStart = runStart === -1 ? position : runStart;
        runStart = -1;
        if (sections.length === 0) return undefined;
        if (inItems && !takeItemsLine(first - position, isSequenceItemAt(text, first, newline === -1 ? text.length : newline), ownerStart, lineEnd)) return undefined;
      }
      position = lineEnd;
      continue;
    }
    const line = text.slice(position, newline === -1 ? text.length : newline).replace(/\r$/, '');
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) {
      if (runStart === -1) runStart = position;
      position = lineEnd;
      continue;
    }
    const ownerStart = runStart === -1 ? position : runStart;
    runStart = -1;
    if (line.startsWith('%') || line.startsWith('...') || line.startsWith('\t')) return undefined;
    if (line.startsWith('---')) {
      if (sections.length > 0 || line.trimEnd() !== '---' || seenDocumentStart) return undefined;
      seenDocumentStart = true;
      position = lineEnd;
      continue;
    }
    const indent = line.length - trimmed.length;
    if (indent === 0 && !isSequenceItemLine(trimmed)) {
      const match = TOP_LEVEL_KEY.exec(line);
      if (!match) return undefined;
      const key = match[1] ?? match[2] ?? match[3] ?? '';
      if (sections.some((section) => section.key === key)) return undefined;
      sections.push({ key, start: ownerStart });
      inItems = key === 'items';
      if (inItems) {
        const rest = line.slice(match[0].length).trim();
        if (rest !== '' && !rest.startsWith('#')) return undefined;
        itemsSection = { start: ownerStart, headerEnd: lineEnd };
      }
      position = lineEnd;
      continue;
    }
    if (sections.length === 0) return undefined;
    if (inItems && !takeItemsLine(indent, isSequenceItemLine(trimmed), ownerStart, lineEnd)) return undefined;
    position = lineEnd;
  }
  if (!itemsSection) return undefined;
  const first = items[0];
  const last = items.at(-1);
  const itemsStart = first ? first.start : itemsSection.headerEnd;
  const itemsEnd = last ? last.end : itemsSection.headerEnd;
  const resultsIndex = sections.findIndex((section) => section.key === 'results');
  const resultsSection = sections[resultsIndex];
  return {
    text,
    items,
    itemsStyle: { type: 'block', indent: Math.max(itemsIndent, 0) },
    insertItemsAt: itemsEnd,
    headerText: text.slice(0, itemsStart) + text.slice(itemsEnd),
    ...(resultsSection
      ? { results: { start: resultsSection.start, end: sections[resultsIndex + 1]?.start ?? text.length } }
      : {}),
    topLevelStyle: 'block',
    appendAt: text.length,
  };
}

/** General path: JSON, flow style, unusual indentation. Parses the whole document once. */
function splitByFullParse(text: string): Skeleton {
  const tokens = [...new Parser().parse(text)];
  // Empty documents (`---` then `---`) are nothing: YAML readers skip them too.
  const documents = tokens.filter((token) => token.type === 'document' && !isEmptyDocument(token));
  for (const token of tokens) {
    const error = findErrorToken(token);
    if (error) throw new InputError('input', `input is not valid YAML: ${firstLine(error.message)}`);
  }
  if (documents.length === 0) throw new InputError('input', 'input is empty: expected a ResourceList');
  if (documents.length > 1) throw new InputError('input', 'expected one ResourceList document, found several');
  const document = documents[0]!;
  const root = document.type === 'document' ? document.value : undefined;
  if (!isMapToken(root)) {
    throw new InputError('input', 'input is not a ResourceList: expected a map with apiVersion, kind and items');
  }
  const topLevelStyle = root.type === 'block-map' ? 'block' : 'flow';
  let itemsValue: Token | undefined;
  let itemsEntryFound = false;
  let itemsKeyLineEnd = 0;
  let results: Span | undefined;
  for (const [index, entry] of root.items.entries()) {
    const key = readScalar(entry.key);
    if (key === 'items' && entry.key) {
      itemsValue = entry.value;
      itemsEntryFound = true;
      const newline = text.indexOf('\n', entry.key.offset);
      itemsKeyLineEnd = newline === -1 ? text.length : newline + 1;
    }
    if (key === 'results') results = entrySpan(text, root.items, index, topLevelStyle);
  }
  const items: Span[] = [];
  let itemsStyle: Skeleton['itemsStyle'];
  let insertItemsAt: number;
  if (itemsValue?.type === 'block-seq') {
    const lineStarts = itemsValue.items.flatMap((entry) => {
      const dash = entry.start.find((token) => token.type === 'seq-item-ind');
      return dash ? [text.lastIndexOf('\n', dash.offset - 1) + 1] : [];
    });
    items.push(...blockItemSpans(text, itemsKeyLineEnd, lineStarts, endOffset(itemsValue)));
    itemsStyle = { type: 'block', indent: itemsValue.indent };
    insertItemsAt = items.at(-1)?.end ?? itemsKeyLineEnd;
  } else if (itemsValue?.type === 'flow-collection' && itemsValue.start.source === '[') {
    for (const entry of itemsValue.items) {
      if (!entry.value) continue;
      // Without the whitespace and comments that separate it from what follows.
      const start = entry.value.offset;
      items.push({ start, end: start + text.slice(start, endOffset(entry.value)).trimEnd().length });
    }
    itemsStyle = { type: 'flow' };
    // Right after the last item (before its trailing comma, if any) or right after `[`: never before a
    // `]` that may sit on a line of its own in column 0, where a new entry would be out of the collection.
    insertItemsAt = items.at(-1)?.end ?? itemsValue.start.offset + 1;
  } else if (itemsEntryFound && itemsValue === undefined && topLevelStyle === 'block') {
    // `items:` with nothing after it: no items yet, new ones go on the lines after the key.
    itemsStyle = { type: 'block', indent: 0 };
    insertItemsAt = itemsKeyLineEnd;
  } else {
    const kind = root.items.find((entry) => readScalar(entry.key) === 'kind');
    const kindValue = readScalar(kind?.value);
    if (kindValue !== 'ResourceList') {
      throw new InputError('input', `input is not a ResourceList (kind is ${JSON.stringify(kindValue ?? null)}): expected a ResourceList with items`);
    }
    throw new InputError('items', 'ResourceList needs an items list');
  }
  let headerText = '';
  let cursor = 0;
  for (const span of items) {
    headerText += text.slice(cursor, span.start) + (itemsStyle.type === 'flow' ? '{}' : '');
    cursor = span.end;
  }
  headerText += text.slice(cursor);
  const rootEnd = endOffset(root);
  return {
    text,
    items,
    itemsStyle,
    insertItemsAt,
    headerText,
    ...(results ? { results } : {}),
    topLevelStyle,
    appendAt: topLevelStyle === 'block' ? rootEnd : Math.max(text.lastIndexOf('}', rootEnd), 0),
  };
}

/**
 * Item spans of a block sequence by the line scanner's rule, so both paths cut the same chunks: an item
 * owns the run of comment and blank lines above its `-` line and its lines up to the last one with
 * content; comments after the last item belong to what follows the items.
 */
function blockItemSpans(text: string, floor: number, lineStarts: readonly number[], regionEnd: number): Span[] {
  const spans: Span[] = [];
  lineStarts.forEach((lineStart, index) => {
    const limit = lineStarts[index + 1] ?? regionEnd;
    let contentEnd = lineStart;
    for (let position = lineStart; position < limit; ) {
      const newline = text.indexOf('\n', position);
      const lineEnd = newline === -1 || newline >= limit ? Math.min(newline === -1 ? text.length : newline + 1, Math.max(limit, position + 1)) : newline + 1;
      const trimmed = text.slice(position, lineEnd).trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) contentEnd = lineEnd;
      position = lineEnd;
    }
    const previousEnd = spans.at(-1)?.end;
    spans.push({ start: previousEnd ?? commentRunStart(text, floor, lineStart), end: contentEnd });
  });
  return spans;
}

/** Start of the run of comment and blank lines that ends at `lineStart`, not before `floor`. */
function commentRunStart(text: string, floor: number, lineStart: number): number {
  let start = lineStart;
  while (start > floor) {
    const previous = text.lastIndexOf('\n', start - 2) + 1;
    if (previous < floor) break;
    const trimmed = text.slice(previous, start).trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) break;
    start = previous;
  }
  return start;
}

function isEmptyDocument(document: Extract<Token, { type: 'document' }>): boolean {
  const value = document.value;
  return value === undefined || (value.type === 'scalar' && value.source === '' && !value.end?.some((token) => token.type !== 'newline' && token.type !== 'space' && token.type !== 'comment'));
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

type EntryLike = { start: Array<{ offset: number }>; key?: Token | null; value?: Token };

/** One top-level entry's text, with the separator that must go with it when it is removed. */
function entrySpan(text: string, entries: EntryLike[], index: number, style: 'block' | 'flow'): Span {
  const entry = entries[index]!;
  const keyOffset = entry.key?.offset ?? entry.start[0]?.offset ?? 0;
  const end = entry.value ? endOffset(entry.value) : keyOffset;
  if (style === 'block') return { start: text.lastIndexOf('\n', keyOffset - 1) + 1, end };
  const previous = entries[index - 1];
  if (previous) return { start: previous.value ? endOffset(previous.value) : keyOffset, end };
  const comma = text.indexOf(',', end);
  return { start: keyOffset, end: comma === -1 ? end : comma + 1 };
}
