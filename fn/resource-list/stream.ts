// A plain multi-document YAML stream (what `helm template` writes and a Helm post-renderer gets): each
// document is an item chunk, from its `---` line to the next one.
import type { Skeleton, Span } from './skeleton.js';

const DOCUMENT_START = /^---(?:[ \t].*)?$/;
const DOCUMENT_END = /^\.\.\.(?:[ \t].*)?$/;

/**
 * Directives (`%YAML 1.1`, `%TAG`) belong to the document after them: a `---` that ends a run of
 * directives, comments and blank lines starts no new chunk, and a directive after a `...` starts one.
 */
export function splitStream(text: string): Skeleton {
  const starts: number[] = [0];
  // Of the current chunk: whether it has a directive, and anything after (or other than) directives.
  let directives = false;
  let content = false;
  let afterEnd = false;
  let position = 0;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(position, newline === -1 ? text.length : newline).replace(/\r$/, '');
    const trimmed = line.trim();
    if (line.startsWith('%') && (afterEnd || !content)) {
      if (afterEnd) {
        starts.push(position);
        content = false;
      }
      directives = true;
      afterEnd = false;
    } else if (DOCUMENT_START.test(line)) {
      if (position > 0 && !(directives && !content)) {
        starts.push(position);
        directives = false;
      }
      content = true;
      afterEnd = false;
    } else if (trimmed !== '' && !trimmed.startsWith('#')) {
      content = true;
      afterEnd = DOCUMENT_END.test(line);
    }
    position = lineEnd;
  }
  const items: Span[] = starts.map((start, index) => ({ start, end: starts[index + 1] ?? text.length }));
  return {
    text,
    items,
    itemsStyle: { type: 'documents' },
    insertItemsAt: text.length,
    headerText: '',
    topLevelStyle: 'block',
    appendAt: text.length,
  };
}
