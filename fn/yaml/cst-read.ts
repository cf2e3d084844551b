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
  // Most keys and values: a one-line plain scalar is its own source, exactly what the resolver returns
  // when it has nothing to report (no reserved first character, nothing but spaces after it).
  if (token.type === 'scalar' && isSimplePlain(token)) return token.source;
  try {
    return CST.resolveAsScalar(token)?.value;
  } catch (error) {
    // The yaml package throws on a malformed scalar (an unclosed quote, a reserved first character).
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new InputError('input', `input is not valid YAML: ${message}`, undefined, token.offset);
  }
}

/** Where resolve-flow-scalar.js `plainValue` and `resolveEnd` have nothing to say and unfold nothing. */
function isSimplePlain(token: CST.FlowScalar): boolean {
  const { source } = token;
  if (source === '' || '\t,%|>@`'.includes(source[0]!) || source.includes('\n') || source.includes('\r')) return false;
  return token.end === undefined || token.end.every((after) => after.type === 'space' || after.type === 'newline');
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
  return token.offset + CST.stringify(token).length;
}
