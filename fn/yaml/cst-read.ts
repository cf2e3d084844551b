// Read-only navigation over the `yaml` package's CST. The hot path never composes a Document (that
// costs about 1.5x the parse, see README "Performance"); it walks tokens and remembers offsets, so
// that every byte it does not edit is written back exactly as it came in.
import { CST } from 'yaml';
import { InputError } from '../errors.js';

export type Token = CST.Token;
export type MapToken = CST.BlockMap | CST.FlowCollection;
export type SeqToken = CST.BlockSequence | CST.FlowCollection;

export interface MapEntry {
  key: string;
  keyToken: Token;
  value: Token | undefined;
  item: CST.CollectionItem;
}

export function isMapToken(token: Token | null | undefined): token is MapToken {
  if (!token) return false;
  if (token.type === 'block-map') return true;
  return token.type === 'flow-collection' && token.start.source === '{';
}

export function isSeqToken(token: Token | null | undefined): token is SeqToken {
  if (!token) return false;
  if (token.type === 'block-seq') return true;
  return token.type === 'flow-collection' && token.start.source === '[';
}

/** The string a scalar token stands for, or undefined for anything else (collections, aliases). */
export function readScalar(token: Token | null | undefined): string | undefined {
  if (!token || !CST.isScalar(token)) return undefined;
  // Most keys and values: a one-line scalar whose value is its own text (inside the quotes), exactly
  // what the resolver returns when it has nothing to report.
  if (token.type !== 'block-scalar' && isVerbatim(token)) return token.type === 'scalar' ? token.source : token.source.slice(1, -1);
  try {
    return CST.resolveAsScalar(token)?.value;
  } catch (error) {
    // The yaml package throws on a malformed scalar (an unclosed quote, a reserved first character).
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new InputError('input', `input is not valid YAML: ${message}`, undefined, token.offset);
  }
}

/**
 * Where resolve-flow-scalar.js has nothing to say and changes nothing: `plainValue` (no reserved first
 * character) and `singleQuotedValue` / `doubleQuotedValue` (closed, no `''` or escape) unfold no line,
 * and `resolveEnd` finds nothing but spaces and newlines after the value.
 */
function isVerbatim(token: CST.FlowScalar): boolean {
  const { source } = token;
  if (source.includes('\n') || source.includes('\r')) return false;
  switch (token.type) {
    case 'scalar':
      if (source === '' || '\t,%|>@`'.includes(source[0]!)) return false;
      break;
    case 'single-quoted-scalar':
      if (source.length < 2 || source.indexOf("'", 1) !== source.length - 1) return false;
      break;
    default:
      if (source.length < 2 || source.indexOf('"', 1) !== source.length - 1 || source.includes('\\')) return false;
  }
  const end = token.end;
  if (end !== undefined) {
    for (let index = 0; index < end.length; index++) {
      const type = end[index]!.type;
      if (type !== 'space' && type !== 'newline') return false;
    }
  }
  return true;
}

/** Entries of a map with scalar keys, in source order. Entries with complex keys are skipped. */
export function mapEntries(map: MapToken): MapEntry[] {
  const entries: MapEntry[] = [];
  for (const item of map.items) {
    const key = readScalar(item.key);
    if (key === undefined || !item.key) continue;
    entries.push({ key, keyToken: item.key, value: item.value, item });
  }
  return entries;
}

export function mapGet(map: Token | null | undefined, key: string): Token | undefined {
  if (!isMapToken(map)) return undefined;
  const { items } = map;
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    if (item.key && readScalar(item.key) === key) return item.value;
  }
  return undefined;
}

