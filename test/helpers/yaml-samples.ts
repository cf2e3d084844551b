// YAML texts for the properties that must hold on every input: the corpus's and the behavior cases'
// documents, and deterministic mutants of them that break YAML in the ways the composer checks for.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'yaml';

export const ROOT = new URL('../../../', import.meta.url).pathname;

export function yamlFiles(dir: string, into: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, into);
    else if (/\.ya?ml$/.test(name)) into.push(path);
  }
  return into;
}

let documents: string[] | undefined;

/** Every document of the corpus and the behavior cases, as its own source text (read once per process). */
export function sampleDocuments(): string[] {
  if (documents) return documents;
  documents = [];
  for (const path of [...yamlFiles(join(ROOT, 'test/fixtures/corpus')), ...yamlFiles(join(ROOT, 'testdata'))]) {
    const text = readFileSync(path, 'utf8');
    let start: number;
    for (const token of new Parser().parse(text)) {
      if (token.type !== 'document') continue;
      start = token.offset;
      const next = text.indexOf('\n---', start + 1);
      documents.push(text.slice(start, next === -1 ? text.length : next + 1));
    }
  }
  return documents;
}

/** Small deterministic edits that break YAML in the ways the composer checks for. */
const INSERTS = [' ', '  ', '\t', ':', ': ', '-', '- ', '#', ' #x', '&a ', '*a', '!t ', '!!str ', '"', "'", '\n', '{', '[', '? ', '<<: ', '|', '>', '@', '`', '%', ',', '---\n', '...\n', ', ', ',', '}', ']', '{a: 1}', '[a]'];

export function mutants(documents: readonly string[], count: number): string[] {
  let seed = 12345;
  const random = (limit: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % limit;
  };
  const result: string[] = [];
  while (result.length < count) {
    const source = documents[random(documents.length)]!.slice(0, 3000);
    const at = random(source.length + 1);
    switch (random(4)) {
      case 0:
        result.push(source.slice(0, at) + INSERTS[random(INSERTS.length)]! + source.slice(at));
        break;
      case 1:
        result.push(source.slice(0, at) + source.slice(at + 1 + random(3)));
        break;
      default: {
        // Repeat or re-indent a line: duplicate keys, misaligned maps.
        const lines = source.split('\n');
        const line = random(lines.length);
        if (random(2) === 0) lines.splice(line, 0, lines[line]!);
        else lines[line] = random(2) === 0 ? ` ${lines[line]!}` : lines[line]!.replace(/^ /, '');
        result.push(lines.join('\n'));
      }
    }
  }
  return result;
}

