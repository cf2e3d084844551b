// Comments at the end of a block sequence item. kpt writes a file's trailing comment (one after the
// last object) as the last lines of that object's item, indented into it:
//
//   - apiVersion: apps/v1
//     ...
//     # END OF OPERATOR
//   - apiVersion: v1        <- the next item, or a top-level key
//
// Read back (go-yaml v3, kyaml), such a comment belongs to the innermost node above it unless a blank
// line follows it; kpt then finds it in a new place, restores the original as well, and the file gets
// it twice (even from a function that echoes its input). Followed by a blank line it stays the object's
// own trailing comment and kpt writes it once, where it was. So: an item this function writes after
// such a comment goes after it (never between the object and its comment), and the comment is kept
// one blank line above whatever follows.

/** Where the comment lines at `offset` end, if they are indented deeper than `indent` (else `offset`). */
export function footCommentEnd(text: string, offset: number, indent: number): number {
  let position = offset;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(position, lineEnd).replace(/\r?\n$/, '');
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('#') || line.length - trimmed.length <= indent) break;
    position = lineEnd;
  }
  return position;
}

/**
 * Where a blank line must go after the trailing comment that starts at `offset` (the end of an item),
 * or undefined when there is no such comment or a blank line already follows it.
 */
export function footCommentGap(text: string, offset: number, indent: number): number | undefined {
  const end = footCommentEnd(text, offset, indent);
  if (end === offset) return undefined;
  const newline = text.indexOf('\n', end);
  const next = text.slice(end, newline === -1 ? text.length : newline);
  return end < text.length && next.trim() === '' ? undefined : end;
}
