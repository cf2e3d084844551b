// The case directories of a golden-test root, and reading one file of a case (undefined when absent).
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export function listCases(root: URL): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function readCaseFile(root: URL, name: string, file: string): string | undefined {
  const url = new URL(`${name}/${file}`, root);
  return existsSync(url) ? readFileSync(url, 'utf8') : undefined;
}
