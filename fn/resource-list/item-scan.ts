// Reads one item chunk: checks it is valid YAML, then who it is (apiVersion, kind, name, namespace,
// orchestrator annotations), where its images are, and how to add the pull Secret to each of its pod
// specs. The chunk is parsed alone, but every offset this returns (image sites, edits, errors) is in the
// coordinates of the whole input (ScanOptions.offset), so the writer applies them as they are. The CST
// is dropped when this returns.
import { Composer } from 'yaml';
import type { FieldSpec } from '../config/config.js';
import { InputError } from '../errors.js';
import { imageFieldPathsFor, isNeverTouched, podSpecPathsFor, POD_SPEC_IMAGE_PATHS } from '../images/locations.js';
import {
  endOffset,
  findErrorToken,
  isMapToken,
  isSeqToken,
  mapGet,
  readScalar,
  type MapToken,
  type SeqToken,
  type Token,
} from '../yaml/cst-read.js';
import { isComposeClean } from '../yaml/compose-clean.js';
import { parseCst } from '../yaml/fast-cst.js';
import { resolveFieldPath } from '../yaml/field-path.js';
import { isPlainString } from '../yaml/plain-scalar-type.js';
import type { ScalarStyle } from '../yaml/scalar-format.js';
import type { Splice } from '../yaml/splice.js';
import { checkItemAliases } from './header.js';
import { planPullSecretEdit } from './pull-secret-edit.js';

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

/** One Kubernetes object: an item, or an object inside an item that is a List. Offsets are into the whole input. */
export interface ScannedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  images: ImageSite[];
  podSpecs: PodSpecSite[];
  /** For a v1 ServiceAccount: the edit that references the pull Secret (undefined when it already does). */
  serviceAccount: { addPullSecret: Splice | undefined } | undefined;
  /** Where the object sits in its item: '' for the item itself, `items[0]` (or `items[0].items[1]`) in a List. */
  basePath: string;
}

export interface ScannedItem extends ScannedObject {
  isObject: boolean;
  annotations: ItemAnnotations;
  /** Annotations the orchestrators own (kpt, kustomize), in order, for regenerated items. */
  orchestratorAnnotations: Array<[string, string]>;
  /**
   * For a List (`v1 List`, any `*List` kind with `items`): its objects, nested Lists' included, each an
   * object in its own right with field paths from the List's root (`items[0].spec…`). The List itself
   * then has no images of its own.
   */
  listed: ScannedObject[];
}

export interface ScanOptions {
  pullSecretName: string;
  imageFields: readonly FieldSpec[];
  /** Whether an anchor of that name comes before the chunk in the same document (an earlier item). */
  isEarlierAnchor?: (name: string) => boolean;
  /** Where the chunk starts in the whole input; absent, 0 (a chunk read on its own). */
  offset?: number;
}

/** A chunk is a ResourceList item (one entry of a block sequence, or a flow node) or a stream document. */
export type ChunkKind = 'item' | 'document';

export const GENERATED_BY_ANNOTATION = 'registry-proxy.dev/generated-by';

export function scanItem(chunk: string, options: ScanOptions, chunkKind: ChunkKind = 'item'): ScannedItem {
  const item: ScannedItem = {
    ...emptyObject(),
    isObject: false,
    annotations: {},
    orchestratorAnnotations: [],
    listed: [],
  };
  const base = options.offset ?? 0;
  const root = parseChunkRoot(chunk, chunkKind, base, options.isEarlierAnchor);
  if (!isMapToken(root)) return item;
  item.isObject = true;
  const metadata = readIdentity(root, item);
  const annotations = mapGet(metadata, 'annotations');
  item.annotations = readAnnotations(annotations);
  if (item.annotations.generatedBy !== undefined) item.orchestratorAnnotations = readOrchestratorAnnotations(annotations);
  const listItems = listItemsOf(root, item);
  const scan: ChunkScan = { chunk, base, options };
  if (listItems) walkList(scan, listItems, 'items', item.listed);
  else scanObject(scan, root, '', item);
  return item;
}

