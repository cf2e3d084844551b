// Reads one item chunk: who it is (apiVersion, kind, name, namespace, orchestrator annotations), where
// its images are, and how to add the pull Secret to each of its pod specs, all as offsets into the
// chunk text. The CST is dropped when this returns.
import { Parser, type CST } from 'yaml';
import type { FieldSpec } from '../config/config.js';
import { InputError } from '../errors.js';
import { imageFieldPathsFor, podSpecPathsFor, POD_SPEC_IMAGE_PATHS } from '../images/locations.js';
import {
  endOffset,
  findDuplicateKeys,
  findErrorToken,
  isMapToken,
  isSeqToken,
  mapGet,

  readScalar,
  type MapToken,
  type Token,
} from '../yaml/cst-read.js';
import { resolveFieldPath } from '../yaml/field-path.js';
import { formatScalar, isPlainSafe, type ScalarStyle } from '../yaml/scalar-format.js';
import type { Splice } from '../yaml/splice.js';

export type SiteStyle = ScalarStyle | 'block-scalar' | 'alias' | 'not-a-string';

export interface ImageSite {
  /** The string value; undefined where the field holds no plain or quoted scalar. */
  value: string | undefined;
  fieldPath: string;
  start: number;
  end: number;
  style: SiteStyle;
  /** Index into `podSpecs`, or undefined for a configured image field outside a pod spec. */
  podSpec: number | undefined;
}

export interface PodSpecSite {
  fieldPath: string;
  /** The edit that appends the pull Secret reference; undefined when it is already there. */
  addPullSecret: Splice | undefined;
}

export interface ItemAnnotations {
  path?: string;
  index?: string;
  legacyPath?: string;
  legacyIndex?: string;
  generatedBy?: string;
}

export interface ScannedItem {
  isObject: boolean;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  annotations: ItemAnnotations;
  /** Annotations the orchestrators own (kpt, kustomize), in order, for regenerated items. */
  orchestratorAnnotations: Array<[string, string]>;
  images: ImageSite[];
  podSpecs: PodSpecSite[];
  /** For a v1 ServiceAccount: the edit that references the pull Secret (undefined when it already does). */
  serviceAccount: { addPullSecret: Splice | undefined } | undefined;
  /** Structural problems that make editing this item unsafe (duplicate keys, YAML errors). */
  problems: string[];
}

export interface ScanOptions {
  pullSecretName: string;
  imageFields: readonly FieldSpec[];
}

/** A chunk is a ResourceList item (one entry of a block sequence, or a flow node) or a stream document. */
export type ChunkKind = 'item' | 'document';

/** Lists whose entries name an image: a duplicate `image` key there would make the value ambiguous. */
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

export const GENERATED_BY_ANNOTATION = 'registry-proxy.dev/generated-by';

export function scanItem(chunk: string, options: ScanOptions, chunkKind: ChunkKind = 'item'): ScannedItem {
  const item: ScannedItem = {
    isObject: false,
    apiVersion: '',
    kind: '',
    name: '',
    namespace: undefined,
    annotations: {},
    orchestratorAnnotations: [],
    images: [],
    podSpecs: [],
    serviceAccount: undefined,
    problems: [],
  };
  const root = parseChunkRoot(chunk, chunkKind);
  if (!isMapToken(root)) return item;
  item.isObject = true;
  item.apiVersion = readScalar(mapGet(root, 'apiVersion')) ?? '';
  item.kind = readScalar(mapGet(root, 'kind')) ?? '';
  const metadata = mapGet(root, 'metadata');
  item.name = readScalar(mapGet(metadata, 'name')) ?? '';
  item.namespace = readScalar(mapGet(metadata, 'namespace')) || undefined;
  item.annotations = readAnnotations(mapGet(metadata, 'annotations'));
  if (item.annotations.generatedBy !== undefined) item.orchestratorAnnotations = readOrchestratorAnnotations(mapGet(metadata, 'annotations'));
  for (const map of [root, metadata]) {
    if (isMapToken(map)) reportDuplicates(map, map === root ? '' : 'metadata', item.problems);
  }
  if (item.kind === 'ServiceAccount' && item.apiVersion === 'v1') {
    item.serviceAccount = { addPullSecret: planPullSecretEdit(chunk, root, options.pullSecretName) };
  }
  const { paths, requireContainers } = podSpecPathsFor(item.apiVersion, item.kind);
  for (const path of paths) {
    for (const podSpec of resolveFieldPath(root, path)) {
      if (!isMapToken(podSpec.token)) continue;
      if (requireContainers && !isSeqToken(mapGet(podSpec.token, 'containers'))) continue;
      reportDuplicates(podSpec.token, podSpec.fieldPath, item.problems);
      for (const list of CONTAINER_LISTS) {
        for (const container of resolveFieldPath(podSpec.token, `${list}[]`, podSpec.fieldPath)) {
          if (isMapToken(container.token)) reportDuplicates(container.token, container.fieldPath, item.problems);
        }
      }
      const index = item.podSpecs.length;
      item.podSpecs.push({
        fieldPath: podSpec.fieldPath,
        addPullSecret: planPullSecretEdit(chunk, podSpec.token, options.pullSecretName),
      });
      for (const imagePath of POD_SPEC_IMAGE_PATHS) {
        for (const match of resolveFieldPath(podSpec.token, imagePath, podSpec.fieldPath)) {
          if (match.token) item.images.push(describeSite(match.token, match.fieldPath, index));
        }
      }
    }
  }
  for (const path of imageFieldPathsFor(item.apiVersion, item.kind, options.imageFields)) {
    for (const match of resolveFieldPath(root, path)) {
      if (!match.token || item.images.some((site) => site.start === match.token!.offset)) continue;
      item.images.push(describeSite(match.token, match.fieldPath, undefined));
    }
  }
  return item;
}

