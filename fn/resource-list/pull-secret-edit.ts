// The smallest edit that references the pull Secret from a pod spec (or a ServiceAccount), in the style
// around it, as a splice on the chunk text.
import type { CST } from 'yaml';
import { endOffset, isSeqToken, mapGet, readScalar, type MapToken, type Token } from '../yaml/cst-read.js';
import { formatScalar } from '../yaml/scalar-format.js';
import type { Splice } from '../yaml/splice.js';

/**
 * The smallest edit that appends `{name: <secret>}` to a pod spec's imagePullSecrets, in the style
 * around it: block or flow, compact (`- ` under the key) or indented lists, JSON quoting in JSON.
 */
export function planPullSecretEdit(chunk: string, podSpec: MapToken, secretName: string): Splice | undefined {
  let existing: Token | undefined;
  let existingEntry: CST.CollectionItem | undefined;
  for (const entry of podSpec.items) {
    if (readScalar(entry.key) === 'imagePullSecrets') {
      existing = entry.value;
      existingEntry = entry;
    }
  }
  if (isSeqToken(existing)) {
    const names = existing.items.map((entry) => readScalar(mapGet(entry.value, 'name')));
    if (names.includes(secretName)) return undefined;
    if (existing.type === 'block-seq') {
      const at = lineStartIfBlank(chunk, endOffset(existing));
      return { start: at, end: at, text: `${newlineIfNeeded(chunk, at)}${' '.repeat(existing.indent)}- name: ${formatScalar(secretName)}\n` };
    }
    const close = existing.end.find((token) => token.type === 'flow-seq-end');
    if (!close) return undefined;
    const json = isJsonStyle(existing) || isJsonStyle(podSpec);
    const entry = json ? `{"name": ${JSON.stringify(secretName)}}` : `{name: ${formatScalar(secretName)}}`;
    // After `[` or a trailing comma, no separator of our own.
    const before = chunk.slice(existing.offset, close.offset).trimEnd();
    const separator = before.endsWith('[') ? '' : before.endsWith(',') ? ' ' : ', ';
    return { start: close.offset, end: close.offset, text: `${separator}${entry}` };
  }
  if (podSpec.type === 'flow-collection') {
    const json = isJsonStyle(podSpec);
    const list = json ? `[{"name": ${JSON.stringify(secretName)}}]` : `[{name: ${formatScalar(secretName)}}]`;
    if (existingEntry) {
      // `imagePullSecrets: null` (or nothing): the list takes the value's place.
      if (existing) return { start: existing.offset, end: bodyEnd(existing), text: list };
      const colon = (existingEntry.sep ?? []).find((token) => token.type === 'map-value-ind');
      return colon ? { start: colon.offset + 1, end: colon.offset + 1, text: ` ${list}` } : undefined;
    }
    const close = podSpec.end.find((token) => token.type === 'flow-map-end');
    if (!close) return undefined;
    const entry = json ? `"imagePullSecrets": ${list}` : `imagePullSecrets: ${list}`;
    const before = chunk.slice(podSpec.offset, close.offset).trimEnd();
    const separator = before.endsWith('{') ? '' : before.endsWith(',') ? ' ' : ', ';
    return { start: close.offset, end: close.offset, text: `${separator}${entry}` };
  }
  const keyIndent = ' '.repeat(podSpec.indent);
  const listIndent = ' '.repeat(podSpec.indent + (usesIndentedLists(podSpec) ? 2 : 0));
  const block = `${keyIndent}imagePullSecrets:\n${listIndent}- name: ${formatScalar(secretName)}\n`;
  if (existingEntry?.key) {
    // `imagePullSecrets:` with no list (null): replace the whole entry, up to the end of its line.
    const start = chunk.lastIndexOf('\n', existingEntry.key.offset - 1) + 1;
    const valueEnd = existing ? bodyEnd(existing) : existingEntry.key.offset;
    const lineEnd = chunk.indexOf('\n', valueEnd);
    return { start, end: lineEnd === -1 ? chunk.length : lineEnd + 1, text: block };
  }
  const at = lineStartIfBlank(chunk, endOffset(podSpec));
  return { start: at, end: at, text: `${newlineIfNeeded(chunk, at)}${block}` };
}

/** Where a value's own text ends, before the comment and newline that follow it. */
function bodyEnd(token: Token): number {
  return 'source' in token && token.type !== 'block-scalar' ? token.offset + token.source.length : endOffset(token);
}

/**
 * A collection's last token may carry the next line's indentation (or a comment line and then it):
 * insert at the start of that line, never in the middle of the indentation that belongs to the next key.
 */
function lineStartIfBlank(chunk: string, offset: number): number {
  const lineStart = chunk.lastIndexOf('\n', offset - 1) + 1;
  return chunk.slice(lineStart, offset).trim() === '' ? lineStart : offset;
}

function newlineIfNeeded(chunk: string, at: number): string {
  return at > 0 && chunk.charCodeAt(at - 1) !== 0x0a ? '\n' : '';
}

function isJsonStyle(collection: Token): boolean {
  if (collection.type !== 'flow-collection') return false;
  const first = collection.items[0];
  const probe = first?.key ?? first?.value;
  if (probe?.type === 'double-quoted-scalar') return true;
  if (probe?.type === 'flow-collection') return isJsonStyle(probe);
  return false;
}

/** Whether this object writes `- ` two columns in from its key (`wide`) rather than under it (`compact`). */
function usesIndentedLists(podSpec: MapToken): boolean {
  if (podSpec.type !== 'block-map') return false;
  for (const entry of podSpec.items) {
    if (entry.value?.type === 'block-seq') return entry.value.indent > podSpec.indent;
  }
  return false;
}

