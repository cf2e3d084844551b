// The last check before anything is written: the output's frame must compose. The frame is the output
// with every input item cut out (a `{}` in a flow list): the top-level keys, the items collection and
// every seam this function wrote into it (separators, generated objects, `results`). The input items
// themselves were composed one by one when they were read, and the edits inside them are single
// scalars and imagePullSecrets entries in their own style; composing them again would cost most of a
// second run, while the frame is a few lines however large the input.
import { parseAllDocuments, isMap, isScalar, isSeq, type Document } from 'yaml';
import { composeDocuments } from '../yaml/compose-documents.js';
import { isEmptyDocument } from './header.js';

export type FrameKind = 'resource-list' | 'stream';

/** Why the frame would not parse as expected, or undefined when it does. */
export function findFrameProblem(frame: string, kind: FrameKind, expectedItems: number): string | undefined {
  const options = { version: '1.1', uniqueKeys: true } as const;
  const documents = composeDocuments(frame, options);
  if (documents.some((document) => document.errors.length > 0)) {
    // A bug of ours: said with the line and column, which only parseAllDocuments's line counter gives.
    for (const document of parseAllDocuments(frame, options)) {
      const error = document.errors[0];
      if (error) return error.message.split('\n')[0] ?? error.message;
    }
  }
  const content = documents.filter((document) => !isEmptyDocument(document));
  if (kind === 'stream') return content.length === expectedItems ? undefined : `it holds ${content.length} documents instead of ${expectedItems}`;
  if (content.length !== 1) return `it holds ${content.length} documents instead of one ResourceList`;
  return checkItems(content[0]!, expectedItems);
}

function checkItems(document: Document, expectedItems: number): string | undefined {
  const root = document.contents;
  if (!isMap(root)) return 'its top level is not a map';
  const items = root.get('items', true);
  const count = items === undefined || (isScalar(items) && items.value === null) ? 0 : isSeq(items) ? items.items.length : -1;
  if (count === -1) return 'its items are not a list';
  if (count !== expectedItems) return `its items list holds ${count} entries instead of ${expectedItems}`;
  if (isSeq(items) && !items.items.every((item) => isMap(item))) return 'an entry of its items list is not an object';
  return undefined;
}
