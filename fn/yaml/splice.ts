// Text edits by offset, applied in one pass (ESLint's source-code-fixer.js is the model): sorted by
// offset, overlaps refused, every byte between them copied as it was.

export interface Splice {
  start: number;
  end: number;
  text: string;
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
  const ordered = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  let output = '';
  let cursor = 0;
  for (const splice of ordered) {
    if (splice.start < cursor) throw new Error(`overlapping edits at offset ${splice.start}`);
    output += text.slice(cursor, splice.start);
    if (splice.ownLine && output !== '' && !output.endsWith('\n')) output += '\n';
    output += splice.text;
    cursor = splice.end;
  }
  return output + text.slice(cursor);
}
