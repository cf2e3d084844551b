// Whether composing a chunk's CST (`new Composer({ version: '1.1', uniqueKeys: true })`) is sure to
// report no error, decided from the tokens alone. Composing builds a node for every scalar and costs
// about a quarter of a run; nearly every item is plain block YAML where the composer's checks come down
// to a few the CST can answer. This mirrors the composer (yaml 2.x compose/resolve-*.js) only for that
// subset: block maps with single-line scalar keys, block sequences, scalars, no anchors, tags, aliases,
// multi-line or nested flow collections, explicit keys, empty values, tabs or directives. Anything else answers false, and
// the caller composes as before, so every error still comes from the composer, word for word.
import { CST, Document } from 'yaml';

type Token = CST.Token;

/** Nesting past this is left to the composer (which reports "too deep" on its own terms). */
const MAX_DEPTH = 200;
/** The composer's limit from an implicit key's start to its `:` (KEY_OVER_1024_CHARS). */
const MAX_IMPLICIT_KEY = 1024;

/** True only when composing `tokens` is certain to give no error; false means "compose to know". */
export function isComposeClean(tokens: readonly Token[]): boolean {
  let documents = 0;
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
      case 'comment':
      case 'newline':
        break;
      case 'document':
        documents += 1;
        if (documents > 1 || !isCleanDocument(token)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isCleanDocument(document: CST.Document): boolean {
  const props = readProps(document.start, 'doc-start', true);
  if (!props) return false;
  const { value } = document;
  // compose-doc: a block collection on the `---` line.
  if (props.found && value && (value.type === 'block-map' || value.type === 'block-seq') && !props.hasNewline) return false;
  if (document.end && !document.end.every((token) => token.type === 'space' || token.type === 'comment' || token.type === 'newline')) return false;
  // An empty document composes to an empty scalar: no error without a tag.
  return value === undefined || cleanNodeEnd(value, 0) !== undefined;
}

interface Props {
  found: boolean;
  hasNewline: boolean;
  commas: number;
  /** Where the composer's `props.end` is: past the last token, or `offset` when there are none. */
  end: number;
}

/**
 * resolve-props.js for tokens holding only spaces, newlines, comments and at most one `indicator`:
 * undefined wherever that function could report an error or where anything else is present.
 */
function readProps(tokens: readonly CST.SourceToken[], indicator: string, startOnNewline: boolean, offset = 0, flow = false): Props | undefined {
  let hasSpace = startOnNewline;
  let hasNewline = false;
  let found = false;
  let commas = 0;
  for (const token of tokens) {
    switch (token.type) {
      case 'comma':
        if (!flow || commas > 0) return undefined;
        commas += 1;
        hasSpace = false;
        break;
      case 'space':
        if (token.source.includes('\t')) return undefined;
        hasSpace = true;
        break;
      case 'comment':
        if (!hasSpace) return undefined;
        break;
      case 'newline':
        hasNewline = true;
        hasSpace = true;
        break;
      default:
        if (token.type !== indicator || found) return undefined;
        found = true;
        hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  return { found, hasNewline, commas, end: last ? last.offset + last.source.length : offset };
}

/**
 * The composed node's `range[2]` when composing `token` gives no error, else undefined. The end is
 * what the enclosing map needs for its 1024-character implicit-key check.
 */
function cleanNodeEnd(token: Token, depth: number): number | undefined {
  if (depth > MAX_DEPTH) return undefined;
  switch (token.type) {
    case 'scalar':
      return plainScalarEnd(token);
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'block-scalar':
      if (token.type === 'block-scalar' && !token.props.every((prop) => prop.type === 'block-scalar-header' || prop.type === 'space' || prop.type === 'comment' || prop.type === 'newline')) {
        return undefined;
      }
      return resolvedScalarEnd(token);
    case 'block-map':
      return cleanBlockMapEnd(token, depth);
    case 'block-seq':
      return cleanBlockSeqEnd(token, depth);
    case 'flow-collection':
      return cleanFlowEnd(token, depth);
    default:
      return undefined;
  }
}

/** resolve-flow-scalar.js for a plain scalar: a reserved first character, or a comment stuck to it. */
function plainScalarEnd(token: CST.FlowScalar): number | undefined {
  if (token.source !== '' && '\t,%|>@`'.includes(token.source[0]!)) return undefined;
  return scalarEnd(token, token.offset + token.source.length);
}

/** resolve-end.js with `strict`: only spaces, newlines and comments after a space may follow a scalar. */
function scalarEnd(token: CST.FlowScalar, valueEnd: number): number | undefined {
  return endAfter(token.end ?? [], valueEnd);
}

/** Past the tokens after a node, where resolve-end.js (strict) has nothing to report; else undefined. */
function endAfter(tokens: readonly CST.SourceToken[], valueEnd: number): number | undefined {
  let end = valueEnd;
  let hasSpace = false;
  for (const after of tokens) {
    if (after.type === 'space' || after.type === 'newline') hasSpace = true;
    else if (after.type !== 'comment' || !hasSpace) return undefined;
    end += after.source.length;
  }
  return end;
}

/** Quoted and block scalars: the yaml package's own resolver, which throws where the composer reports. */
function resolvedScalarEnd(token: CST.FlowScalar | CST.BlockScalar): number | undefined {
  try {
    return CST.resolveAsScalar(token, true)?.range[2];
  } catch {
    return undefined;
  }
}

/** resolve-block-map.js for implicit single-line scalar keys, each with a `:` and a value, and trailing comment lines. */
function cleanBlockMapEnd(map: CST.BlockMap, depth: number): number | undefined {
  let offset = map.offset;
  let commentEnd: number | undefined;
  const keys = new Set<string>();
  for (const { start, key, sep, value } of map.items) {
    const keyProps = readProps(start, 'explicit-key-ind', true, offset);
    if (!keyProps || keyProps.found) return undefined;
    // Comment lines after the last entry (the composer keeps them as the map's comment).
    if (!key && !sep && !value) {
      commentEnd = keyProps.end;
      continue;
    }
    if (!key || !sep || !value) return undefined;
    if (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar') return undefined;
    if (key.indent !== map.indent || key.source.includes('\n')) return undefined;
    const keyEnd = key.type === 'scalar' ? plainScalarEnd(key) : resolvedScalarEnd(key);
    if (keyEnd === undefined || (key.end ?? []).some((token) => token.type === 'newline')) return undefined;
    // uniqueKeys compares composed values: only strings are compared here (a plain `1`, `true`, `~` or
    // `<<` resolves to something else in YAML 1.1), and a repeated one is left to the composer to report.
    const name = keyString(key);
    if (name === undefined || keys.has(name)) return undefined;
    keys.add(name);
    const valueProps = readProps(sep, 'map-value-ind', false, keyEnd);
    if (!valueProps?.found) return undefined;
    if (value.type === 'block-map' && !valueProps.hasNewline) return undefined;
    const indicator = sep.find((token) => token.type === 'map-value-ind')!;
    if (keyProps.end < indicator.offset - MAX_IMPLICIT_KEY) return undefined;
    const end = cleanNodeEnd(value, depth + 1);
    if (end === undefined) return undefined;
    offset = end;
  }
  // "Map comment with trailing content": comment lines followed by more entries.
  if (commentEnd && commentEnd < offset) return undefined;
  return commentEnd ?? offset;
}

function keyString(key: CST.FlowScalar): string | undefined {
  if (key.type !== 'scalar') return CST.resolveAsScalar(key, true)?.value;
  return isYaml11String(key.source) ? key.source : undefined;
}

/**
 * Whether a single-line plain key composes to a string: the composer's own YAML 1.1 schema decides, by
 * the same first-match test (compose-scalar.js findScalarTagByTest at a key), so `E5` (a float), `<<`
 * (a merge key) or `yes` (a bool) never pass for strings. Keys repeat from item to item: remembered.
 */
function isYaml11String(source: string): boolean {
  let known = stringKeys.get(source);
  if (known === undefined) {
    keyTests ??= new Document(null, { version: '1.1' }).schema.tags.filter((tag) => (tag.default === true || tag.default === 'key') && tag.test);
    known = !keyTests.some((tag) => tag.test!.test(source) && tag.tag !== STRING_TAG);
    if (stringKeys.size < MAX_REMEMBERED_KEYS) stringKeys.set(source, known);
  }
  return known;
}

const STRING_TAG = 'tag:yaml.org,2002:str';
const MAX_REMEMBERED_KEYS = 10_000;
const stringKeys = new Map<string, boolean>();
let keyTests: Array<{ tag: string; test?: RegExp }> | undefined;

/**
 * resolve-flow-collection.js for a flow collection on one line: `[a, "b"]` (values only) or
 * `{a: 1, "b": c}` (a key, `:` and a value each), a comma between items, no trailing comma, closed.
 */
function cleanFlowEnd(flow: CST.FlowCollection, depth: number): number | undefined {
  const isMap = flow.start.source === '{';
  const keys = new Set<string>();
  let index = 0;
  for (const { start, key, sep, value } of flow.items) {
    const props = readProps(start, 'explicit-key-ind', false, 0, true);
    if (!props || props.found || props.hasNewline || props.commas !== (index === 0 ? 0 : 1) || !value) return undefined;
    index += 1;
    if (!isFlowScalar(value) || cleanNodeEnd(value, depth + 1) === undefined || hasNewlineIn(value)) return undefined;
    if (!isMap) {
      if (key || sep) return undefined;
      continue;
    }
    if (!key || !sep || (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar')) return undefined;
    if (hasNewlineIn(key)) return undefined;
    const keyEnd = key.type === 'scalar' ? plainScalarEnd(key) : resolvedScalarEnd(key);
    if (keyEnd === undefined) return undefined;
    const name = keyString(key);
    if (name === undefined || keys.has(name)) return undefined;
    keys.add(name);
    const valueProps = readProps(sep, 'map-value-ind', false, keyEnd, true);
    if (!valueProps?.found || valueProps.hasNewline || valueProps.commas !== 0) return undefined;
  }
  const [close, ...after] = flow.end;
  if (!close || close.source !== (isMap ? '}' : ']')) return undefined;
  return endAfter(after, close.offset + close.source.length);
}

/** Nested flow collections are left to the composer (rare in manifests). */
function isFlowScalar(token: Token): boolean {
  return token.type === 'scalar' || token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar';
}

/** A newline anywhere in a flow item (its source, or after it): multi-line flow is left to the composer. */
function hasNewlineIn(token: Token): boolean {
  if (!('source' in token) || token.source.includes('\n')) return true;
  return 'end' in token && (token.end ?? []).some((after) => after.type === 'newline' || after.type === 'comment');
}

/** resolve-block-seq.js for items that each have a `-` and a value, and trailing comment lines. */
function cleanBlockSeqEnd(seq: CST.BlockSequence, depth: number): number | undefined {
  let offset = seq.offset;
  let commentEnd: number | undefined;
  for (const { start, value } of seq.items) {
    const props = readProps(start, 'seq-item-ind', true, offset);
    if (!props) return undefined;
    // Comment lines after the last item (the composer keeps them as the sequence's comment).
    if (!props.found && !value) {
      commentEnd = props.end;
      continue;
    }
    if (!props.found || !value) return undefined;
    const end = cleanNodeEnd(value, depth + 1);
    if (end === undefined) return undefined;
    offset = end;
  }
  return commentEnd ?? offset;
}
