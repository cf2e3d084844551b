// Results are data (the KRM functions spec's Result): the exit code follows from them, and they are
// written as block YAML with every string double-quoted, so no reader misreads one.

export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: ResourceRef;
  field?: { path: string; currentValue?: string; proposedValue?: string };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

const MAX_SHOWN = 200;

/** A value or message cut for a result: a 100 KB image value is not worth repeating in full. */
export function shorten(value: string): string {
  return value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}… (${value.length} characters)` : value;
}

export function hasErrors(results: readonly Result[]): boolean {
  return results.some((result) => result.severity === 'error');
}

export function exitCodeFor(results: readonly Result[]): number {
  return hasErrors(results) ? 1 : 0;
}

const q = JSON.stringify;

/** `results:` as block YAML at column `indent`, one line per field. */
export function formatResults(results: readonly Result[], indent = 0): string {
  const pad = ' '.repeat(indent);
  if (results.length === 0) return `${pad}results: []\n`;
  const lines: string[] = [`${pad}results:`];
  for (const result of results) {
    lines.push(`${pad}- message: ${q(result.message)}`, `${pad}  severity: ${result.severity}`);
    if (result.resourceRef) {
      const ref = result.resourceRef;
      lines.push(`${pad}  resourceRef:`, `${pad}    apiVersion: ${q(ref.apiVersion)}`, `${pad}    kind: ${q(ref.kind)}`, `${pad}    name: ${q(ref.name)}`);
      if (ref.namespace !== undefined) lines.push(`${pad}    namespace: ${q(ref.namespace)}`);
    }
    if (result.field) {
      lines.push(`${pad}  field:`, `${pad}    path: ${q(result.field.path)}`);
      if (result.field.currentValue !== undefined) lines.push(`${pad}    currentValue: ${q(result.field.currentValue)}`);
      if (result.field.proposedValue !== undefined) lines.push(`${pad}    proposedValue: ${q(result.field.proposedValue)}`);
    }
    if (result.file) {
      lines.push(`${pad}  file:`, `${pad}    path: ${q(result.file.path)}`);
      if (result.file.index !== undefined) lines.push(`${pad}    index: ${result.file.index}`);
    }
    if (result.tags && Object.keys(result.tags).length > 0) {
      lines.push(`${pad}  tags:`);
      for (const [key, value] of Object.entries(result.tags)) lines.push(`${pad}    ${q(key)}: ${q(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The same results as one JSON value, for JSON input. */
export function formatResultsJson(results: readonly Result[]): string {
  return JSON.stringify(results);
}

/** One stderr line per error: kustomize shows nothing else of a failed function. */
export function formatErrorLines(results: readonly Result[]): string[] {
  return results
    .filter((result) => result.severity === 'error')
    .map((result) => {
      const where = result.resourceRef ? `${result.resourceRef.kind}/${result.resourceRef.name}` : '';
      const field = result.field ? `${where ? ' ' : ''}${result.field.path}` : '';
      const prefix = where || field ? `${where}${field}: ` : '';
      return `registry-proxy: error: ${prefix}${result.message}`.replace(/[\r\n]+/g, ' ');
    });
}
