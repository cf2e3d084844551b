// The writer (kyaml's kio.ByteWriter is the model): the Source and every edit planned on it in, the output
// text out. Every edit is a splice in the input's own offsets: the edits inside items (image values,
// imagePullSecrets entries, as item-scan.ts placed them), the items replaced, removed and added, the
// blank lines after foot comments, and a ResourceList's results. They are applied in one pass
// (yaml/splice.ts), after the frame check; every byte no edit covers is written as it was read. The
// output is the pieces the splices make (lazy-text.ts), never one string: what can fail (the frame
// check, overlapping edits) is decided here, and the pieces are made as they are written.
import { InputError } from '../errors.js';
import type { LazyText } from '../lazy-text.js';
import { formatResults, formatResultsJson, type Result } from '../results.js';
import { applySplices, orderSplices, splicePieces, type Splice } from '../yaml/splice.js';
import { footCommentEnd, footCommentGap } from './foot-comment.js';
import { findFrameProblem } from './output-frame.js';
import type { Source } from './read-input.js';
import type { Skeleton } from './skeleton.js';

export interface OutputEdits {
  /** Edits inside the items that stay, in whole-input offsets: image values, imagePullSecrets entries. */
  splices: readonly Splice[];
  /** Item index -> the item's new text ('' removes the item: only ever a stale generated one). */
  replaced: ReadonlyMap<number, string>;
  /** New items, rendered in the items' style, written after the last item. */
  appended: readonly string[];
}

/**
 * The output: `edits` undefined writes the items back as they were read (check mode, a configuration
 * problem). `results` go into a ResourceList; a stream has no place for them (post-render: stderr).
 */
export function writeOutput(source: Source, edits: OutputEdits | undefined, results: readonly Result[] = []): LazyText {
  const appended = edits?.appended ?? [];
  const items = new Map<number, string>();
  for (const [index, text] of edits?.replaced ?? []) items.set(index, text === '' ? '' : withLeadingLines(source, index, text));
  checkOutputFrame(source, appended, items, resultsSplices(source, []));
  const splices = [
    ...(edits ? [...edits.splices, ...separateFootComments(source, items)] : []),
    ...itemSplices(source, appended, items),
    ...resultsSplices(source, results),
  ];
  const ordered = orderSplices(splices);
  const crlf = hasOnlyCrlf(source.text);
  return { pieces: () => (crlf ? toCrlf(splicePieces(source.text, ordered)) : splicePieces(source.text, ordered)) };
}

/**
 * The safety net: what would be written must parse (output-frame.ts), with the input items in it and the
 * new ones; `results` are checked as `[]` (their lines are written by formatResults, one quoted string each).
 */
export function checkOutputFrame(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>, tail: readonly Splice[] = []): void {
  const placeholder = skeleton.itemsStyle.type === 'flow' ? '{}' : '';
  const cut = new Map(skeleton.items.map((_, index) => [index, itemTexts.get(index) === '' ? '' : placeholder]));
  const frame = applySplices(skeleton.text, [...itemSplices(skeleton, appended, cut), ...tail]);
  const kept = skeleton.items.filter((_, index) => itemTexts.get(index) !== '').length;
  const kind = skeleton.itemsStyle.type === 'documents' ? 'stream' : 'resource-list';
  const problem = findFrameProblem(frame, kind, appended.length + (skeleton.itemsStyle.type === 'flow' ? kept : 0));
  if (problem !== undefined) {
    throw new InputError('input', `nothing written: the output would not be valid YAML (${problem}); please report this input as a bug`);
  }
}

