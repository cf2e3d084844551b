// Golden cases: testdata/golden/<case>/ holds input.yaml, expected.yaml (the whole stdout), and
// optionally env.json (the process environment), options.json (the run's other dependencies: `now`,
// the clock as an ISO 8601 instant), expected-stderr.txt and expected-exit-code. A case with
// post-render-config.yaml runs the Helm post-renderer on input.yaml with that configuration.
// Every case runs twice: the function on its own output must not change a single item byte.
// REGISTRY_PROXY_UPDATE_GOLDEN=1 rewrites the expected files and then fails, so it never passes CI.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { runPostRenderer } from '../fn/post-render.js';
import { runResourceList, type RunOutput } from '../fn/run.js';
import { listCases, readCaseFile } from './helpers/golden-cases.js';

const root = new URL('../../testdata/golden/', import.meta.url);
const update = process.env['REGISTRY_PROXY_UPDATE_GOLDEN'] === '1';
const cases = listCases(root);
const read = (name: string, file: string): string | undefined => readCaseFile(root, name, file);

/** The output without its results entry (always the last top-level key this function writes). */
function withoutResults(text: string): string {
  const at = text.lastIndexOf('\nresults:');
  const jsonAt = text.lastIndexOf(', "results": ');
  if (at !== -1) return text.slice(0, at + 1);
  if (jsonAt !== -1) return text.slice(0, jsonAt);
  return text;
}

describe('golden cases (testdata/golden)', () => {
  it('finds the cases', () => {
    assert.ok(cases.length >= 15, `only ${cases.length} golden cases found`);
  });

  for (const name of cases) {
    it(name, async () => {
      const input = read(name, 'input.yaml');
      assert.ok(input !== undefined, `${name}/input.yaml is missing`);
      const env = JSON.parse(read(name, 'env.json') ?? '{}') as Record<string, string>;
      const options = JSON.parse(read(name, 'options.json') ?? '{}') as { now?: string };
      const now = options.now === undefined ? undefined : new Date(options.now);
      const dependencies = now === undefined ? { env } : { env, now: () => now };
      const postRenderConfig = read(name, 'post-render-config.yaml');
      const runCase = (text: string): Promise<RunOutput> =>
        postRenderConfig === undefined
          ? runResourceList(text, dependencies)
          : runPostRenderer(text, postRenderConfig, 'post-render-config.yaml', dependencies);
      const first = await runCase(input);
      const stderr = first.stderr.map((line) => `${line}\n`).join('');
      if (update) {
        writeFileSync(new URL(`${name}/expected.yaml`, root), first.stdout);
        if (stderr !== '' || existsSync(new URL(`${name}/expected-stderr.txt`, root))) writeFileSync(new URL(`${name}/expected-stderr.txt`, root), stderr);
        if (first.exitCode !== 0 || existsSync(new URL(`${name}/expected-exit-code`, root))) writeFileSync(new URL(`${name}/expected-exit-code`, root), `${first.exitCode}\n`);
        assert.fail('expected files rewritten (REGISTRY_PROXY_UPDATE_GOLDEN=1): review the diff and run again without it');
      }
      assert.equal(first.stdout, read(name, 'expected.yaml') ?? '', 'stdout differs from expected.yaml');
      assert.equal(stderr, read(name, 'expected-stderr.txt') ?? '', 'stderr differs from expected-stderr.txt');
      assert.equal(first.exitCode, Number((read(name, 'expected-exit-code') ?? '0').trim()), 'exit code');
      const licenseIDs = Object.values(env).filter((value) => value.length >= 6);
      for (const id of licenseIDs) {
        assert.ok(!stderr.includes(id), 'the license ID leaked to stderr');
        const outsideSecrets = first.stdout.replace(/\.dockerconfigjson: \S+/g, '');
        const inConfig = input.includes(id);
        if (!inConfig) assert.ok(!outsideSecrets.includes(id), 'the license ID leaked into the output');
      }
      if (first.stdout === '') return;
      const second = await runCase(first.stdout);
      assert.equal(withoutResults(second.stdout), withoutResults(first.stdout), 'a second run changed the items (not idempotent)');
    });
  }
});
