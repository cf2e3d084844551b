// Text edits by offset, applied in one pass (ESLint's source-code-fixer.js is the model): sorted by
// offset, overlaps refused, every byte between them copied as it was.
import { piecesOf, type PiecedText } from '../lazy-text.js';

export interface Splice {
  start: number;
  end: number;
  /** The new text: a string, or pieces rendered only as they are written (a large render's results). */
  text: PiecedText;
  /** The text starts a line: a newline goes first unless the output so far ends with one (edits before it included). */
  ownLine?: boolean;
}

/**
 * Splices at one offset keep the order given (the sort is stable), and an insertion goes before a
 * replacement that starts where it is. Overlapping edits are a bug of whoever planned them: an Error,
 * never a guess at which one wins.
 */
export function applySplices(text: string, splices: readonly Splice[]): string {
  if (splices.length === 0) return text;
  return [...splicePieces(text, orderSplices(splices))].join('');
}

/** The splices in the order they apply (a copy), overlaps refused: decided before anything is written. */
export function orderSplices(splices: readonly Splice[]): Splice[] {
  const ordered = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  let cursor = 0;
  for (const splice of ordered) {
    if (splice.start < cursor) throw new Error(`overlapping edits at offset ${splice.start}`);
    cursor = splice.end;
  }
  return ordered;
}

/**
 * The spliced text as the pieces it is made of, in order: ranges of `text` (slices, which V8 does not
 * copy) and the edits' texts. `ordered` comes from orderSplices.
 */
export function* splicePieces(text: string, ordered: readonly Splice[]): Generator<string, void, undefined> {
  // The last character written so far, for ownLine ('' while nothing is).
  let last = '';
  let cursor = 0;
  for (const splice of ordered) {
    const kept = text.slice(cursor, splice.start);
    if (kept !== '') {
      yield kept;
      last = kept.at(-1)!;
    }
    if (splice.ownLine && last !== '' && last !== '\n') {
      yield '\n';
      last = '\n';
    }
    for (const piece of piecesOf(splice.text)) {
      if (piece === '') continue;
      yield piece;
      last = piece.at(-1)!;
    }
    cursor = splice.end;
  }
  if (cursor < text.length) yield text.slice(cursor);
}