/** The first error token anywhere under `token`, iteratively so deep nesting cannot overflow the stack. */
export function findErrorToken(root: Token): CST.ErrorToken | undefined {
  const stack: Array<Token | null | undefined> = [root];
  while (stack.length > 0) {
    const token = stack.pop();
    if (!token) continue;
    switch (token.type) {
      case 'error':
        return token;
      case 'document':
        stack.push(token.value, ...token.start, ...(token.end ?? []));
        break;
      case 'block-map':
      case 'block-seq':
        for (const item of token.items) stack.push(...item.start, item.key, ...(item.sep ?? []), item.value);
        break;
      case 'flow-collection': {
        // The parser leaves a flow collection without its closing bracket unmarked; the composer would fail.
        const closing = token.start.source === '{' ? 'flow-map-end' : 'flow-seq-end';
        if (!token.end.some((end) => end.type === closing)) {
          return { type: 'error', offset: token.offset, source: token.start.source, message: `a flow ${token.start.source === '{' ? 'map' : 'sequence'} is not closed` };
        }
        for (const item of token.items) stack.push(...item.start, item.key, ...(item.sep ?? []), item.value);
        stack.push(...token.end);
        break;
      }
      case 'block-scalar':
        stack.push(...token.props);
        break;
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'alias':
        stack.push(...(token.end ?? []));
        break;
      default:
        break;
    }
  }
  return undefined;
}

/** Offset just past the last character of `token` (including a scalar's trailing comment and newline). */
export function endOffset(token: Token): number {
  // `token.offset + CST.stringify(token).length` without stringifying (a pod spec's is most of its item)
  // or walking every token under it: a CST without errors is lossless, so its pieces in cst-stringify.js's
  // order lie end to end in the source, and a token's length is from its first piece's start to its last
  // one's end. (An error can drop a stray `}` from the CST; the callers refuse such a parse first.)
  const first = firstPieceStart(token);
  const last = lastPieceEnd(token);
  return first === undefined || last === undefined ? token.offset : token.offset + (last - first);
}

type Item = { start: readonly CST.SourceToken[]; key?: Token | null; sep?: readonly CST.SourceToken[]; value?: Token | null };

/** Where the first piece cst-stringify.js writes for `token` starts; undefined when it writes nothing. */
function firstPieceStart(token: Token): number | undefined {
  switch (token.type) {
    case 'block-scalar': {
      const prop = token.props[0];
      return (prop && firstPieceStart(prop)) ?? token.offset;
    }
    case 'block-map':
    case 'block-seq':
      return firstInItems(token.items);
    case 'flow-collection':
      return token.start.offset;
    case 'document':
      return firstInItems([token]) ?? token.end?.[0]?.offset;
    default:
      return token.offset;
  }
}

function firstInItems(items: readonly Item[]): number | undefined {
  for (const { start, key, sep, value } of items) {
    const first = start[0]?.offset ?? (key ? firstPieceStart(key) : undefined) ?? sep?.[0]?.offset ?? (value ? firstPieceStart(value) : undefined);
    if (first !== undefined) return first;
  }
  return undefined;
}

/** Where the last piece cst-stringify.js writes for `token` ends; undefined when it writes nothing. */
function lastPieceEnd(token: Token): number | undefined {
  switch (token.type) {
    case 'block-scalar': {
      // The header and what follows it on its line, then the scalar's own lines.
      const prop = token.props[token.props.length - 1];
      return (prop ? (lastPieceEnd(prop) ?? token.offset) : token.offset) + token.source.length;
    }
    case 'block-map':
    case 'block-seq':
      return lastInItems(token.items);
    case 'flow-collection':
      return pieceEnd(token.end) ?? lastInItems(token.items) ?? token.start.offset + token.start.source.length;
    case 'document':
      return pieceEnd(token.end) ?? lastInItems([token]);
    default:
      return pieceEnd('end' in token ? token.end : undefined) ?? token.offset + token.source.length;
  }
}

function lastInItems(items: readonly Item[]): number | undefined {
  for (let index = items.length - 1; index >= 0; index--) {
    const { start, key, sep, value } = items[index]!;
    const last = (value ? lastPieceEnd(value) : undefined) ?? pieceEnd(sep) ?? (key ? lastPieceEnd(key) : undefined) ?? pieceEnd(start);
    if (last !== undefined) return last;
  }
  return undefined;
}

function pieceEnd(pieces: ReadonlyArray<{ offset: number; source: string }> | undefined): number | undefined {
  const last = pieces?.[pieces.length - 1];
  return last && last.offset + last.source.length;
}
