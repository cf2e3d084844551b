// `[...new Parser().parse(text)]` without yaml's Lexer, for the plain block YAML nearly every item is.
// yaml's lexer and parser are generators that walk the text one character at a time; on a small input
// they run cold (interpreted) and cost more than the rest of a run. Here sticky regexes (run natively by
// V8) cut each line into the lexemes yaml's Lexer (yaml 2.9, dist/parse/lexer.js) would produce, and a
// plain-function copy of yaml's Parser (dist/parse/parser.js), kept to the lexemes those lines hold,
// places them. The placement is yaml's own code, not a re-derivation, so comments, blank lines and
// spaces land in the same `start`/`sep`/`end` arrays, with the same offsets and indents.
//
// The lexing is only sure for a subset: indentation with spaces, `- ` entries, plain keys, plain,
// single- and double-quoted scalars (over lines too), block scalars, one-line flow collections of
// scalars, comments, blank lines, a leading `---`. Anything else, and anything the parser copy meets
// that it does not hold (where yaml would report an error, or a state only other lexemes reach), sends
// the whole text to yaml's Parser instead: one tree from one parser, never mixed. The differential test
// (test/yaml/fast-cst*.test.ts) compares the two on the corpus, the cases and mutants, so a yaml upgrade
// that moves a token fails there.
/*!
 * The parser part follows yaml's dist/parse/parser.js (https://github.com/eemeli/yaml), under its license:
 *
 * Copyright Eemeli Aro <eemeli@gmail.com>
 *
 * Permission to use, copy, modify, and/or distribute this software for any purpose
 * with or without fee is hereby granted, provided that the above copyright notice
 * and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH
 * REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND
 * FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT,
 * INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS
 * OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER
 * TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF
 * THIS SOFTWARE.
 */
import { CST, Parser } from 'yaml';

type Token = CST.Token;
type SourceToken = CST.SourceToken;
type BlockMap = CST.BlockMap;
type BlockSequence = CST.BlockSequence;
type FlowScalar = CST.FlowScalar;
type Document = CST.Document;
type MapItem = BlockMap['items'][number];
type SeqItem = BlockSequence['items'][number];
/** What the parser copy builds on its stack. */
type Node = Document | BlockMap | BlockSequence | FlowScalar | FlowCollection | BlockScalar;
type FlowCollection = CST.FlowCollection;
type BlockScalar = CST.BlockScalar;
type LexemeType =
  | 'block-scalar-header'
  | 'flow-seq-start'
  | 'flow-seq-end'
  | 'flow-map-start'
  | 'flow-map-end'
  | 'comma'
  | 'doc-mode'
  | 'doc-start'
  | 'space'
  | 'comment'
  | 'newline'
  | 'seq-item-ind'
  | 'map-value-ind'
  | 'scalar'
  | 'single-quoted-scalar'
  | 'double-quoted-scalar';

/** Thrown where the text leaves the subset; caught once, in parseCst. */
class OutsideSubset extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

/** yaml's CST of `text`, equal to `[...new Parser().parse(text)]`. */
export function parseCst(text: string): Token[] {
  const fast = parseBlockCst(text);
  return 'tokens' in fast ? fast.tokens : [...new Parser().parse(text)];
}

/** The fast path alone: its tokens, or why the text is outside its subset (for tests and profiling). */
export function parseBlockCst(text: string): { tokens: Token[] } | { refused: string } {
  try {
    return { tokens: lexAndParse(text) };
  } catch (error) {
    if (error instanceof OutsideSubset) return { refused: error.reason };
    // Nesting past the call stack (the parser copy recurses where yaml's generators do, but not as
    // deep): yaml decides, with its own limit, as it did before.
    if (error instanceof RangeError) return { refused: 'nesting too deep' };
    throw error;
  }
}

// Tabs (indentation or separation, yaml treats them differently in each), CR (CRLF line ends), a BOM and
// other control characters all change how yaml's lexer splits a line; none appears in ordinary manifests.
const UNUSUAL_CHARACTER = /[\t\r\x00-\x08\x0b-\x1f\x7f\ufeff]/;
const SPACES = / +/y;
/** A `- ` entry indicator at block start: `-` then spaces, or `-` at the end of the line. */
const SEQ_ITEM = /-(?: +|(?=\n|$))/y;
const COMMENT = /#[^\n]*/y;
/**
 * A plain scalar on one line, ending where yaml's lexer ends it: before `: `/`:` at the end, before
 * ` #`, before trailing spaces. Its first character excludes every indicator (flow, anchor, alias, tag,
 * block scalar, quote, directive, reserved) and `-`/`?`/`:` before a space; a `-` before anything
 * else is plain (`-1`, `-Xmx`).
 */
