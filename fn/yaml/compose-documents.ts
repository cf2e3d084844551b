// yaml's parseAllDocuments, on the CST of parseCst (fast-cst.ts: the tokens yaml's Parser gives, without
// its lexer for plain block YAML), composed by yaml's own Composer. It is parseAllDocuments with
// `prettyErrors: false` (no line counter): errors keep yaml's plain messages; an empty stream is [].
import { Composer, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { parseCst } from './fast-cst.js';

export type ComposeOptions = ParseOptions & DocumentOptions & SchemaOptions;

export function composeDocuments(text: string, options: ComposeOptions): Document.Parsed[] {
  return Array.from(new Composer(options).compose(parseCst(text)));
}
