// Bounded, seeded mutation fuzzing of the core over the golden inputs: whatever the bytes, the function
// either writes a ResourceList that parses or fails with one clean error line — never a crash (an
// exception here is what the process reports as a bug, exit 2), never a hang, never invalid YAML out.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { runResourceList } from './run.js';

const root = new URL('../testdata/golden/', import.meta.url);
const inputs = readdirSync(root)
  .sort()
  .map((name) => {
    const envFile = new URL(`${name}/env.json`, root);
    const env = existsSync(envFile) ? (JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>) : {};
    return { name, text: readFileSync(new URL(`${name}/input.yaml`, root), 'utf8'), env };
  });

/** mulberry32: a small seeded generator, so a failure names its seed and can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = ['-', ':', ' ', '\n', '#', '"', "'", '[', ']', '{', '}', ',', '&a', '*a', '|', '>', '---\n', '\t', 'image: ', '  ', '\n- ', '!!str ', '%', '@'];

function mutate(text: string, next: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let edit = 0; edit < edits; edit++) {
    const at = Math.floor(next() * result.length);
    const choice = next();
    if (choice < 0.35) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(next() * 8));
    else if (choice < 0.75) result = result.slice(0, at) + FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]! + result.slice(at);
    else {
      // Duplicate or drop a whole line: indentation and structure errors.
      const lineStart = result.lastIndexOf('\n', at) + 1;
      const lineEnd = result.indexOf('\n', at);
      const line = result.slice(lineStart, lineEnd === -1 ? result.length : lineEnd + 1);
      result = choice < 0.9 ? result.slice(0, lineStart) + line + result.slice(lineStart) : result.slice(0, lineStart) + result.slice(lineStart + line.length);
    }
  }
  return result;
}

describe('fuzzing the core with mutated golden inputs', function () {
  this.timeout(60_000);
  const SEEDS = 40;

  it(`never crashes, never writes invalid YAML (${SEEDS} mutations of each of ${inputs.length} inputs)`, async () => {
    let failedCleanly = 0;
    let succeeded = 0;
    const acceptedInvalid: string[] = [];
    for (const input of inputs) {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const mutated = mutate(input.text, random(seed * 7919 + input.name.length));
        let output;
        try {
          output = await runResourceList(mutated, { env: input.env });
        } catch (error) {
          assert.fail(`${input.name}, seed ${seed}: the core threw ${String(error)} on:\n${mutated}`);
        }
        if (output.stdout === '') {
          assert.equal(output.exitCode, 1, `${input.name}, seed ${seed}: empty output must be a failure`);
          assert.equal(output.stderr.length, 1, `${input.name}, seed ${seed}: one stderr line, got ${output.stderr.join(' | ')}`);
          failedCleanly++;
          continue;
        }
        if (output.exitCode !== 0) {
          // Error results: the ResourceList is written whole, and stderr has one line per error.
          assert.ok(output.stderr.length > 0, `${input.name}, seed ${seed}: a failure without a stderr line`);
          failedCleanly++;
          continue;
        }
        const errors = parseAllDocuments(output.stdout).flatMap((document) => ('errors' in document ? document.errors : []));
        const before = parseAllDocuments(mutated).flatMap((document) => ('errors' in document ? document.errors : []));
        assert.ok(
          errors.length === 0 || before.length > 0,
          `${input.name}, seed ${seed}: success, but the output is not valid YAML: ${errors[0]?.message ?? ''}\n--- input\n${mutated}\n--- output\n${output.stdout}`,
        );
        if (before.length > 0) acceptedInvalid.push(`${input.name}#${seed}: ${before[0]?.message.split('\n')[0] ?? ''}`);
        succeeded++;
      }
    }
    // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
    assert.ok(failedCleanly > 0 && succeeded > 0, `succeeded ${succeeded}, failed cleanly ${failedCleanly}`);
    assert.deepEqual(acceptedInvalid, [], 'inputs that are not valid YAML were accepted');
  });
});

describe('fuzzing the Helm post-renderer with mutated chart output', function () {
  this.timeout(60_000);

  it('never crashes, and never succeeds with invalid YAML out (200 mutations)', async () => {
    const { runPostRenderer } = await import('./post-render.js');
    const helm = new URL('../testdata/helm/', import.meta.url);
    const chart = readFileSync(new URL('rendered-chart.yaml', helm), 'utf8');
    const config = readFileSync(new URL('registry-proxy.yaml', helm), 'utf8');
    const env = { REGISTRY_PROXY_LICENSE_ID: 'fuzz-license-0001' };
    let failed = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const mutated = mutate(chart, random(seed));
      let output;
      try {
        output = await runPostRenderer(mutated, config, 'registry-proxy.yaml', { env });
      } catch (error) {
        assert.fail(`seed ${seed}: the post-renderer threw ${String(error)} on:\n${mutated}`);
      }
      if (output.exitCode !== 0) {
        assert.equal(output.stdout, '', `seed ${seed}: a failed post-render must write nothing for Helm to install`);
        assert.ok(output.stderr.some((line) => line.startsWith('registry-proxy: error: ')), `seed ${seed}: no error line`);
        failed++;
        continue;
      }
      const errors = parseAllDocuments(output.stdout).flatMap((document) => ('errors' in document ? document.errors : []));
      assert.deepEqual(errors.map((error) => error.message.split('\n')[0]), [], `seed ${seed}: success with invalid YAML:\n${output.stdout}`);
    }
    assert.ok(failed > 0 && failed < 200, `${failed} of 200 failed: the mutations must produce both outcomes`);
  });
});
