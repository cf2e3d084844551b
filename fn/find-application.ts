// Finds the vendor's kots.io/v1beta1 Application among the items, for loadConfig, before the items are
// scanned (the scan needs the loaded config). Only chunks that can spell its kind are read.
import { APPLICATION_API_VERSION } from './config/application-defaults.js';
import type { ApplicationItem } from './config/load-config.js';
import { readItemValue } from './resource-list/header.js';
import type { ScannedItem } from './resource-list/item-scan.js';
import { scanItems, type TransformInput } from './transform.js';

/** The first item that is a kots.io/v1beta1 Application, as plain data, with its identity for results. */
export function findApplication(input: TransformInput): ApplicationItem | undefined {
  for (const span of input.items) {
    const chunk = input.text.slice(span.start, span.end);
    // Any spelling of the kind holds the word or an escape (`\x41`, a `\` line continuation).
    if (!chunk.includes('Application') && !chunk.includes('\\')) continue;
    const item = scanIdentity({ ...input, items: [span] });
    // An item that does not read: the scan of all items that follows reports it (or an earlier one).
    if (item === undefined) return undefined;
    if (item.kind !== 'Application' || item.apiVersion !== APPLICATION_API_VERSION) continue;
    return { value: readItemValue(chunk), ref: { apiVersion: item.apiVersion, kind: item.kind, name: item.name } };
  }
  return undefined;
}

function scanIdentity(input: TransformInput): ScannedItem | undefined {
  try {
    return scanItems(input, { pullSecretName: '', imageFields: [] })[0];
  } catch {
    return undefined;
  }
}