const PLAIN = /(?:[^ \n\-?:,[\]{}#&*!|>'"%@`]|-(?=[^ \n]))(?:[^ \n:]|:(?=[^ \n]))*(?: +(?:[^ \n:#]|:(?=[^ \n]))(?:[^ \n:]|:(?=[^ \n]))*)*/y;
/** A plain scalar inside a flow sequence: as PLAIN, and it also ends at `,[]{}`. */
const FLOW_PLAIN = /(?:[^ \n\-?:,[\]{}#&*!|>'"%@`]|-(?=[^ \n,[\]{}]))(?:[^ \n:,[\]{}]|:(?=[^ \n,[\]{}]))*(?: +(?:[^ \n:#,[\]{}]|:(?=[^ \n,[\]{}]))(?:[^ \n:,[\]{}]|:(?=[^ \n,[\]{}]))*)*/y;
/** `|` or `>`, then at most one indentation digit and one chomping indicator, then a space or the line end. */
const BLOCK_SCALAR_HEADER = /[|>](?:[1-9][-+]?|[-+][1-9]?)?(?= |\n|$)/y;
/** A plain scalar's later line, after its indentation: as PLAIN, with any first character but `#`. */
const PLAIN_CONTINUATION = /(?:[^ \n:#]|:(?=[^ \n]))(?:[^ \n:]|:(?=[^ \n]))*(?: +(?:[^ \n:#]|:(?=[^ \n]))(?:[^ \n:]|:(?=[^ \n]))*)*/y;
/** Quoted scalars as yaml's lexer ends them, over lines too. */
const MULTI_LINE_SINGLE_QUOTED = /'(?:[^']|'')*'/y;
const MULTI_LINE_DOUBLE_QUOTED = /"(?:[^"\\]|\\[^])*"/y;
/** Single-line quoted scalars: `''` escapes a quote, a backslash escapes any character but a line end. */
const SINGLE_QUOTED = /'(?:[^'\n]|'')*'/y;
const DOUBLE_QUOTED = /"(?:[^"\\\n]|\\[^\n])*"/y;
/** A key's `:`: followed by a space or the end of the line. */
const MAP_VALUE = /:(?= |\n|$)/y;
/** `---` or `...` at column 0 as yaml's lexer sees them (followed by a space or the end of the line). */
const DOCUMENT_MARKER = /(?:---|\.\.\.)(?= |\n|$)/y;
const DOCUMENT_MARKER_AT = /^(?:---|\.\.\.)(?:[ \n]|$)/;

function match(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex - at : 0;
}

/** yaml's isEmpty without tabs and CR (texts holding those never get here). */
function isEmpty(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\n';
}

function lexAndParse(text: string): Token[] {
  if (UNUSUAL_CHARACTER.test(text)) throw new OutsideSubset('tab, CR, BOM or control character');
  return new LineLexer(text).run();
}

/**
 * Cuts the text into yaml Lexer's lexemes line by line and feeds them to the parser copy. Of the
 * lexer's state only `indentNext` matters here: how far a line must be indented to continue the
 * scalar above it. It is kept as the lexer keeps it.
 */
class LineLexer {
  private readonly text: string;
  private readonly parser = new BlockParser();
  /** yaml Lexer.indentNext. */
  private indentNext = 0;

  constructor(text: string) {
    this.text = text;
  }

  run(): Token[] {
    const { text, parser } = this;
    let inDocument = false;
    let position = 0;
    while (position < text.length) {
      const indent = match(SPACES, text, position);
      const first = text[position + indent];
      const isContent = first !== undefined && first !== '\n' && first !== '#';
      if (isContent && indent === 0 && match(DOCUMENT_MARKER, text, position) > 0) {
        // The lexer starts a document at `---`; a second one, or `...`, would start or end another.
        if (inDocument || first === '.') throw new OutsideSubset('document marker inside the text');
        parser.next('doc-mode', '');
        parser.next('doc-start', '---');
        inDocument = true;
        this.indentNext = 0;
        position = this.lexLineEnd(position + 3, true);
        continue;
      }
      if (isContent && !inDocument) {
        // Before its first content line yaml's lexer is in its stream state, where `%` starts a directive.
        if (first === '%') throw new OutsideSubset('directive');
        parser.next('doc-mode', '');
        inDocument = true;
      }
      // Lexer.parseLineStart (in the stream state, before the document, indentNext is 0 anyway).
      if (this.indentNext > indent && !isEmpty(text[position + indent + 1])) this.indentNext = indent;
      if (indent > 0) parser.next('space', text.slice(position, position + indent));
      position = this.lexLineBody(position + indent, indent);
    }
    return parser.end();
  }

