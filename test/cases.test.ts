// Behavior cases: every directory testdata/<case>/ is one case, in one layout:
//   input.yaml          stdin
//   args                optional, one line: the command line after the program name, parsed by the
//                       product's own parseArguments (fn/cli-args.ts). Absent, the program is the KRM
//                       function; `post-render --config config.yaml` (the file is the case's own),
//                       `check`, `images --format json`, `kustomize`, …
//   config.yaml         the post-renderer's configuration, when args names it
//   env.json            optional: the process environment (a JSON object of strings)
//   options.json        optional: the run's other dependencies: {"now": ISO 8601 instant} is the clock
//   expected-stdout     the whole stdout
//   expected-stderr     optional: the whole stderr (absent = empty)
//   expected-exit-code  optional: the exit code (absent = 0)
// Every case runs twice. The KRM function and the post-renderer run again on their own output and must
// not change a single item byte; a describing command (check, images, kustomize) runs again on the same
// input and must give the same bytes. The license ID (any env.json value of 6 characters or more) must
// appear neither on stderr nor in stdout outside a Secret's .dockerconfigjson.
// REGISTRY_PROXY_UPDATE_GOLDEN=1 rewrites the expected files and then fails, so it never passes CI.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { runImages, runKustomize } from '../fn/describe-commands.js';
import { runPostRenderer } from '../fn/post-render.js';
import { runResourceList, type RunDependencies, type RunOutput } from '../fn/run.js';
import { joined, type JoinedOutput } from './helpers/joined-output.js';
import { CASE_FILES, CASES_ROOT, isTransformCase, listCases, readCaseEnv, readCaseFile, readCaseInvocation } from './helpers/cases.js';

const update = process.env['REGISTRY_PROXY_UPDATE_GOLDEN'] === '1';
const cases = listCases();

/** The output without its results entry (always the last top-level key this function writes). */
function withoutResults(text: string): string {
  const at = text.lastIndexOf('\nresults:');
  const jsonAt = text.lastIndexOf(', "results": ');
  if (at !== -1) return text.slice(0, at + 1);
  if (jsonAt !== -1) return text.slice(0, jsonAt);
  return text;
}

/** The program as the case's command line runs it, in process. */
function caseRunner(name: string, dependencies: RunDependencies): (input: string) => Promise<RunOutput> {
  const invocation = readCaseInvocation(name);
  switch (invocation.mode) {
    case 'krm':
      return (input) => runResourceList(input, dependencies);
    case 'check':
      return (input) => runResourceList(input, dependencies, { check: true });
    case 'images':
      return (input) => runImages(input, dependencies, invocation.format);
    case 'kustomize':
      return (input) => runKustomize(input, dependencies);
    case 'post-render': {
      const configPath = invocation.configPath;
      assert.ok(configPath !== undefined, `${name}/args: post-render needs --config <a file of the case>`);
      const config = readCaseFile(name, configPath);
      assert.ok(config !== undefined, `${name}/${configPath} is missing`);
      return (input) => runPostRenderer(input, config, configPath, dependencies);
    }
    default:
      throw new Error(`${name}/args: unsupported command line (${invocation.mode})`);
  }
}

function rewriteExpected(name: string, output: JoinedOutput, stderr: string): void {
  const url = (file: string): URL => new URL(`${name}/${file}`, CASES_ROOT);
  writeFileSync(url('expected-stdout'), output.stdout);
  if (stderr !== '' || existsSync(url('expected-stderr'))) writeFileSync(url('expected-stderr'), stderr);
  if (output.exitCode !== 0 || existsSync(url('expected-exit-code'))) writeFileSync(url('expected-exit-code'), `${output.exitCode}\n`);
}

describe('behavior cases (testdata)', () => {
  it('finds the cases: at least 15 of the function and post-renderer, 5 of the describing commands', () => {
    const transforming = cases.filter(isTransformCase).length;
    assert.ok(transforming >= 15, `only ${transforming} cases of the function and post-renderer found`);
    assert.ok(cases.length - transforming >= 5, `only ${cases.length - transforming} cases of the describing commands found`);
  });

  it('every case holds input.yaml, expected-stdout and no file outside the layout', () => {
    for (const name of cases) {
      const files = readdirSync(new URL(`${name}/`, CASES_ROOT));
      for (const file of ['input.yaml', 'expected-stdout']) assert.ok(files.includes(file), `${name}/${file} is missing`);
      const unknown = files.filter((file) => !(CASE_FILES as readonly string[]).includes(file));
      assert.deepEqual(unknown, [], `${name}: files outside the layout (see test/cases.test.ts)`);
    }
  });

  for (const name of cases) {
    it(name, async () => {
      const input = readCaseFile(name, 'input.yaml');
      assert.ok(input !== undefined, `${name}/input.yaml is missing`);
      const env = readCaseEnv(name);
      const options = JSON.parse(readCaseFile(name, 'options.json') ?? '{}') as { now?: string };
      const now = options.now === undefined ? undefined : new Date(options.now);
      const runCase = caseRunner(name, now === undefined ? { env } : { env, now: () => now });
      const first = joined(await runCase(input));
      const stderr = first.stderr.map((line) => `${line}\n`).join('');
      if (update) {
        rewriteExpected(name, first, stderr);
        assert.fail('expected files rewritten (REGISTRY_PROXY_UPDATE_GOLDEN=1): review the diff and run again without it');
      }
      assert.equal(first.stdout, readCaseFile(name, 'expected-stdout') ?? '', 'stdout differs from expected-stdout');
      assert.equal(stderr, readCaseFile(name, 'expected-stderr') ?? '', 'stderr differs from expected-stderr');
      assert.equal(first.exitCode, Number((readCaseFile(name, 'expected-exit-code') ?? '0').trim()), 'exit code');
      const licenseIDs = Object.values(env).filter((value) => value.length >= 6);
      for (const id of licenseIDs) {
        assert.ok(!stderr.includes(id), 'the license ID leaked to stderr');
        const outsideSecrets = first.stdout.replace(/\.dockerconfigjson: \S+/g, '');
        const inConfig = input.includes(id);
        if (!inConfig) assert.ok(!outsideSecrets.includes(id), 'the license ID leaked into the output');
      }
      if (!isTransformCase(name)) {
        const second = joined(await runCase(input));
        assert.deepEqual(second, first, 'a second run on the same input gave different output');
        return;
      }
      if (first.stdout === '') return;
      const second = joined(await runCase(first.stdout));
      assert.equal(withoutResults(second.stdout), withoutResults(first.stdout), 'a second run changed the items (not idempotent)');
    });
  }
});