/** Replaced and removed items (whole), and the new ones at the end of the items. */
export function itemSplices(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice[] {
  if (skeleton.itemsStyle.type === 'flow') return flowItemSplices(skeleton, appended, itemTexts);
  const splices: Splice[] = [];
  for (const [index, text] of itemTexts) splices.push({ ...skeleton.items[index]!, text });
  if (appended.length > 0) splices.push(insertItems(skeleton, appended, itemTexts));
  else if (skeleton.itemsStyle.type === 'block' && skeleton.items.length > 0) {
    const gap = footCommentGap(skeleton.text, skeleton.insertItemsAt, skeleton.itemsStyle.indent);
    if (gap !== undefined) splices.push({ start: gap, end: gap, text: '\n', ownLine: true });
  }
  return splices;
}

/** Text with CRLF line ends only gets CRLF in what this function writes too (toCrlf); any other text is left as is. */
function hasOnlyCrlf(input: string): boolean {
  return input.includes('\r\n') && !/(?<!\r)\n/.test(input);
}

/** Every LF not after a CR becomes CRLF, judged on the pieces as one text: a piece may end in the CR. */
export function* toCrlf(pieces: Iterable<string>): Generator<string, void, undefined> {
  let afterCr = false;
  for (const piece of pieces) {
    if (piece === '') continue;
    const kept = afterCr && piece.startsWith('\n') ? '\n' : '';
    yield kept + piece.slice(kept.length).replace(/(?<!\r)\n/g, '\r\n');
    afterCr = piece.endsWith('\r');
  }
}

/**
 * A chunk starts with the trailing comment of the item before it (the line scanner gives comment lines
 * to what follows them): keep a blank line after that comment, so that kpt keeps it where it is
 * (foot-comment.ts). Regenerated items get theirs with their leading lines (withLeadingLines).
 */
function separateFootComments(source: Source, replaced: ReadonlyMap<number, string>): Splice[] {
  if (source.style.type !== 'block') return [];
  const splices: Splice[] = [];
  for (let index = 1; index < source.items.length; index++) {
    if (replaced.has(index)) continue;
    const span = source.items[index]!;
    const gap = footCommentGap(source.text, span.start, source.style.indent);
    if (gap !== undefined && gap < span.end) splices.push({ start: gap, end: gap, text: '\n' });
  }
  return splices;
}

/** Comment lines (and a stream's `---`) above an item travel with it when the item is regenerated. */
function withLeadingLines(source: Source, index: number, text: string): string {
  const span = source.items[index]!;
  // `\r?`: a CRLF stream's `---` line must stay too, or the replaced document merges into the one before
  const pattern = source.chunkKind === 'document' ? /^(?:[ \t]*(?:#[^\n]*)?\r?\n|---[ \t]*\r?\n)*/ : /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*/;
  let lead = pattern.exec(source.text.slice(span.start, span.end))?.[0] ?? '';
  const gap = source.style.type === 'block' && index > 0 ? footCommentGap(source.text, span.start, source.style.indent) : undefined;
  if (gap !== undefined && gap - span.start <= lead.length) lead = `${lead.slice(0, gap - span.start)}\n${lead.slice(gap - span.start)}`;
  return lead + text;
}

/** New items in a block list or a stream (flow lists: flowItemSplices); each starts a line of its own. */
function insertItems(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice {
  const at = skeleton.insertItemsAt;
  const style = skeleton.itemsStyle;
  if (style.type === 'block') {
    // After the last item's own trailing comment, one blank line down (foot-comment.ts).
    const end = footCommentEnd(skeleton.text, at, style.indent);
    return { start: end, end, text: (end > at ? '\n' : '') + appended.join(''), ownLine: true };
  }
  const remaining = skeleton.items.filter((_, index) => itemTexts.get(index) !== '').length;
  return { start: at, end: at, text: appended.map((text, index) => (remaining > 0 || index > 0 ? `---\n${text}` : text)).join(''), ownLine: true };
}

/**
 * A flow `items` list: removed items take one separator with them (the one before, or for removed items
 * ahead of the first kept one, the one after), so no `,,` or leading comma is left; new items go right
 * after the last item on its line, before a trailing comma if there is one.
 */
function flowItemSplices(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice[] {
  const { items, text } = skeleton;
  const kept = items.map((_, index) => itemTexts.get(index) !== '');
  const firstKept = kept.indexOf(true);
  const splices: Splice[] = [];
  let at = skeleton.insertItemsAt;
  if (firstKept === -1 && items.length > 0) {
    // Every item goes: the whole run, with a trailing comma, so `[A, B,]` does not become `[,]`.
    const last = items.at(-1)!;
    const comma = /^(?:\s|#[^\n]*)*,/.exec(text.slice(last.end));
    at = comma ? last.end + comma[0].length : last.end;
    splices.push({ start: items[0]!.start, end: at, text: '' });
  } else {
    items.forEach((span, index) => {
      const replacement = itemTexts.get(index);
      if (replacement === undefined) return;
      if (replacement !== '') splices.push({ ...span, text: replacement });
      else if (index < firstKept) splices.push({ start: span.start, end: items[index + 1]!.start, text: '' });
      else splices.push({ start: items[index - 1]!.end, end: span.end, text: '' });
    });
  }
  if (appended.length > 0) splices.push({ start: at, end: at, text: `${firstKept === -1 ? '' : ', '}${appended.join(', ')}` });
  return splices;
}

/** A ResourceList's results: the old entry goes, this run's are appended; a stream has none. */
function resultsSplices(source: Source, results: readonly Result[]): Splice[] {
  if (source.format === 'stream') return [];
  // The comment and blank lines above `results:` are not the old results' (an item's trailing comment, say).
  const removed: Splice[] = source.results ? [{ start: keyLineStart(source.text, source.results.start), end: source.results.end, text: '' }] : [];
  const at = source.appendAt;
  // Rendered as they are written (a large render's are megabytes): two insertions at one offset keep their order.
  if (source.topLevelStyle === 'flow') return [...removed, { start: at, end: at, text: ', "results": ' }, { start: at, end: at, text: { pieces: () => formatResultsJson(results) } }];
  return [...removed, { start: at, end: at, text: { pieces: () => formatResults(results) }, ownLine: true }];
}

/** The first line at or after `offset` that is neither blank nor a comment. */
function keyLineStart(text: string, offset: number): number {
  let position = offset;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const trimmed = text.slice(position, lineEnd).trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) break;
    position = lineEnd;
  }
  return position;
}