  /** One line after its indentation: `- ` indicators, then a comment, a `key: value`, or a value. */
  private lexLineBody(position: number, indent: number): number {
    const { text, parser } = this;
    let indentValue = indent;
    for (let length = match(SEQ_ITEM, text, position); length > 0; length = match(SEQ_ITEM, text, position)) {
      parser.next('seq-item-ind', '-');
      if (length > 1) parser.next('space', text.slice(position + 1, position + length));
      this.indentNext = indentValue + 1;
      indentValue += length;
      position += length;
    }
    const ch = text[position];
    if (ch === undefined || ch === '\n' || ch === '#') return this.lexLineEnd(position, true);
    if (ch === '?' || ch === ':') throw new OutsideSubset('explicit key or value indicator at line start');
    const plain = match(PLAIN, text, position);
    if (plain > 0 && match(MAP_VALUE, text, position + plain) > 0) {
      parser.next('scalar', text.slice(position, position + plain));
      parser.next('map-value-ind', ':');
      this.indentNext = indentValue + 1;
      position += plain + 1;
      const spaces = match(SPACES, text, position);
      if (spaces > 0) parser.next('space', text.slice(position, position + spaces));
      position += spaces;
      const next = text[position];
      if (next === undefined || next === '\n' || next === '#') return this.lexLineEnd(position, spaces > 0);
    }
    // A value after `key: `, after `- `, or alone on its line (under `key:`).
    return this.lexValue(position);
  }

  /** A value (scalar, one-line flow collection, block scalar), then the end of its line. */
  private lexValue(position: number): number {
    const { text, parser } = this;
    const ch = text[position];
    if (ch === '[' || ch === '{') return this.lexAfterValue(this.lexFlowCollection(position));
    if (ch === '|' || ch === '>') return this.lexBlockScalar(position);
    if (ch === "'" || ch === '"') {
      const length = match(ch === "'" ? MULTI_LINE_SINGLE_QUOTED : MULTI_LINE_DOUBLE_QUOTED, text, position);
      if (length === 0) throw new OutsideSubset('unterminated quoted scalar');
      const end = position + length;
      // Lexer.parseQuotedScalar: every line inside must be blank or indented enough, else yaml cuts the scalar short.
      for (let nl = text.indexOf('\n', position); nl !== -1 && nl < end; nl = text.indexOf('\n', nl + 1)) {
        if (this.continueScalar(nl + 1) === -1) throw new OutsideSubset('quoted scalar with a line indented too little');
      }
      parser.next(ch === "'" ? 'single-quoted-scalar' : 'double-quoted-scalar', text.slice(position, end));
      return this.lexAfterValue(end);
    }
    const length = match(PLAIN, text, position);
    if (length === 0) throw new OutsideSubset(`value starting with ${JSON.stringify(ch)}`);
    const end = this.plainScalarEnd(position + length);
    parser.next('scalar', text.slice(position, end));
    return this.lexAfterValue(end);
  }

  /**
   * Lexer.parsePlainScalar past the scalar's first line (`end`): it goes on over blank lines to the
   * next line indented at least `indentNext` that is not a comment, up to `: `, ` #` or trailing spaces.
   */
  private plainScalarEnd(end: number): number {
    const { text } = this;
    while (true) {
      const lineEnd = end + match(SPACES, text, end);
      if (text[lineEnd] !== '\n') return end;
      if (this.indentNext === 0) throw new OutsideSubset('plain scalar at indentation 0 before a line end');
      let position = lineEnd + 1;
      let indent = match(SPACES, text, position);
      while (text[position + indent] === '\n') {
        position += indent + 1;
        indent = match(SPACES, text, position);
      }
      const ch = text[position + indent];
      if (ch === undefined || ch === '#' || indent < this.indentNext) return end;
      const more = match(PLAIN_CONTINUATION, text, position + indent);
      if (more === 0) return end;
      end = position + indent + more;
    }
  }

