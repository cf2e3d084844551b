// The new subcommands through the built bundle: arguments, output channels and exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const bundle = fileURLToPath(new URL('../../dist/registry-proxy.cjs', import.meta.url));
const quickstart = readFileSync(fileURLToPath(new URL('../../examples/quickstart/resource-list.yaml', import.meta.url)), 'utf8');

function run(args: string[], input = quickstart): { stdout: string; stderr: string; status: number | null } {
  // No license in the environment: none of these subcommands needs one.
  const result = spawnSync(process.execPath, [bundle, ...args], { input, env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8', timeout: 20_000 });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('registry-proxy images, kustomize and check as a process', () => {
  it('images --format json prints an ImageList without a license', () => {
    const result = run(['images', '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const list = JSON.parse(result.stdout) as { kind: string; images: Array<{ image: string; verdict: string }> };
    assert.equal(list.kind, 'ImageList');
    assert.deepEqual(list.images.map((entry) => entry.verdict).sort(), ['private', 'private', 'public', 'vendor']);
  });

  it('images --format=text and the default are the same', () => {
    assert.equal(run(['images', '--format=text']).stdout, run(['images']).stdout);
  });

  it('a format it does not know, or a flag of another subcommand, is exit 2 with one line', () => {
    for (const args of [['images', '--format', 'xml'], ['kustomize', '--format', 'json'], ['check', '--config', 'x.yaml']]) {
      const result = run(args);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.split('\n').filter(Boolean).length, 1);
    }
  });

  it('kustomize prints a fragment kustomize can read, without a license', () => {
    const result = run(['kustomize']);
    assert.equal(result.status, 0, result.stderr);
    const fragment = parse(result.stdout) as { images: unknown[]; patches: unknown[] };
    assert.equal(fragment.images.length, 2);
    assert.equal(fragment.patches.length, 2);
  });

  it('check exits 1 on the quickstart package and writes it back unchanged, without a license', () => {
    const result = run(['check']);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /should be pulled through the proxy/);
    assert.equal(result.stdout.slice(0, result.stdout.lastIndexOf('\nresults:')), quickstart.slice(0, quickstart.lastIndexOf('\nresults:') === -1 ? undefined : quickstart.lastIndexOf('\nresults:')).trimEnd());
  });
});
