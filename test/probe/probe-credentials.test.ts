// Credentials from environment variables named in the config: sent only to the registry they are configured
// for, used only to tell "private" from "missing" after an anonymous refusal, never echoed in a message.

import assert from 'node:assert/strict';
import { createRegistryProbe } from '../../fn/probe/index.js';
import { bearerChallenge, startFaultServer, status, tokenResponse, type FaultHandler, type FaultServer } from './helpers/fault-server.js';
import { createTestOptions, fastTuning } from './helpers/probe-options.js';
import type { ProbeOptions, ProbeVerdict } from '../../fn/probe/types.js';

const password = 'pa55-w0rd-never-shown';
const basic = `Basic ${Buffer.from(`robot:${password}`).toString('base64')}`;
const servers: FaultServer[] = [];

async function serve(handler: FaultHandler): Promise<FaultServer> {
  const server = await startFaultServer(handler);
  servers.push(server);
  return server;
}

function optionsFor(configured: string, hosts: string[], env: Record<string, string | undefined> = { REG_USER: 'robot', REG_PASS: password }): ProbeOptions {
  return createTestOptions({
    insecureRegistries: hosts,
    credentials: [{ registry: configured, usernameEnv: 'REG_USER', passwordEnv: 'REG_PASS' }],
    env,
  });
}

async function probeOne(options: ProbeOptions, host: string, references = ['1.0']): Promise<ProbeVerdict> {
  const verdict = (await createRegistryProbe(options, fastTuning).probe([{ registry: host, repository: 'team/app', references }])).get(`${host}/team/app`);
  assert.ok(verdict);
  assert.doesNotMatch(verdict.message, new RegExp(password));
  return verdict;
}

// A registry behind Basic auth holding only team/app:1.0.
const basicRegistry: FaultHandler = (request) => {
  if (request.headers.authorization !== basic) return status(401, { 'www-authenticate': 'Basic realm="r"' });
  return request.path.endsWith('/manifests/1.0') ? { kind: 'manifest' } : status(404);
};

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('probe with configured credentials', () => {
  it('stays private when the image exists with credentials, sending them only after the anonymous refusal', async () => {
    const server = await serve(basicRegistry);
    const verdict = await probeOne(optionsFor(server.host, [server.host]), server.host);
    assert.deepEqual(verdict, {
      visibility: 'private',
      reason: 'denied',
      cacheable: true,
      warning: false,
      message: 'HTTP 401 with a Basic challenge; present with the configured credentials',
    });
    assert.deepEqual(server.requests.map((r) => r.headers.authorization), [undefined, undefined, basic]);
  });

  it('reports not-found when the image is missing even with credentials', async () => {
    const server = await serve(basicRegistry);
    const verdict = await probeOne(optionsFor(server.host, [server.host]), server.host, ['9.9']);
    assert.equal(verdict.reason, 'not-found');
    assert.equal(verdict.visibility, 'private');
    assert.equal(verdict.warning, true);
  });

  it('warns when the credentials are refused too', async () => {
    const server = await serve(basicRegistry);
    const verdict = await probeOne(optionsFor(server.host, [server.host], { REG_USER: 'robot', REG_PASS: 'wrong' }), server.host);
    assert.equal(verdict.reason, 'denied');
    assert.equal(verdict.warning, true);
    assert.match(verdict.message, /credentials were refused too/);
  });

  it('never sends them to another registry', async () => {
    const configured = await serve(basicRegistry);
    const other = await serve(basicRegistry);
    const verdict = await probeOne(optionsFor(configured.host, [configured.host, other.host]), other.host);
    assert.equal(verdict.message, 'HTTP 401 with a Basic challenge');
    assert.ok(other.requests.every((r) => r.headers.authorization === undefined));
  });

  it('sends nothing when the variables are unset', async () => {
    const server = await serve(basicRegistry);
    const verdict = await probeOne(optionsFor(server.host, [server.host], {}), server.host);
    assert.equal(verdict.message, 'HTTP 401 with a Basic challenge');
    assert.ok(server.requests.every((r) => r.headers.authorization === undefined));
  });

  it('asks the token realm with Basic credentials only on the authenticated pass', async () => {
    const server = await serve((request) => {
      if (request.path.startsWith('/token')) return tokenResponse(request.headers.authorization === basic ? 'robot-token' : 'anon-token');
      if (request.headers.authorization === 'Bearer robot-token') return { kind: 'manifest' };
      return bearerChallenge(`${server.origin}/token`);
    });
    const verdict = await probeOne(optionsFor(server.host, [server.host]), server.host);
    assert.equal(verdict.message, 'HTTP 401 after anonymous token; present with the configured credentials');
    const tokenAuth = server.requests.filter((r) => r.path.startsWith('/token')).map((r) => r.headers.authorization);
    assert.deepEqual(tokenAuth, [undefined, basic]);
    const manifestAuth = server.requests.filter((r) => r.path.includes('/manifests/')).map((r) => r.headers.authorization);
    // Anonymous: challenge, then the anonymous token. Authenticated: the remembered challenge saves a round trip.
    assert.deepEqual(manifestAuth, [undefined, 'Bearer anon-token', 'Bearer robot-token']);
  });

  it('never writes to stdout', async () => {
    const server = await serve(basicRegistry);
    const writes: unknown[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: unknown) => {
      writes.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      await probeOne(optionsFor(server.host, [server.host]), server.host);
      await probeOne(createTestOptions(), '127.0.0.1:1');
    } finally {
      process.stdout.write = original;
    }
    assert.deepEqual(writes, []);
  });
});