  /**
   * A flow collection on one line holding scalars only: `["--port=8080", "-v"]`, `{cpu: 100m, memory: 1Gi}`,
   * `[]`, `{}`, as manifests write them. Nesting, comments, keys without a value (or with `:` not followed
   * by a space), entries over several lines are left to yaml. Returns the position after the closing bracket.
   */
  private lexFlowCollection(position: number): number {
    const { text, parser } = this;
    const isMap = text[position] === '{';
    const close = isMap ? '}' : ']';
    parser.next(isMap ? 'flow-map-start' : 'flow-seq-start', text[position]!);
    position = this.lexSpaces(position + 1);
    while (text[position] !== close) {
      position = this.lexFlowScalar(position);
      if (isMap) {
        if (text[position] !== ':' || text[position + 1] !== ' ') throw new OutsideSubset('flow map key without `: `');
        parser.next('map-value-ind', ':');
        position = this.lexFlowScalar(this.lexSpaces(position + 1));
      }
      if (text[position] === ',') {
        parser.next('comma', ',');
        position = this.lexSpaces(position + 1);
      } else if (text[position] !== close) throw new OutsideSubset(`${JSON.stringify(text[position] ?? 'end of text')} in a flow collection`);
    }
    parser.next(isMap ? 'flow-map-end' : 'flow-seq-end', close);
    return position + 1;
  }

  /** A plain or one-line quoted scalar in a flow collection, and the spaces after it. */
  private lexFlowScalar(position: number): number {
    const { text, parser } = this;
    const ch = text[position];
    const length = match(ch === "'" ? SINGLE_QUOTED : ch === '"' ? DOUBLE_QUOTED : FLOW_PLAIN, text, position);
    if (length === 0) throw new OutsideSubset(`flow collection entry starting with ${JSON.stringify(ch ?? 'end of text')}`);
    parser.next(ch === "'" ? 'single-quoted-scalar' : ch === '"' ? 'double-quoted-scalar' : 'scalar', text.slice(position, position + length));
    return this.lexSpaces(position + length);
  }

  private lexSpaces(position: number): number {
    const spaces = match(SPACES, this.text, position);
    if (spaces > 0) this.parser.next('space', this.text.slice(position, position + spaces));
    return position + spaces;
  }

  /**
   * A block scalar (`|`, `>-`, `|2+`...): its header line, then its body as Lexer.parseBlockScalar cuts
   * it, statement for statement (spaces only). Returns the position after the body, at a line start.
   */
  private lexBlockScalar(position: number): number {
    const { text, parser } = this;
    const header = match(BLOCK_SCALAR_HEADER, text, position);
    if (header === 0) throw new OutsideSubset('unusual block scalar header');
    const source = text.slice(position, position + header);
    const keep = source.includes('+');
    const digit = /[1-9]/.exec(source);
    const explicitIndent = digit ? Number(digit[0]) - 1 : -1;
    parser.next('block-scalar-header', source);
    const start = this.lexLineEnd(position + header, false);
    let nl = start - 1;
    let indent = 0;
    for (let i = start; i < text.length; ++i) {
      const ch = text[i];
      if (ch === ' ') indent += 1;
      else if (ch === '\n') {
        nl = i;
        indent = 0;
      } else break;
    }
    if (indent >= this.indentNext) {
      this.indentNext = explicitIndent === -1 ? indent : explicitIndent + (this.indentNext === 0 ? 1 : this.indentNext);
      do {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1) break;
        nl = text.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = text.length;
    }
    if (!keep) {
      // Drop trailing lines that are not more indented than the body's first line.
      while (true) {
        let i = nl - 1;
        let ch = text[i];
        const lastChar = i;
        while (ch === ' ') ch = text[--i];
        if (ch === '\n' && i >= start && i + 1 + indent > lastChar) nl = i;
        else break;
      }
    }
    parser.next('scalar', text.slice(start, nl + 1));
    return Math.max(nl + 1, start);
  }

  /** Lexer.continueScalar: where the line at `offset` goes on with the scalar above, or -1 if it does not. */
  private continueScalar(offset: number): number {
    const { text } = this;
    let ch = text[offset];
    if (this.indentNext > 0) {
      let indent = 0;
      while (ch === ' ') ch = text[++indent + offset];
      return ch === '\n' || indent >= this.indentNext ? offset + indent : -1;
    }
    if ((ch === '-' || ch === '.') && DOCUMENT_MARKER_AT.test(text.slice(offset, offset + 4))) return -1;
    return offset;
  }

  /** After a value: spaces, a comment after a space, the line end. Anything else (`: `, a second scalar) leaves the subset. */
  private lexAfterValue(position: number): number {
    const spaces = match(SPACES, this.text, position);
    if (spaces > 0) this.parser.next('space', this.text.slice(position, position + spaces));
    return this.lexLineEnd(position + spaces, spaces > 0);
  }