/** The chunk being read, where it starts in the whole input, and what to look for. */
interface ChunkScan {
  chunk: string;
  base: number;
  options: ScanOptions;
}

function emptyObject(): ScannedObject {
  return { apiVersion: '', kind: '', name: '', namespace: undefined, images: [], podSpecs: [], serviceAccount: undefined, basePath: '' };
}

/** apiVersion, kind, name and namespace; returns the metadata for what else is read from it. */
function readIdentity(root: MapToken, object: ScannedObject): Token | undefined {
  object.apiVersion = readScalar(mapGet(root, 'apiVersion')) ?? '';
  object.kind = readScalar(mapGet(root, 'kind')) ?? '';
  const metadata = mapGet(root, 'metadata');
  object.name = readScalar(mapGet(metadata, 'name')) ?? '';
  object.namespace = readScalar(mapGet(metadata, 'namespace')) || undefined;
  return metadata;
}

/**
 * The `items` of a List as kubectl and kustomize expand them: a kind ending in `List` with an `items`
 * sequence (`v1 List`, `DeploymentList`, `ConfigMapList`, …).
 */
function listItemsOf(root: MapToken, object: ScannedObject): SeqToken | undefined {
  if (!object.kind.endsWith('List') || isNeverTouched(object.apiVersion, object.kind)) return undefined;
  const items = mapGet(root, 'items');
  return isSeqToken(items) ? items : undefined;
}

/** Every object of a List, nested Lists' too (kubectl and kustomize flatten those as well). */
function walkList(scan: ChunkScan, items: SeqToken, basePath: string, into: ScannedObject[]): void {
  items.items.forEach((entry, index) => {
    if (!isMapToken(entry.value)) return;
    const path = `${basePath}[${index}]`;
    const object = emptyObject();
    object.basePath = path;
    readIdentity(entry.value, object);
    const nested = listItemsOf(entry.value, object);
    if (nested) {
      walkList(scan, nested, `${path}.items`, into);
      return;
    }
    scanObject(scan, entry.value, path, object);
    into.push(object);
  });
}

/** Images, pod specs and the ServiceAccount edit of one object whose root is at `basePath`. */
function scanObject(scan: ChunkScan, root: MapToken, basePath: string, object: ScannedObject): void {
  const { options } = scan;
  if (object.kind === 'ServiceAccount' && object.apiVersion === 'v1') {
    object.serviceAccount = { addPullSecret: planPullSecret(scan, root) };
  }
  const { paths, requireContainers } = podSpecPathsFor(object.apiVersion, object.kind);
  for (const path of paths) {
    for (const podSpec of resolveFieldPath(root, path, basePath)) {
      if (!isMapToken(podSpec.token)) continue;
      if (requireContainers && !isSeqToken(mapGet(podSpec.token, 'containers'))) continue;
      const index = object.podSpecs.length;
      object.podSpecs.push({
        fieldPath: podSpec.fieldPath,
        addPullSecret: planPullSecret(scan, podSpec.token),
      });
      for (const imagePath of POD_SPEC_IMAGE_PATHS) {
        for (const match of resolveFieldPath(podSpec.token, imagePath, podSpec.fieldPath)) {
          if (match.token) object.images.push(describeSite(match.token, match.fieldPath, index, scan.base));
        }
      }
    }
  }
  for (const path of imageFieldPathsFor(object.apiVersion, object.kind, options.imageFields)) {
    for (const match of resolveFieldPath(root, path, basePath)) {
      if (!match.token || object.images.some((site) => site.start === scan.base + match.token!.offset)) continue;
      object.images.push(describeSite(match.token, match.fieldPath, undefined, scan.base));
    }
  }
}

/** The pull Secret edit of a pod spec or ServiceAccount, planned on the chunk, placed in the whole input. */
function planPullSecret(scan: ChunkScan, map: MapToken): Splice | undefined {
  const splice = planPullSecretEdit(scan.chunk, map, scan.options.pullSecretName);
  return splice && { ...splice, start: scan.base + splice.start, end: scan.base + splice.end };
}

