// Helm post-renderer mode through the built bundle, on the output of `helm template` for a small chart
// (testdata/post-render-helm-chart/input.yaml: `---` separators, `# Source:` comments, Helm's quoting and
// indentation). No Helm binary is packaged for this machine; the stream is what Helm pipes in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const bundle = fileURLToPath(new URL('../../dist/registry-proxy.cjs', import.meta.url));
/** A file of the case testdata/post-render-helm-chart: input.yaml (the chart), config.yaml, expected-stdout. */
const fixture = (name: string): string => fileURLToPath(new URL(`../../testdata/post-render-helm-chart/${name}`, import.meta.url));
const LICENSE = 'helm-license-2bViL3pfTLVL0NqaJWzgW0Ibs1V';

function run(input: string, args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [bundle, ...args], { input, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('Helm post-renderer mode', () => {
  const chart = readFileSync(fixture('input.yaml'), 'utf8');

  it('rewrites the chart output and appends the pull Secret, byte for byte elsewhere', () => {
    const result = run(chart, ['--config', fixture('config.yaml')], { REGISTRY_PROXY_LICENSE_ID: LICENSE });
    assert.equal(result.stderr, '');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, readFileSync(fixture('expected-stdout'), 'utf8'));
    assert.ok(!result.stdout.includes(LICENSE));
  });

  it('produces a stream kubectl and Helm can read: every document parses, the Secret is a document of its own', () => {
    const result = run(chart, ['--config', fixture('config.yaml')], { REGISTRY_PROXY_LICENSE_ID: LICENSE });
    const documents = parseAllDocuments(result.stdout).map((document) => document.toJS() as { kind: string; data?: Record<string, string> });
    assert.deepEqual(documents.map((document) => document.kind), ['ServiceAccount', 'Service', 'Deployment', 'Pod', 'Secret']);
    const secret = documents[4]!;
    const config = JSON.parse(Buffer.from(secret.data!['.dockerconfigjson']!, 'base64').toString('utf8')) as { auths: Record<string, { auth: string }> };
    const auth = Buffer.from(`LICENSE_ID:${LICENSE}`).toString('base64');
    assert.deepEqual(config, { auths: { 'proxy.replicated.com': { auth }, 'registry.replicated.com': { auth } } });
  });

  it('takes the configuration file from REGISTRY_PROXY_CONFIG with the post-render command', () => {
    const result = run(chart, ['post-render'], { REGISTRY_PROXY_LICENSE_ID: LICENSE, REGISTRY_PROXY_CONFIG: fixture('config.yaml') });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, readFileSync(fixture('expected-stdout'), 'utf8'));
  });

  it('is idempotent: its own output comes back unchanged', () => {
    const expected = readFileSync(fixture('expected-stdout'), 'utf8');
    const result = run(expected, ['--config', fixture('config.yaml')], { REGISTRY_PROXY_LICENSE_ID: LICENSE });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, expected);
  });

  it('fails with one line per problem and no output when the configuration is wrong', () => {
    const result = run(chart, ['--config', fixture('config.yaml')], {});
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, `registry-proxy: error: spec.licenseIDFromEnv: environment variable REGISTRY_PROXY_LICENSE_ID is not set or empty (in ${fixture('config.yaml')})\n`);
  });

  it('fails clearly when the configuration file is missing or not given', () => {
    const missing = run(chart, ['--config', '/nonexistent/config.yaml']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^registry-proxy: error: cannot read the configuration "\/nonexistent\/config.yaml" \(ENOENT\)\n$/);
    const none = run(chart, ['post-render']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /post-render needs a configuration: --config <file> or REGISTRY_PROXY_CONFIG=<file>/);
    const flag = run(chart, ['--config']);
    assert.equal(flag.status, 2);
  });

  it('passes an empty render through', () => {
    const result = run('', ['--config', fixture('config.yaml')], { REGISTRY_PROXY_LICENSE_ID: LICENSE });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
  });
});

describe('the Helm 4 post-renderer plugin (examples/helm/plugin)', () => {
  it('is a postrenderer/v1 plugin whose command runs registry-proxy with the arguments Helm passes', async () => {
    const { parse } = await import('yaml');
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const pluginDir = fileURLToPath(new URL('../../examples/helm/plugin/', import.meta.url));
    const plugin = parse(readFileSync(join(pluginDir, 'plugin.yaml'), 'utf8')) as { type: string; name: string; runtime: string; runtimeConfig: { platformCommand: Array<{ command: string }> } };
    assert.equal(plugin.type, 'postrenderer/v1');
    assert.equal(plugin.runtime, 'subprocess');
    const command = plugin.runtimeConfig.platformCommand[0]!.command.replace('${HELM_PLUGIN_DIR}', pluginDir.replace(/\/$/, ''));
    const bin = mkdtempSync(join(tmpdir(), 'rp-helm-'));
    writeFileSync(join(bin, 'registry-proxy'), `#!/bin/sh\nexec "${process.execPath}" "${bundle}" "$@"\n`);
    chmodSync(join(bin, 'registry-proxy'), 0o755);
    const chart = readFileSync(fixture('input.yaml'), 'utf8');
    const env = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HELM_PLUGIN_DIR: pluginDir, REGISTRY_PROXY_LICENSE_ID: LICENSE };
    const withArgs = spawnSync(command, [`--config=${fixture('config.yaml')}`], { input: chart, env, encoding: 'utf8' });
    assert.equal(withArgs.status, 0, withArgs.stderr);
    assert.equal(withArgs.stdout, readFileSync(fixture('expected-stdout'), 'utf8'));
    const withEnv = spawnSync(command, [], { input: chart, env: { ...env, REGISTRY_PROXY_CONFIG: fixture('config.yaml') }, encoding: 'utf8' });
    assert.equal(withEnv.status, 0, withEnv.stderr);
    assert.equal(withEnv.stdout, withArgs.stdout);
  });
});