  /**
   * Spaces, an optional comment, the newline. yaml's lexer takes a `#` right after a token for a comment
   * too (which YAML does not); that case is left to it.
   */
  private lexLineEnd(position: number, spaceBefore: boolean): number {
    const { text, parser } = this;
    const spaces = match(SPACES, text, position);
    if (spaces > 0) parser.next('space', text.slice(position, position + spaces));
    position += spaces;
    if (text[position] === '#') {
      if (!spaceBefore && spaces === 0) throw new OutsideSubset('comment without a space before it');
      const length = match(COMMENT, text, position);
      parser.next('comment', text.slice(position, position + length));
      position += length;
    }
    if (position === text.length) return position;
    if (text[position] !== '\n') throw new OutsideSubset(`${JSON.stringify(text[position])} after a value`);
    parser.next('newline', '\n');
    return position + 1;
  }
}

/**
 * yaml's Parser (dist/parse/parser.js, yaml 2.9), statement for statement, for the lexemes above only:
 * no anchors, tags, explicit keys, flow collections, block scalars or document ends. Where the original
 * yields an error token this throws, and the text goes to yaml.
 */
class BlockParser {
  private atNewLine = true;
  private indent = 0;
  private offset = 0;
  private onKeyLine = false;
  private readonly stack: Node[] = [];
  private source = '';
  private type: LexemeType = 'doc-mode';
  private readonly out: Token[] = [];

  next(type: LexemeType, source: string): void {
    this.source = source;
    this.type = type;
    if (type === 'scalar') {
      // yaml's `\x1f` lexeme: the scalar is stepped without the indentation bookkeeping below.
      this.atNewLine = false;
      this.step();
      this.offset += source.length;
      return;
    }
    this.step();
    switch (type) {
      case 'newline':
        this.atNewLine = true;
        this.indent = 0;
        break;
      case 'space':
        if (this.atNewLine && source[0] === ' ') this.indent += source.length;
        break;
      case 'map-value-ind':
      case 'seq-item-ind':
        if (this.atNewLine) this.indent += source.length;
        break;
      case 'doc-mode':
        return;
      default:
        this.atNewLine = false;
    }
    this.offset += source.length;
  }

  end(): Token[] {
    while (this.stack.length > 0) this.pop();
    return this.out;
  }

  private get sourceToken(): SourceToken {
    return { type: this.type, offset: this.offset, indent: this.indent, source: this.source } as SourceToken;
  }

  private step(): void {
    const top = this.peek(1);
    if (!top) return this.stream();
    switch (top.type) {
      case 'document':
        return this.document(top);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.scalar(top);
      case 'block-scalar':
        return this.blockScalar(top);
      case 'block-map':
        return this.blockMap(top);
      case 'block-seq':
        return this.blockSequence(top);
      case 'flow-collection':
        return this.flowCollection(top);
    }
  }

  private peek(n: number): Node | undefined {
    return this.stack[this.stack.length - n];
  }

  private pop(): void {
    const token = this.stack.pop();
    if (!token) throw new OutsideSubset('parser stack empty');
    if (this.stack.length === 0) {
      this.out.push(token);
      return;
    }
    const top = this.peek(1)!;
    // Block scalars use their parent rather than header indent; top-level flow collections none.
    if (token.type === 'block-scalar') token.indent = 'indent' in top ? top.indent : 0;
    else if (token.type === 'flow-collection' && top.type === 'document') token.indent = 0;
    if (token.type === 'flow-collection') fixFlowSeqItems(token);
    switch (top.type) {
      case 'document':
        top.value = token;
        break;
      case 'block-map': {
        const it = top.items[top.items.length - 1]!;
        if (it.value) {
          top.items.push({ start: [], key: token, sep: [] });
          this.onKeyLine = true;
          return;
        } else if (it.sep) {
          it.value = token;
        } else {
          Object.assign(it, { key: token, sep: [] });
          this.onKeyLine = !it.explicitKey;
          return;
        }
        break;
      }
      case 'block-seq': {
        const it = top.items[top.items.length - 1]!;
        if (it.value) top.items.push({ start: [], value: token });
        else it.value = token;
        break;
      }
      case 'flow-collection': {
        const it = top.items[top.items.length - 1];
        if (!it || it.value) top.items.push({ start: [], key: token, sep: [] });
        else if (it.sep) it.value = token;
        else Object.assign(it, { key: token, sep: [] });
        return;
      }
      default:
        throw new OutsideSubset(`pop into ${top.type}`);
    }
    if ((top.type === 'document' || top.type === 'block-map' || top.type === 'block-seq') && (token.type === 'block-map' || token.type === 'block-seq')) {
      const last = token.items[token.items.length - 1];
      if (
        last &&
        !('sep' in last && last.sep) &&
        !last.value &&
        last.start.length > 0 &&
        findNonEmptyIndex(last.start) === -1 &&
        (token.indent === 0 || last.start.every((st) => st.type !== 'comment' || st.indent < token.indent))
      ) {
        if (top.type === 'document') top.end = last.start;
        else (top.items as Array<MapItem | SeqItem>).push({ start: last.start });
        token.items.splice(-1, 1);
      }
    }
  }

