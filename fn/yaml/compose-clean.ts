// Whether composing a chunk's CST (`new Composer({ version: '1.1', uniqueKeys: true })`) is sure to
// report no error, decided from the tokens alone. Composing builds a node for every scalar and costs
// about a quarter of a run; nearly every item is plain block YAML where the composer's checks come down
// to a few the CST can answer. This mirrors the composer (yaml 2.x compose/resolve-*.js) only for that
// subset: block maps with single-line scalar keys, block sequences, scalars, no anchors, tags, aliases,
// multi-line or nested flow collections, explicit keys, empty values, tabs or directives. Anything else answers false, and
// the caller composes as before, so every error still comes from the composer, word for word.
import { CST, Document } from 'yaml';
import { readScalar } from './cst-read.js';

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
  /** Offset of the indicator, when found. */
  at: number;
}

/** readProps' answer, reused: it runs twice per map entry, and an object per call is most of the garbage here. */
const answer: Props = { found: false, hasNewline: false, commas: 0, end: 0, at: 0 };

/**
 * resolve-props.js for tokens holding only spaces, newlines, comments and at most one `indicator`:
 * undefined wherever that function could report an error or where anything else is present. The
 * answer is valid until the next call.
 */
function readProps(tokens: readonly CST.SourceToken[], indicator: string, startOnNewline: boolean, offset = 0, flow = false): Props | undefined {
  let hasSpace = startOnNewline;
  let hasNewline = false;
  let found = false;
  let at = 0;
  let commas = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
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
        at = token.offset;
        hasSpace = false;
    }
  }
  const last = tokens[tokens.length - 1];
  answer.found = found;
  answer.hasNewline = hasNewline;
  answer.commas = commas;
  answer.end = last ? last.offset + last.source.length : offset;
  answer.at = at;
  return answer;
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
  if (token.source !== '' && isReservedStart(token.source.charCodeAt(0))) return undefined;
  return scalarEnd(token, token.offset + token.source.length);
}

/** `\t , % | > @ \``: what plainValue refuses at the start of a plain scalar. */
function isReservedStart(code: number): boolean {
  return code === 0x09 || code === 0x2c || code === 0x25 || code === 0x7c || code === 0x3e || code === 0x40 || code === 0x60;
}

/** resolve-end.js with `strict`: only spaces, newlines and comments after a space may follow a scalar. */
function scalarEnd(token: CST.FlowScalar, valueEnd: number): number | undefined {
  return endAfter(token.end ?? [], valueEnd);
}

/** Past the tokens after a node, where resolve-end.js (strict) has nothing to report; else undefined. */
function endAfter(tokens: readonly CST.SourceToken[], valueEnd: number): number | undefined {
  let end = valueEnd;
  let hasSpace = false;
  for (let index = 0; index < tokens.length; index++) {
    const after = tokens[index]!;
    if (after.type === 'space' || after.type === 'newline') hasSpace = true;
    else if (after.type !== 'comment' || !hasSpace) return undefined;
    end += after.source.length;
  }
  return end;
}

/** Quoted and block scalars: the yaml package's own resolver, which throws where the composer reports. */
function resolvedScalarEnd(token: CST.FlowScalar | CST.BlockScalar): number | undefined {
  // A quoted scalar with its closing quote (and, double-quoted, no escape) is one the resolver reports
  // nothing on but what follows it (resolve-flow-scalar.js, resolve-end.js): no value built to know that.
  if (token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar') {
    const { source } = token;
    const quote = token.type === 'single-quoted-scalar' ? "'" : '"';
    if (source.length > 1 && source[source.length - 1] === quote && (quote === "'" || !source.includes('\\'))) {
      return endAfter(token.end ?? [], token.offset + source.length);
    }
  }
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
  const { items } = map;
  for (let index = 0; index < items.length; index++) {
    const { start, key, sep, value } = items[index]!;
    const keyProps = readProps(start, 'explicit-key-ind', true, offset);
    if (!keyProps || keyProps.found) return undefined;
    // Comment lines after the last entry (the composer keeps them as the map's comment).
    if (!key && !sep && !value) {
      commentEnd = keyProps.end;
      continue;
    }
    if (!key || !sep || !value) return undefined;
    const keyPropsEnd = keyProps.end;
    if (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar') return undefined;
    if (key.indent !== map.indent || key.source.includes('\n')) return undefined;
    const keyEnd = key.type === 'scalar' ? plainScalarEnd(key) : resolvedScalarEnd(key);
    if (keyEnd === undefined || hasNewlineToken(key.end)) return undefined;
    // uniqueKeys compares composed values: only strings are compared here (a plain `1`, `true`, `~` or
    // `<<` resolves to something else in YAML 1.1), and a repeated one is left to the composer to report.
    const name = keyString(key);
    if (name === undefined || keys.has(name)) return undefined;
    keys.add(name);
    const valueProps = readProps(sep, 'map-value-ind', false, keyEnd);
    if (!valueProps?.found) return undefined;
    if (value.type === 'block-map' && !valueProps.hasNewline) return undefined;
    if (keyPropsEnd < valueProps.at - MAX_IMPLICIT_KEY) return undefined;
    const end = cleanNodeEnd(value, depth + 1);
    if (end === undefined) return undefined;
    offset = end;
  }
  // "Map comment with trailing content": comment lines followed by more entries.
  if (commentEnd && commentEnd < offset) return undefined;
  return commentEnd ?? offset;
}

function hasNewlineToken(tokens: readonly CST.SourceToken[] | undefined): boolean {
  if (tokens) for (let index = 0; index < tokens.length; index++) if (tokens[index]!.type === 'newline') return true;
  return false;
}

function keyString(key: CST.FlowScalar): string | undefined {
  // A quoted key the resolver has accepted already (resolvedScalarEnd): readScalar's value is its value.
  if (key.type !== 'scalar') return readScalar(key);
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
  const { items } = flow;
  for (let index = 0; index < items.length; index++) {
    const { start, key, sep, value } = items[index]!;
    const props = readProps(start, 'explicit-key-ind', false, 0, true);
    if (!props || props.found || props.hasNewline || props.commas !== (index === 0 ? 0 : 1) || !value) return undefined;
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
  if (!('end' in token) || token.end === undefined) return false;
  for (let index = 0; index < token.end.length; index++) {
    const type = token.end[index]!.type;
    if (type === 'newline' || type === 'comment') return true;
  }
  return false;
}

/** resolve-block-seq.js for items that each have a `-` and a value, and trailing comment lines. */
function cleanBlockSeqEnd(seq: CST.BlockSequence, depth: number): number | undefined {
  let offset = seq.offset;
  let commentEnd: number | undefined;
  const { items } = seq;
  for (let index = 0; index < items.length; index++) {
    const { start, value } = items[index]!;
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
