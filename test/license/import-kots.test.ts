import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { importKots } from '../../fn/license/import-kots.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const LICENSE_ID = 'importKotsUnitLicense42xyz';
const dirs: string[] = [];

/** A `<app>/upstream/userdata/` tree with the given files (relative to upstream/). */
function kotsDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'registry-proxy-import-kots-'));
  dirs.push(root);
  const app = join(root, 'my-app');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(app, 'upstream', path, '..'), { recursive: true });
    writeFileSync(join(app, 'upstream', path), text);
  }
  return app;
}

const installation = (spec = ''): string => `apiVersion: kots.io/v1beta1\nkind: Installation\nmetadata:\n  creationTimestamp: null\n  name: my-app\nspec:\n  channelID: c1\n${spec}status: {}\n`;
const license = (spec: string): string => `apiVersion: kots.io/v1beta1\nkind: License\nmetadata:\n  name: c\nspec:\n  appSlug: my-app\n  licenseID: ${LICENSE_ID}\n${spec}`;

describe('importKots', () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('spells out the staging domains of a staging License (licenseIDFromEnv loses the endpoint)', () => {
    const dir = kotsDir({ 'userdata/installation.yaml': installation(), 'userdata/license.yaml': license('  endpoint: https://staging.replicated.app\n') });
    const result = importKots(dir, NOW);
    assert.equal(result.exitCode, 0, result.stderr.join('\n'));
    const spec = (parse(result.stdout) as { spec: Record<string, unknown> }).spec;
    assert.equal(spec['proxyDomain'], 'proxy.staging.replicated.com');
    assert.equal(spec['registryDomain'], 'registry.staging.replicated.com');
  });

  it("takes the License's channel domain when the Installation has none", () => {
    const dir = kotsDir({
      'userdata/installation.yaml': installation(),
      'userdata/license.yaml': license('  channelID: c1\n  channels:\n  - channelID: c1\n    replicatedProxyDomain: proxy.channel.example\n'),
    });
    const spec = (parse(importKots(dir, NOW).stdout) as { spec: Record<string, unknown> }).spec;
    assert.equal(spec['proxyDomain'], 'proxy.channel.example');
    assert.equal(spec['registryDomain'], undefined);
  });

  it('says on stderr that an expired License makes the proxy deny pulls, and never prints the license ID', () => {
    const dir = kotsDir({
      'userdata/installation.yaml': installation(),
      'userdata/license.yaml': license('  entitlements:\n    expires_at:\n      value: "2026-11-01T00:00:00Z"\n'),
      'app.yaml': `apiVersion: kots.io/v1beta1\nkind: Application\nmetadata:\n  name: my-app\nspec:\n  title: ${LICENSE_ID}\n`,
    });
    const result = importKots(dir, NOW);
    assert.equal(result.exitCode, 0);
    assert.match(result.stderr.join('\n'), /the License expired on 2026-11-01: the Replicated proxy registry denies image pulls with it/);
    assert.match(result.stdout, /^# The License expired on 2026-11-01/m);
    assert.ok(!`${result.stdout}${result.stderr.join('\n')}`.includes(LICENSE_ID));
  });

  it('fails with exit 1 on an installation.yaml that holds no Installation', () => {
    const dir = kotsDir({ 'userdata/installation.yaml': 'apiVersion: v1\nkind: ConfigMap\n' });
    const result = importKots(dir, NOW);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr.at(-1) ?? '', /^registry-proxy: error: .*installation\.yaml holds no kots\.io Installation$/);
  });

  it('fails with exit 1 when the configuration it would print does not load (a domain that is not a host)', () => {
    const dir = kotsDir({ 'userdata/installation.yaml': installation('  replicatedProxyDomain: https://proxy.example\n') });
    const result = importKots(dir, NOW);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr.at(-1) ?? '', /spec\.proxyDomain: must be a host name/);
  });
});