/** The item and, for a List, the objects in it: what images, pull Secrets and results are about. */
export function objectsOf(item: ScannedItem): ScannedObject[] {
  return item.listed.length === 0 ? [item] : [item, ...item.listed];
}

/** The item's own node: the one entry of a block sequence chunk, or a flow node. */
function parseChunkRoot(chunk: string, chunkKind: ChunkKind, base: number, isEarlierAnchor?: (name: string) => boolean): Token | undefined {
  try {
    return readChunkRoot(chunk, chunkKind, isEarlierAnchor);
  } catch (error) {
    if (error instanceof InputError && error.offset !== undefined) throw new InputError(error.code, error.message, error.field, base + error.offset);
    throw error;
  }
}

function readChunkRoot(chunk: string, chunkKind: ChunkKind, isEarlierAnchor?: (name: string) => boolean): Token | undefined {
  let root: Token | undefined;
  const tokens = parseCst(chunk);
  if (!isComposeClean(tokens)) checkComposed(tokens, chunk, isEarlierAnchor);
  for (const token of tokens) {
    if (token.type !== 'document' || root !== undefined) continue;
    const value = token.value;
    if (value?.type === 'block-seq' && chunkKind === 'item') root = value.items[0]?.value;
    else root = value;
  }
  return root;
}

/**
 * The CST alone misses what only composing finds (duplicate keys, misaligned maps, implicit keys over
 * lines): compose the chunk, check, drop the nodes. Only for chunks isComposeClean cannot vouch for
 * (anchors, tags, flow collections, a repeated key…), since it costs about a quarter of a run.
 */
function checkComposed(tokens: readonly Token[], chunk: string, isEarlierAnchor?: (name: string) => boolean): void {
  for (const document of new Composer({ version: '1.1', uniqueKeys: true }).compose(tokens, true)) {
    const problem = document.errors[0];
    if (!problem) {
      if (chunk.includes('*')) checkItemAliases(document, isEarlierAnchor);
      continue;
    }
    if (/call stack/i.test(problem.message)) throw new InputError('limits', 'an item nests too deeply to be a Kubernetes object', undefined, problem.pos[0]);
    throw new InputError('input', `input is not valid YAML: ${problem.message.split('\n')[0] ?? ''}`, undefined, problem.pos[0]);
  }
  for (const token of tokens) {
    const error = findErrorToken(token);
    if (error) throw new InputError('input', `input is not valid YAML: ${error.message.split('\n')[0] ?? ''}`, undefined, error.offset);
  }
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

function describeSite(token: Token, fieldPath: string, podSpec: number | undefined, offset: number): ImageSite {
  const start = offset + token.offset;
  switch (token.type) {
    case 'scalar': {
      // A plain `1234` or `true` is not a string to Kubernetes (the API server rejects it as an image);
      // `${IMAGE}` is, however it would have to be quoted when written.
      const value = readScalar(token);
      const style = value !== undefined && value !== '' && !isPlainString(value) ? 'not-a-string' : 'plain';
      return site(style === 'plain' ? value : undefined, fieldPath, start, start + token.source.length, style, podSpec);
    }
    case 'double-quoted-scalar':
      return site(readScalar(token), fieldPath, start, start + token.source.length, 'double', podSpec);
    case 'single-quoted-scalar':
      return site(readScalar(token), fieldPath, start, start + token.source.length, 'single', podSpec);
    case 'block-scalar':
      return site(readScalar(token), fieldPath, start, offset + endOffset(token), 'block-scalar', podSpec);
    case 'alias':
      return site(undefined, fieldPath, start, start + token.source.length, 'alias', podSpec);
    default:
      return site(undefined, fieldPath, start, start, 'not-a-string', podSpec);
  }
}

/** One shape for every site (the fields in the order they always had), however it was found. */
function site(value: string | undefined, fieldPath: string, start: number, end: number, style: SiteStyle, podSpec: number | undefined): ImageSite {
  return { fieldPath, start, podSpec, value, end, style };
}