  private stream(): void {
    switch (this.type) {
      case 'space':
      case 'comment':
      case 'newline':
        this.out.push(this.sourceToken);
        return;
      case 'doc-mode':
      case 'doc-start': {
        const doc: Document = { type: 'document', offset: this.offset, start: [] };
        if (this.type === 'doc-start') doc.start.push(this.sourceToken);
        this.stack.push(doc);
        return;
      }
    }
    throw new OutsideSubset(`${this.type} in the stream`);
  }

  private document(doc: Document): void {
    if (doc.value) return this.lineEnd(doc);
    switch (this.type) {
      case 'doc-start':
        if (findNonEmptyIndex(doc.start) !== -1) throw new OutsideSubset('second document start');
        doc.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
      case 'newline':
        doc.start.push(this.sourceToken);
        return;
    }
    const bv = this.startBlockValue(doc);
    if (!bv) throw new OutsideSubset(`${this.type} in a document`);
    this.stack.push(bv);
  }

  private scalar(scalar: FlowScalar): void {
    if (this.type === 'map-value-ind') {
      const prev = getPrevProps(this.peek(2)!);
      const start = getFirstKeyStartProps(prev);
      let sep: SourceToken[];
      if (scalar.end) {
        sep = scalar.end;
        sep.push(this.sourceToken);
        delete scalar.end;
      } else sep = [this.sourceToken];
      const map: BlockMap = { type: 'block-map', offset: scalar.offset, indent: scalar.indent, items: [{ start, key: scalar, sep }] };
      this.onKeyLine = true;
      this.stack[this.stack.length - 1] = map;
    } else this.lineEnd(scalar);
  }

  private blockScalar(scalar: BlockScalar): void {
    switch (this.type) {
      case 'space':
      case 'comment':
      case 'newline':
        scalar.props.push(this.sourceToken);
        return;
      case 'scalar':
        scalar.source = this.source;
        // block-scalar source includes trailing newline
        this.atNewLine = true;
        this.indent = 0;
        this.pop();
        return;
    }
    throw new OutsideSubset(`${this.type} in a block scalar header`);
  }

