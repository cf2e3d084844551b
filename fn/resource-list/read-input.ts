// The reader (kyaml's kio.ByteReader is the model): a ResourceList or a Helm post-render stream in, one
// Source out. The items stay text: their spans are cut here, each is parsed on its own later
// (item-scan.ts), and everything between them is written back byte for byte (write-output.ts).
import { InputError } from '../errors.js';
import type { GeneratedStyle } from '../yaml/render-object.js';
import { readHeader } from './header.js';
import type { ChunkKind } from './item-scan.js';
import { splitResourceList, type Skeleton } from './skeleton.js';
import { splitStream } from './stream.js';

/** Inputs larger than this are refused before parsing: a render this size is a mistake. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export interface Source extends Skeleton {
  /** A kpt/kustomize ResourceList, or a Helm post-render stream (no header, no results). */
  format: 'resource-list' | 'stream';
  /** What an item span holds: an entry of the items list, or a whole document of the stream. */
  chunkKind: ChunkKind;
  /** How generated objects are written to sit among the items. */
  style: GeneratedStyle;
  /** The ResourceList's functionConfig; a stream's configuration comes from a file (undefined here). */
  functionConfig: unknown;
}

export function readResourceList(text: string): Source {
  checkText(text);
  const skeleton = splitResourceList(text);
  // A flow list keeps a `{}` in the header for each item; a block list is cut out whole.
  const header = readHeader(skeleton.headerText, skeleton.itemsStyle.type === 'flow' ? skeleton.items.length : 0);
  const style: GeneratedStyle = skeleton.itemsStyle.type === 'block' ? { type: 'block', indent: skeleton.itemsStyle.indent } : { type: 'flow' };
  return { ...skeleton, format: 'resource-list', chunkKind: 'item', style, functionConfig: header.functionConfig };
}

export function readStream(text: string): Source {
  checkText(text);
  return { ...splitStream(text), format: 'stream', chunkKind: 'document', style: { type: 'document' }, functionConfig: undefined };
}

function checkText(input: string): void {
  if (input.length > MAX_INPUT_BYTES) throw new InputError('limits', `input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
  if (input.trim() === '') throw new InputError('input', 'input is empty: expected a ResourceList on stdin');
  // U+FFFD is a valid character (main.ts refuses bytes that are not UTF-8); NUL is never text.
  if (input.includes('\u0000')) throw new InputError('input', 'input is not text: expected a ResourceList in YAML or JSON');
}
