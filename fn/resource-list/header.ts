// The ResourceList without its items: apiVersion, kind and functionConfig, read with the full YAML
// 1.1 semantics (this part is small; the items never go through here).
import { isAlias, isNode, isScalar, parseDocument, visit, type Document } from 'yaml';
import { InputError } from '../errors.js';
import { composeDocuments } from '../yaml/compose-documents.js';

export const RESOURCE_LIST_API_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1', 'config.kubernetes.io/v1alpha1'];

/** Limits expansion of YAML aliases: a few legitimate anchors are fine, a billion laughs is not. */
export const MAX_ALIAS_COUNT = 100;

export interface ResourceListHeader {
  apiVersion: string;
  functionConfig: unknown;
}

/**
 * The header, checked as a whole: `expectedItems` is how many `{}` stand-ins a flow list holds (a block
 * list is cut out entirely), so a line that parses as part of the header, not of an item (a mis-indented
 * `  kind: ConfigMap` under `items:`), is an error instead of a silent loss.
 */
export function readHeader(headerText: string, expectedItems = 0): ResourceListHeader {
  const all = composeDocuments(headerText, { version: '1.1', uniqueKeys: true });
  const error = all.flatMap((document) => document.errors)[0];
  if (error) throw new InputError('input', `input is not valid YAML: ${error.message.split('\n')[0] ?? ''}`);
  // Empty documents (`---` then `---`) are nothing: YAML readers skip them too.
  const content = all.filter((document) => !isEmptyDocument(document));
  if (content.length > 1) throw new InputError('input', 'expected one ResourceList document, found several');
  const document = content[0];
  if (document === undefined) throw new InputError('input', 'input is empty: expected a ResourceList');
  const value = toPlainData(document, 'input');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('input', 'input is not a ResourceList: expected a map with apiVersion, kind and items');
  }
  const record = value as Record<string, unknown>;
  if (record['kind'] !== 'ResourceList') {
    throw new InputError('input', `input is not a ResourceList (kind is ${JSON.stringify(record['kind'] ?? null)})`);
  }
  const apiVersion = record['apiVersion'];
  if (typeof apiVersion !== 'string' || !RESOURCE_LIST_API_VERSIONS.includes(apiVersion)) {
    throw new InputError('input', `unsupported ResourceList apiVersion ${JSON.stringify(apiVersion ?? null)}: expected ${RESOURCE_LIST_API_VERSIONS.join(', ')}`);
  }
  const items = record['items'];
  const count = items === null || items === undefined ? 0 : Array.isArray(items) ? items.length : -1;
  if (count !== expectedItems) {
    throw new InputError('input', 'input is not valid YAML: the items list holds lines that belong to no item (check the indentation under items:)', 'items');
  }
  return { apiVersion, functionConfig: record['functionConfig'] };
}

/** A document with nothing in it (`---` right before the next `---`): not even a `~`. */
export function isEmptyDocument(document: Document): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value === null && contents.source === '');
}

/**
 * A document as plain data, with aliases expanded under a bound: an alias without an anchor or an alias
 * bomb is the user's input problem, said in a user's words (`what` names the input or the file).
 */
export function toPlainData(document: Document, what: string): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const alias = /^Unresolved alias[^:]*: (.*)$/.exec(message.split('\n')[0] ?? '');
    if (alias) throw new InputError('input', `${what} is not valid YAML: the alias *${alias[1] ?? ''} has no anchor (&${alias[1] ?? ''}) before it`);
    if (/alias count/i.test(message)) throw new InputError('limits', `${what} is not usable: its aliases expand to too much data (more than ${MAX_ALIAS_COUNT} alias uses)`);
    if (/call stack/i.test(message)) throw new InputError('limits', `${what} nests too deeply to be a Kubernetes object`);
    throw new InputError('input', `${what} is not usable: ${message.split('\n')[0] ?? ''}`);
  }
}

/** A small item (the vendor's Application) read as plain data. */
export function readItemValue(chunk: string): unknown {
  const document = parseDocument(chunk, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) return undefined;
  const value: unknown = toPlainData(document, 'an item');
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The aliases of an item that composed cleanly: each must follow its anchor, and all of them together
 * must not expand past the bound (an alias bomb). The hot path never expands items; this runs only on a
 * chunk with a `*` in it that holds an alias node.
 */
export function checkItemAliases(document: Document.Parsed, isEarlierAnchor: (name: string) => boolean = () => false): void {
  const anchors = new Set<string>();
  let firstAlias: number | undefined;
  let outer = false;
  let unresolved: { name: string; offset: number } | undefined;
  visit(document, (_, node) => {
    if (isAlias(node)) {
      firstAlias ??= node.range?.[0] ?? 0;
      if (anchors.has(node.source)) return undefined;
      // Anchors are the document's: an item may refer to one set in an earlier item.
      if (isEarlierAnchor(node.source)) outer = true;
      else unresolved = { name: node.source, offset: node.range?.[0] ?? 0 };
      return unresolved ? visit.BREAK : undefined;
    }
    if (isNode(node) && node.anchor) anchors.add(node.anchor);
    return undefined;
  });
  if (unresolved) {
    throw new InputError('input', `input is not valid YAML: the alias *${unresolved.name} has no anchor (&${unresolved.name}) before it`, undefined, unresolved.offset);
  }
  // An item that leans on another's anchor cannot be expanded alone; this function never expands it.
  if (firstAlias === undefined || outer) return;
  try {
    toPlainData(document, 'an item');
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.code, error.message, undefined, firstAlias);
    throw error;
  }
}
