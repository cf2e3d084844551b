// Resolves kustomize-style field paths (`spec/template/spec`, `spec/steps[]/image`, `spec/*Specs/*/x`)
// against CST tokens, reporting each match with the dotted path results use
// (`spec.steps[0].image`).
import { isMapToken, isSeqToken, mapEntries, mapGet, type Token } from './cst-read.js';

export interface FieldMatch {
  token: Token | undefined;
  fieldPath: string;
}

interface Step {
  key: string;
  eachElement: boolean;
}

const parsedPaths = new Map<string, Step[]>();

function parsePath(path: string): Step[] {
  let steps = parsedPaths.get(path);
  if (!steps) {
    steps = path
      .split('/')
      .filter((part) => part !== '')
      .map((part) => (part.endsWith('[]') ? { key: part.slice(0, -2), eachElement: true } : { key: part, eachElement: false }));
    parsedPaths.set(path, steps);
  }
  return steps;
}

/** Every token at `path` under `root` (none where a key is missing or a step is not a map or list). */
export function resolveFieldPath(root: Token | undefined, path: string, basePath = ''): FieldMatch[] {
  let current: FieldMatch[] = [{ token: root, fieldPath: basePath }];
  for (const step of parsePath(path)) {
    const next: FieldMatch[] = [];
    for (const match of current) {
      if (!isMapToken(match.token)) continue;
      const children: FieldMatch[] =
        step.key === '*'
          ? mapEntries(match.token).map((entry) => ({ token: entry.value, fieldPath: join(match.fieldPath, entry.key) }))
          : [{ token: mapGet(match.token, step.key), fieldPath: join(match.fieldPath, step.key) }];
      for (const child of children) {
        if (child.token === undefined) continue;
        if (!step.eachElement) {
          next.push(child);
          continue;
        }
        if (!isSeqToken(child.token)) continue;
        child.token.items.forEach((item, index) => {
          if (item.value) next.push({ token: item.value, fieldPath: `${child.fieldPath}[${index}]` });
        });
      }
    }
    current = next;
  }
  return current;
}

function join(base: string, key: string): string {
  const segment = segmentOf(key);
  if (base === '' || segment.startsWith('[')) return `${base}${segment}`;
  return `${base}.${segment}`;
}

/** The same few keys name every object's fields: each is formatted once. */
const segments = new Map<string, string>();
const MAX_SEGMENTS = 10_000;

function segmentOf(key: string): string {
  let segment = segments.get(key);
  if (segment === undefined) {
    segment = /^[A-Za-z_][\w-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
    if (segments.size < MAX_SEGMENTS) segments.set(key, segment);
  }
  return segment;
}
