// Check mode under kpt: `kpt fn eval` with `registry-proxy check`, and `mode: check` as a Kptfile
// `validators:` entry under `kpt fn render`. It fails on the package as the vendor ships it (private
// images not on the proxy), passes on the function's own output, and never changes a file. No license.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFunctionOnce, copyFixture, findKpt, FUNCTION_PATH, makeTempDir, readTree, removeTempDirs, run, SMOKE, type RunResult } from './support.js';

const EXEC = `${process.execPath} ${FUNCTION_PATH}`;
const CONFIG = join(SMOKE, 'kpt', 'registry-proxy.yaml');
const LICENSE_ID = 'e2e-kpt-check-license-5d1e';

function envWithout(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['REGISTRY_PROXY_LICENSE_ID'];
  return { ...env, ...extra };
}

function kpt(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run(findKpt(), args, { env, timeoutMs: 60_000 });
}

/** The package with a Kptfile whose pipeline validates with registry-proxy in check mode. */
function packageWithValidator(): string {
  const dir = copyFixture('kpt/package', join(makeTempDir('check'), 'pkg'));
  const config = readFileSync(CONFIG, 'utf8').replace('  appSlug: my-app\n', '  appSlug: my-app\n  mode: check\n');
  writeFileSync(join(dir, 'registry-proxy-check.yaml'), config);
  const kptfile = readFileSync(join(dir, 'Kptfile'), 'utf8');
  writeFileSync(join(dir, 'Kptfile'), `${kptfile}pipeline:\n  validators:\n  - exec: ${EXEC}\n    configPath: registry-proxy-check.yaml\n`);
  return dir;
}

describe('check mode under kpt', function () {
  this.timeout(180_000);
  before(buildFunctionOnce);
  after(removeTempDirs);

  it('kpt fn eval --exec "registry-proxy check": fails on unproxied private images, passes after the function ran, files untouched', async () => {
    const dir = copyFixture('kpt/package', join(makeTempDir('check-eval'), 'pkg'));
    const before = readTree(dir);
    const failed = await kpt(['fn', 'eval', dir, '--exec', `${EXEC} check`, '--fn-config', CONFIG], envWithout());
    assert.notEqual(failed.exitCode, 0, failed.stderr);
    assert.match(failed.stderr, /image quay\.io\/my-org\/api:v1\.0\.1 should be pulled through the proxy/);
    assert.deepEqual(readTree(dir), before, 'check changed files');
    const transformed = await kpt(['fn', 'eval', dir, '--exec', EXEC, '--fn-config', CONFIG], envWithout({ REGISTRY_PROXY_LICENSE_ID: LICENSE_ID }));
    assert.equal(transformed.exitCode, 0, transformed.stderr);
    const after = readTree(dir);
    const passed = await kpt(['fn', 'eval', dir, '--exec', `${EXEC} check`, '--fn-config', CONFIG], envWithout());
    assert.equal(passed.exitCode, 0, passed.stderr);
    assert.deepEqual(readTree(dir), after, 'check changed files');
  });

  it('as a Kptfile validator (mode: check): kpt fn render fails on the shipped package and passes on the function\'s output', async () => {
    const dir = packageWithValidator();
    const before = readTree(dir);
    const failed = await kpt(['fn', 'render', dir, '--allow-exec'], envWithout());
    assert.notEqual(failed.exitCode, 0, failed.stderr);
    assert.match(failed.stderr, /should be pulled through the proxy/);
    assert.deepEqual(readTree(dir), before, 'a failed render changed files');
    const transformed = await kpt(['fn', 'eval', dir, '--exec', EXEC, '--fn-config', CONFIG], envWithout({ REGISTRY_PROXY_LICENSE_ID: LICENSE_ID }));
    assert.equal(transformed.exitCode, 0, transformed.stderr);
    const after = readTree(dir);
    const passed = await kpt(['fn', 'render', dir, '--allow-exec'], envWithout());
    assert.equal(passed.exitCode, 0, passed.stderr);
    assert.deepEqual(readTree(dir), after, 'the validator changed files');
  });
});
