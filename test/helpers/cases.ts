// The behavior cases, testdata/<case>/ (the layout is described in test/cases.test.ts): listing them,
// reading one file of a case (undefined when absent), and the command line a case runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseArguments, type Invocation } from '../../fn/cli-args.js';

/** Compiled to build/test/helpers/: three levels below the repository root. */
export const CASES_ROOT = new URL('../../../testdata/', import.meta.url);

/** The files a case may hold; anything else is a mistake (a misspelt name would be silently ignored). */
export const CASE_FILES = ['args', 'input.yaml', 'config.yaml', 'env.json', 'options.json', 'expected-stdout', 'expected-stderr', 'expected-exit-code'] as const;

export function listCases(): string[] {
  return readdirSync(CASES_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function readCaseFile(name: string, file: string): string | undefined {
  const url = new URL(`${name}/${file}`, CASES_ROOT);
  return existsSync(url) ? readFileSync(url, 'utf8') : undefined;
}

/** `args`: the command line after the program name, one line; absent, the program is the KRM function. */
export function readCaseInvocation(name: string): Invocation {
  const line = (readCaseFile(name, 'args') ?? '').trim();
  return parseArguments(line === '' ? [] : line.split(/\s+/));
}

export function readCaseEnv(name: string): Record<string, string> {
  return JSON.parse(readCaseFile(name, 'env.json') ?? '{}') as Record<string, string>;
}

/** Whether the case runs the KRM function or the Helm post-renderer (the rest describe their input). */
export function isTransformCase(name: string): boolean {
  const { mode } = readCaseInvocation(name);
  return mode === 'krm' || mode === 'post-render';
}
