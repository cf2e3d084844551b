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
  let text = `${pad}results:\n`;
  // The results of one object share its resourceRef and file objects (plan-item-edits.ts): their lines
  // are written once per object, not once per image.
  let lastRef: ResourceRef | undefined;
  let refLines = '';
  let lastFile: Result['file'];
  let fileLines = '';
  for (const result of results) {
    text += `${pad}- message: ${q(result.message)}\n${pad}  severity: ${result.severity}\n`;
    const ref = result.resourceRef;
    if (ref) {
      if (ref !== lastRef) {
        refLines = `${pad}  resourceRef:\n${pad}    apiVersion: ${q(ref.apiVersion)}\n${pad}    kind: ${q(ref.kind)}\n${pad}    name: ${q(ref.name)}\n`;
        if (ref.namespace !== undefined) refLines += `${pad}    namespace: ${q(ref.namespace)}\n`;
        lastRef = ref;
      }
      text += refLines;
    }
    const field = result.field;
    if (field) {
      text += `${pad}  field:\n${pad}    path: ${q(field.path)}\n`;
      if (field.currentValue !== undefined) text += `${pad}    currentValue: ${q(field.currentValue)}\n`;
      if (field.proposedValue !== undefined) text += `${pad}    proposedValue: ${q(field.proposedValue)}\n`;
    }
    const file = result.file;
    if (file) {
      if (file !== lastFile) {
        fileLines = `${pad}  file:\n${pad}    path: ${q(file.path)}\n`;
        if (file.index !== undefined) fileLines += `${pad}    index: ${file.index}\n`;
        lastFile = file;
      }
      text += fileLines;
    }
    if (result.tags) {
      const entries = Object.entries(result.tags);
      if (entries.length > 0) {
        text += `${pad}  tags:\n`;
        for (const [key, value] of entries) text += `${pad}    ${q(key)}: ${q(value)}\n`;
      }
    }
  }
  return text;
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