  private blockMap(map: BlockMap): void {
    const it = map.items[map.items.length - 1]!;
    switch (this.type) {
      case 'newline':
        this.onKeyLine = false;
        if (it.value) {
          const end = 'end' in it.value ? it.value.end : undefined;
          const last = Array.isArray(end) ? end[end.length - 1] : undefined;
          if (last?.type === 'comment') end?.push(this.sourceToken);
          else map.items.push({ start: [this.sourceToken] });
        } else if (it.sep) it.sep.push(this.sourceToken);
        else it.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
        if (it.value) map.items.push({ start: [this.sourceToken] });
        else if (it.sep) it.sep.push(this.sourceToken);
        else {
          if (this.atIndentedComment(it.start, map.indent)) {
            const prev = map.items[map.items.length - 2];
            const end = prev?.value && 'end' in prev.value ? prev.value.end : undefined;
            if (Array.isArray(end)) {
              end.push(...it.start);
              end.push(this.sourceToken);
              map.items.pop();
              return;
            }
          }
          it.start.push(this.sourceToken);
        }
        return;
    }
    if (this.indent >= map.indent) {
      const atMapIndent = !this.onKeyLine && this.indent === map.indent;
      const atNextItem = atMapIndent && (it.sep || it.explicitKey) && this.type !== 'seq-item-ind';
      // For empty nodes, assign newline-separated not indented empty tokens to following node
      let start: SourceToken[] = [];
      if (atNextItem && it.sep && !it.value) {
        const nl: number[] = [];
        for (let i = 0; i < it.sep.length; ++i) {
          const st = it.sep[i]!;
          switch (st.type) {
            case 'newline':
              nl.push(i);
              break;
            case 'space':
              break;
            case 'comment':
              if (st.indent > map.indent) nl.length = 0;
              break;
            default:
              nl.length = 0;
          }
        }
        if (nl.length >= 2) start = it.sep.splice(nl[1]!);
      }
      switch (this.type) {
        case 'map-value-ind':
          if (it.explicitKey) throw new OutsideSubset('explicit key');
          if (!it.sep) Object.assign(it, { key: null, sep: [this.sourceToken] });
          else if (it.value || atNextItem) map.items.push({ start, key: null, sep: [this.sourceToken] });
          else if (includesToken(it.sep, 'map-value-ind'))
            this.stack.push({ type: 'block-map', offset: this.offset, indent: this.indent, items: [{ start: [], key: null, sep: [this.sourceToken] }] });
          else it.sep.push(this.sourceToken);
          this.onKeyLine = true;
          return;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar': {
          const fs = this.flowScalar();
          if (atNextItem || it.value) {
            map.items.push({ start, key: fs, sep: [] });
            this.onKeyLine = true;
          } else if (it.sep) this.stack.push(fs);
          else {
            Object.assign(it, { key: fs, sep: [] });
            this.onKeyLine = true;
          }
          return;
        }
        default: {
          const bv = this.startBlockValue(map);
          if (bv) {
            if (bv.type === 'block-seq') {
              if (!it.explicitKey && it.sep && !includesToken(it.sep, 'newline')) throw new OutsideSubset('block sequence on the line of its key');
            } else if (atMapIndent) map.items.push({ start });
            this.stack.push(bv);
            return;
          }
        }
      }
    }
    this.pop();
    this.step();
  }

  private blockSequence(seq: BlockSequence): void {
    const it = seq.items[seq.items.length - 1]!;
    switch (this.type) {
      case 'newline':
        if (it.value) {
          const end = 'end' in it.value ? it.value.end : undefined;
          const last = Array.isArray(end) ? end[end.length - 1] : undefined;
          if (last?.type === 'comment') end?.push(this.sourceToken);
          else seq.items.push({ start: [this.sourceToken] });
        } else it.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
        if (it.value) seq.items.push({ start: [this.sourceToken] });
        else {
          if (this.atIndentedComment(it.start, seq.indent)) {
            const prev = seq.items[seq.items.length - 2];
            const end = prev?.value && 'end' in prev.value ? prev.value.end : undefined;
            if (Array.isArray(end)) {
              end.push(...it.start);
              end.push(this.sourceToken);
              seq.items.pop();
              return;
            }
          }
          it.start.push(this.sourceToken);
        }
        return;
      case 'seq-item-ind':
        if (this.indent !== seq.indent) break;
        if (it.value || includesToken(it.start, 'seq-item-ind')) seq.items.push({ start: [this.sourceToken] });
        else it.start.push(this.sourceToken);
        return;
    }
    if (this.indent > seq.indent) {
      const bv = this.startBlockValue(seq);
      if (bv) {
        this.stack.push(bv);
        return;
      }
    }
    this.pop();
    this.step();
  }

  private flowCollection(fc: FlowCollection): void {
    const it = fc.items[fc.items.length - 1];
    if (fc.end.length === 0) {
      switch (this.type) {
        case 'comma':
          if (!it || it.sep) fc.items.push({ start: [this.sourceToken] });
          else it.start.push(this.sourceToken);
          return;
        case 'map-value-ind':
          if (!it || it.value) fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
          else if (it.sep) it.sep.push(this.sourceToken);
          else Object.assign(it, { key: null, sep: [this.sourceToken] });
          return;
        case 'space':
          if (!it || it.value) fc.items.push({ start: [this.sourceToken] });
          else if (it.sep) it.sep.push(this.sourceToken);
          else it.start.push(this.sourceToken);
          return;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar': {
          const fs = this.flowScalar();
          if (!it || it.value) fc.items.push({ start: [], key: fs, sep: [] });
          else if (it.sep) this.stack.push(fs);
          else Object.assign(it, { key: fs, sep: [] });
          return;
        }
        case 'flow-map-end':
        case 'flow-seq-end':
          fc.end.push(this.sourceToken);
          return;
      }
      throw new OutsideSubset(`${this.type} in a flow collection`);
    }
    const parent = this.peek(2)!;
    if (
      parent.type === 'block-map' &&
      ((this.type === 'map-value-ind' && parent.indent === fc.indent) || (this.type === 'newline' && !parent.items[parent.items.length - 1]!.sep))
    ) {
      this.pop();
      this.step();
    } else if (this.type === 'map-value-ind' && parent.type !== 'flow-collection') {
      throw new OutsideSubset('flow collection as a key');
    } else this.lineEnd(fc);
  }

  private flowScalar(): FlowScalar {
    return { type: this.type, offset: this.offset, indent: this.indent, source: this.source } as FlowScalar;
  }

  private startBlockValue(parent: Node): Node | null {
    switch (this.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.flowScalar();
      case 'block-scalar-header':
        return { type: 'block-scalar', offset: this.offset, indent: this.indent, props: [this.sourceToken], source: '' };
      case 'flow-map-start':
      case 'flow-seq-start':
        return { type: 'flow-collection', offset: this.offset, indent: this.indent, start: this.sourceToken, items: [], end: [] };
      case 'seq-item-ind':
        return { type: 'block-seq', offset: this.offset, indent: this.indent, items: [{ start: [this.sourceToken] }] };
      case 'map-value-ind': {
        this.onKeyLine = true;
        const prev = getPrevProps(parent);
        const start = getFirstKeyStartProps(prev);
        return { type: 'block-map', offset: this.offset, indent: this.indent, items: [{ start, key: null, sep: [this.sourceToken] }] };
      }
    }
    return null;
  }

  private atIndentedComment(start: readonly SourceToken[], indent: number): boolean {
    if (this.type !== 'comment') return false;
    if (this.indent <= indent) return false;
    return start.every((st) => st.type === 'newline' || st.type === 'space');
  }

  private lineEnd(token: Document | FlowScalar | FlowCollection): void {
    switch (this.type) {
      case 'comma':
      case 'doc-start':
      case 'flow-seq-end':
      case 'flow-map-end':
      case 'map-value-ind':
        this.pop();
        this.step();
        break;
      default:
        // A newline, a space or a comment; all other values are errors.
        if (this.type === 'newline') this.onKeyLine = false;
        if (token.end) token.end.push(this.sourceToken);
        else token.end = [this.sourceToken];
        if (this.type === 'newline') this.pop();
    }
  }
}

