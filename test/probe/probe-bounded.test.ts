// Bounded reads: registries that refuse HEAD and serve a 1 GiB "manifest", a 1 GiB HTML page or a 1 GiB
// token. The probe reads the first KiB it needs, hangs up, and classifies; the built function, run as a
// process against three such registries, stays under a memory bound (its peak RSS, read by a preload).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFunctionOnce, FUNCTION_PATH, run } from '../e2e/support.js';
import { createRegistryProbe } from '../../fn/probe/index.js';
import { bearerChallenge, startFaultServer, status, type FaultAction, type FaultHandler, type FaultServer } from './helpers/fault-server.js';
import { createTestOptions, fastTuning } from './helpers/probe-options.js';
import { buildResourceList } from './helpers/resource-list-input.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const manifestStart = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"';

function huge(prefix: string, contentType: string, sent: { bytes: number }): FaultAction {
  return { kind: 'huge', status: 200, headers: { 'content-type': contentType }, prefix, totalBytes: GiB, sent };
}

/** HEAD refused, so the probe must GET; `body` answers the GET. */
function refusingHead(body: () => FaultAction): FaultHandler {
  return (request) => (request.method === 'HEAD' ? status(405) : body());
}

/** A registry whose manifests need a token from its own /token, which answers 1 GiB. */
function hugeTokenRegistry(sent: { bytes: number }, self: () => string): FaultHandler {
  return (request) => (request.path.startsWith('/token') ? huge('{"token":"', 'application/json', sent) : bearerChallenge(`http://${self()}/token`));
}

describe('probe: bounded reads', function () {
  this.timeout(120_000);
  const servers: FaultServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  async function serve(handler: FaultHandler, address?: string, port?: number): Promise<FaultServer> {
    const server = await startFaultServer(handler, { ...(address === undefined ? {} : { address }), ...(port === undefined ? {} : { port }) });
    servers.push(server);
    return server;
  }

  it('reads the start of a 1 GiB manifest, counts it as granted, and hangs up', async () => {
    const sent = { bytes: 0 };
    const server = await serve(refusingHead(() => huge(manifestStart, 'application/octet-stream', sent)));
    const verdict = (await createRegistryProbe(createTestOptions(), fastTuning).probe([{ registry: server.host, repository: 'team/app', references: ['1.0'] }])).get(`${server.host}/team/app`);
    assert.equal(verdict?.reason, 'granted', verdict?.message);
    assert.match(verdict?.message ?? '', /manifest body/);
    // What the server got rid of before the probe hung up: the socket buffers, not the body.
    assert.ok(sent.bytes < 16 * MiB, `${sent.bytes} bytes written`);
  });

  it('a 1 GiB page is intercepted, a 1 GiB token is a failure; neither is read', async () => {
    const page = { bytes: 0 };
    const token = { bytes: 0 };
    const pageServer = await serve(refusingHead(() => huge('<html>', 'text/html', page)));
    let tokenHost = '';
    const tokenServer = await serve(hugeTokenRegistry(token, () => tokenHost));
    tokenHost = tokenServer.host;
    const results = await createRegistryProbe(createTestOptions(), fastTuning).probe([
      { registry: pageServer.host, repository: 'team/app', references: ['1.0'] },
      { registry: tokenServer.host, repository: 'team/app', references: ['1.0'] },
    ]);
    assert.equal(results.get(`${pageServer.host}/team/app`)?.reason, 'intercepted');
    const tokenVerdict = results.get(`${tokenServer.host}/team/app`);
    assert.equal(tokenVerdict?.reason, 'server-error', tokenVerdict?.message);
    assert.match(tokenVerdict?.message ?? '', /token endpoint answer larger than 32 KiB/);
    assert.ok(page.bytes < 16 * MiB && token.bytes < 16 * MiB, `${page.bytes} and ${token.bytes} bytes written`);
  });

  it('the function as a process, against three registries serving 1 GiB each, stays under 160 MiB', async () => {
    await buildFunctionOnce();
    const sent = [{ bytes: 0 }, { bytes: 0 }, { bytes: 0 }];
    // Hosts without a port (a port cannot be proxied, so it would not be probed): port 80, as root in CI.
    const hosts = ['127.0.0.41', '127.0.0.42', '127.0.0.43'];
    await serve(refusingHead(() => huge(manifestStart, 'application/octet-stream', sent[0]!)), hosts[0], 80);
    await serve(refusingHead(() => huge('<html>', 'text/html', sent[1]!)), hosts[1], 80);
    await serve(hugeTokenRegistry(sent[2]!, () => hosts[2]!), hosts[2], 80);
    const dir = mkdtempSync(join(tmpdir(), 'probe-bounded-'));
    try {
      const rssFile = join(dir, 'peak-rss');
      const preload = join(dir, 'peak-rss.cjs');
      // resourceUsage().maxRSS is the process's peak in KiB, whatever happened in between.
      writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS * 1024)));\n`);
      const input = buildResourceList(
        `{appSlug: my-app, licenseID: bounded-reads-license, probe: {insecureRegistries: [${hosts.join(', ')}], timeoutSeconds: 30, deadlineSeconds: 120}}`,
        hosts.map((host) => `${host}/team/app:1.0`),
      );
      const result = await run(process.execPath, ['--require', preload, FUNCTION_PATH], { input, env: { PATH: process.env['PATH'] ?? '' }, timeoutMs: 110_000 });
      assert.equal(result.exitCode, 0, result.stderr);
      const peak = Number(readFileSync(rssFile, 'utf8'));
      process.stdout.write(`      peak RSS ${(peak / MiB).toFixed(1)} MiB; bytes the registries wrote: ${sent.map((entry) => entry.bytes).join(', ')}\n`);
      assert.ok(peak < 160 * MiB, `peak RSS ${(peak / MiB).toFixed(1)} MiB`);
      assert.match(result.stdout, /image 127\.0\.0\.41\/team\/app:1\.0 is public \(probe: granted/);
      assert.match(result.stdout, /127\.0\.0\.42\/team\/app:1\.0: probe: intercepted/);
      assert.match(result.stdout, /127\.0\.0\.43\/team\/app:1\.0: probe: server-error: token endpoint answer larger than 32 KiB/);
      for (const entry of sent) assert.ok(entry.bytes < 16 * MiB, `${entry.bytes} bytes written`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
