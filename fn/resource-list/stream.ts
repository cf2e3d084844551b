// A plain multi-document YAML stream (what `helm template` writes and a Helm post-renderer gets): each
// document is an item chunk, from its `---` line to the next one.
import type { Skeleton, Span } from './skeleton.js';

const DOCUMENT_START = /^---(?:[ \t].*)?$/;

export function splitStream(text: string): Skeleton {
  const starts: number[] = [0];
  let position = 0;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(position, newline === -1 ? text.length : newline).replace(/\r$/, '');
    if (position > 0 && DOCUMENT_START.test(line)) starts.push(position);
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
