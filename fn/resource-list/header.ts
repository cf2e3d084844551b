// The ResourceList without its items: apiVersion, kind and functionConfig, read with the full YAML
// 1.1 semantics (this part is small; the items never go through here).
import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';

export const RESOURCE_LIST_API_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1beta1', 'config.kubernetes.io/v1alpha1'];

/** Limits expansion of YAML aliases: a few legitimate anchors are fine, a billion laughs is not. */
export const MAX_ALIAS_COUNT = 100;

export interface ResourceListHeader {
  apiVersion: string;
  functionConfig: unknown;
}

export function readHeader(headerText: string): ResourceListHeader {
  const document = parseDocument(headerText, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  const error = document.errors[0];
  if (error) throw new InputError('input', `input is not valid YAML: ${error.message.split('\n')[0] ?? ''}`);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    throw new InputError('limits', `input is not usable: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`);
  }
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
  return { apiVersion, functionConfig: record['functionConfig'] };
}

/** A small item (the vendor's Application) read as plain data. */
export function readItemValue(chunk: string): unknown {
  const document = parseDocument(chunk, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) return undefined;
  const value: unknown = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  return Array.isArray(value) ? value[0] : value;
}