function includesToken(list: readonly SourceToken[], type: SourceToken['type']): boolean {
  for (let i = 0; i < list.length; ++i) if (list[i]!.type === type) return true;
  return false;
}

function findNonEmptyIndex(list: readonly SourceToken[]): number {
  for (let i = 0; i < list.length; ++i) {
    switch (list[i]!.type) {
      case 'space':
      case 'comment':
      case 'newline':
        break;
      default:
        return i;
    }
  }
  return -1;
}

function getPrevProps(parent: Node): SourceToken[] {
  switch (parent.type) {
    case 'document':
      return parent.start;
    case 'block-map': {
      const it = parent.items[parent.items.length - 1]!;
      return it.sep ?? it.start;
    }
    case 'block-seq':
      return parent.items[parent.items.length - 1]!.start;
    default:
      return [];
  }
}

/** A flow sequence's `key`-only items become `value` items (yaml's fixFlowSeqItems). */
function fixFlowSeqItems(fc: FlowCollection): void {
  if (fc.start.type !== 'flow-seq-start') return;
  for (const it of fc.items) {
    if (it.sep && !it.value && !includesToken(it.start, 'explicit-key-ind') && !includesToken(it.sep, 'map-value-ind')) {
      const item = it as { key?: Token | null; value?: Token; sep?: SourceToken[] };
      if (item.key) item.value = item.key;
      delete item.key;
      if (isFlowToken(item.value)) {
        if (item.value.end) item.value.end.push(...it.sep);
        else item.value.end = it.sep;
      } else it.start.push(...it.sep);
      delete item.sep;
    }
  }
}

function isFlowToken(token: Token | undefined): token is FlowScalar | FlowCollection {
  switch (token?.type) {
    case 'alias':
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'flow-collection':
      return true;
    default:
      return false;
  }
}

/** Note: modifies `prev`, as yaml's does. */
function getFirstKeyStartProps(prev: SourceToken[]): SourceToken[] {
  if (prev.length === 0) return [];
  let i = prev.length;
  loop: while (--i >= 0) {
    switch (prev[i]!.type) {
      case 'doc-start':
      case 'explicit-key-ind':
      case 'map-value-ind':
      case 'seq-item-ind':
      case 'newline':
        break loop;
    }
  }
  while (prev[++i]?.type === 'space') {
    /* loop */
  }
  return prev.splice(i, prev.length);
}
