// Golden cases of the subcommands: testdata/golden-commands/<case>/ holds `args` (the subcommand and
// its flags, one line), input.yaml, expected-stdout, and optionally env.json, expected-stderr.txt and
// expected-exit-code. Every case runs twice: the same input must give the same bytes.
// REGISTRY_PROXY_UPDATE_GOLDEN=1 rewrites the expected files and then fails, as test/golden.test.ts does.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArguments } from '../fn/cli-args.js';
import { runImages, runKustomize } from '../fn/describe-commands.js';
import { listCases, readCaseFile } from './helpers/golden-cases.js';
import { runResourceList, type RunOutput } from '../fn/run.js';

const root = new URL('../../testdata/golden-commands/', import.meta.url);
const update = process.env['REGISTRY_PROXY_UPDATE_GOLDEN'] === '1';
const cases = listCases(root);
const read = (name: string, file: string): string | undefined => readCaseFile(root, name, file);

async function runCommand(args: readonly string[], input: string, env: Record<string, string>): Promise<RunOutput> {
  const invocation = parseArguments(args);
  switch (invocation.mode) {
    case 'images':
      return runImages(input, { env }, invocation.format);
    case 'kustomize':
      return runKustomize(input, { env });
    case 'check':
      return runResourceList(input, { env }, { check: true });
    default:
      throw new Error(`golden-commands: unsupported args ${JSON.stringify(args)}`);
  }
}

describe('golden cases of the subcommands (testdata/golden-commands)', () => {
  it('finds the cases', () => {
    assert.ok(cases.length >= 5, `only ${cases.length} cases found`);
  });

  for (const name of cases) {
    it(name, async () => {
      const args = (read(name, 'args') ?? '').trim().split(/\s+/);
      const input = read(name, 'input.yaml');
      assert.ok(input !== undefined, `${name}/input.yaml is missing`);
      const env = JSON.parse(read(name, 'env.json') ?? '{}') as Record<string, string>;
      const first = await runCommand(args, input, env);
      const stderr = first.stderr.map((line) => `${line}\n`).join('');
      if (update) {
        writeFileSync(new URL(`${name}/expected-stdout`, root), first.stdout);
        if (stderr !== '' || existsSync(new URL(`${name}/expected-stderr.txt`, root))) writeFileSync(new URL(`${name}/expected-stderr.txt`, root), stderr);
        if (first.exitCode !== 0 || existsSync(new URL(`${name}/expected-exit-code`, root))) writeFileSync(new URL(`${name}/expected-exit-code`, root), `${first.exitCode}\n`);
        assert.fail('expected files rewritten (REGISTRY_PROXY_UPDATE_GOLDEN=1): review the diff and run again without it');
      }
      assert.equal(first.stdout, read(name, 'expected-stdout') ?? '', 'stdout differs from expected-stdout');
      assert.equal(stderr, read(name, 'expected-stderr.txt') ?? '', 'stderr differs from expected-stderr.txt');
      assert.equal(first.exitCode, Number((read(name, 'expected-exit-code') ?? '0').trim()), 'exit code');
      const second = await runCommand(args, input, env);
      assert.deepEqual(second, first, 'a second run gave different output');
    });
  }
});
