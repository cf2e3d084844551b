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
  for (const item of map.items) {
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
  return token.offset + sourceLength(token);
}

/**
 * `CST.stringify(token).length` without building the string (a pod spec's is most of its item): the
 * same pieces in the same cases as cst-stringify.js, only their lengths added up.
 */
function sourceLength(token: Token): number {
  switch (token.type) {
    case 'block-scalar': {
      let length = token.source.length;
      for (let index = 0; index < token.props.length; index++) length += sourceLength(token.props[index]!);
      return length;
    }
    case 'block-map':
    case 'block-seq': {
      let length = 0;
      for (let index = 0; index < token.items.length; index++) length += itemLength(token.items[index]!);
      return length;
    }
    case 'flow-collection': {
      let length = token.start.source.length + piecesLength(token.end);
      for (let index = 0; index < token.items.length; index++) length += itemLength(token.items[index]!);
      return length;
    }
    case 'document':
      return itemLength(token) + piecesLength(token.end);
    default:
      return token.source.length + ('end' in token ? piecesLength(token.end) : 0);
  }
}

function itemLength(item: { start: readonly CST.SourceToken[]; key?: Token | null; sep?: readonly CST.SourceToken[]; value?: Token | null }): number {
  let length = piecesLength(item.start) + piecesLength(item.sep);
  if (item.key) length += sourceLength(item.key);
  if (item.value) length += sourceLength(item.value);
  return length;
}

function piecesLength(pieces: readonly CST.SourceToken[] | undefined): number {
  let length = 0;
  if (pieces) for (let index = 0; index < pieces.length; index++) length += pieces[index]!.source.length;
  return length;
}