/** The item's own node: the one entry of a block sequence chunk, or a flow node. */
function parseChunkRoot(chunk: string, chunkKind: ChunkKind): Token | undefined {
  let root: Token | undefined;
  for (const token of new Parser().parse(chunk)) {
    const error = findErrorToken(token);
    if (error) throw new InputError('input', `input is not valid YAML: ${error.message.split('\n')[0] ?? ''}`, undefined, error.offset);
    if (token.type !== 'document' || root !== undefined) continue;
    const value = token.value;
    if (value?.type === 'block-seq' && chunkKind === 'item') root = value.items[0]?.value;
    else root = value;
  }
  return root;
}

function readAnnotations(annotations: Token | undefined): ItemAnnotations {
  const result: ItemAnnotations = {};
  if (!isMapToken(annotations)) return result;
  const wanted: Record<string, keyof ItemAnnotations> = {
    'internal.config.kubernetes.io/path': 'path',
    'internal.config.kubernetes.io/index': 'index',
    'config.kubernetes.io/path': 'legacyPath',
    'config.kubernetes.io/index': 'legacyIndex',
    [GENERATED_BY_ANNOTATION]: 'generatedBy',
  };
  for (const entry of annotations.items) {
    const key = readScalar(entry.key);
    const field = key === undefined ? undefined : wanted[key];
    if (field) result[field] = readScalar(entry.value) ?? '';
  }
  return result;
}

const ORCHESTRATOR_PREFIXES = ['internal.config.kubernetes.io/', 'config.kubernetes.io/', 'config.k8s.io/', 'kustomize.config.k8s.io/'];

function readOrchestratorAnnotations(annotations: Token | undefined): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  if (!isMapToken(annotations)) return result;
  for (const entry of annotations.items) {
    const key = readScalar(entry.key);
    if (key !== undefined && ORCHESTRATOR_PREFIXES.some((prefix) => key.startsWith(prefix))) result.push([key, readScalar(entry.value) ?? '']);
  }
  return result;
}

function reportDuplicates(map: MapToken, fieldPath: string, problems: string[]): void {
  for (const key of findDuplicateKeys(map)) {
    problems.push(`duplicate key "${key}" in ${fieldPath === '' ? 'the object' : fieldPath}`);
  }
}

function describeSite(token: Token, fieldPath: string, podSpec: number | undefined): ImageSite {
  const base = { fieldPath, start: token.offset, podSpec };
  switch (token.type) {
    case 'scalar': {
      // A plain `1234` or `true` is not a string to Kubernetes: the API server rejects it as an image.
      const value = readScalar(token);
      const style = value !== undefined && value !== '' && !isPlainSafe(value) ? 'not-a-string' : 'plain';
      return { ...base, value: style === 'plain' ? value : undefined, end: token.offset + token.source.length, style };
    }
    case 'double-quoted-scalar':
      return { ...base, value: readScalar(token), end: token.offset + token.source.length, style: 'double' };
    case 'single-quoted-scalar':
      return { ...base, value: readScalar(token), end: token.offset + token.source.length, style: 'single' };
    case 'block-scalar':
      return { ...base, value: readScalar(token), end: endOffset(token), style: 'block-scalar' };
    case 'alias':
      return { ...base, value: undefined, end: token.offset + token.source.length, style: 'alias' };
    default:
      return { ...base, value: undefined, end: token.offset, style: 'not-a-string' };
  }
}

/**
 * The smallest edit that appends `{name: <secret>}` to a pod spec's imagePullSecrets, in the style
 * around it: block or flow, compact (`- ` under the key) or indented lists, JSON quoting in JSON.
 */
function planPullSecretEdit(chunk: string, podSpec: MapToken, secretName: string): Splice | undefined {
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

