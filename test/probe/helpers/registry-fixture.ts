// Real registries for the probe's tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1, free
// ports, one temporary directory. Four servers share one storage directory, so one push serves all:
//   open      no auth: every repository public
//   htpasswd  Basic auth: every repository private
//   token     token auth through our token server: per-repository public / private / denied
//   tls       no auth over https, certificate from a throwaway CA
// Needs the apt packages docker-registry, apache2-utils (htpasswd) and openssl.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, pushImage } from './oci-image.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { startTokenServer, type RepositoryPolicy, type TokenServer } from './token-server.js';

export interface RegistryProcess {
  host: string; // "127.0.0.1:<port>"
  stop(): Promise<void>;
}

export interface RegistryFixture {
  open: RegistryProcess;
  htpasswd: RegistryProcess;
  token: RegistryProcess;
  tls: RegistryProcess;
  tokenServer: TokenServer;
  pki: TestPki;
  user: { username: string; password: string };
  digests: ReadonlyMap<string, string>; // "repository:tag" -> digest
  stop(): Promise<void>;
}

/** What every fixture holds. Token policy follows the name: "private" and "denied" in it, else public. */
export const fixtureImages = [
  { repository: 'team/public-app', tag: '1.0', multiArch: false },
  { repository: 'team/public-app', tag: 'multi', multiArch: true },
  { repository: 'team/private-app', tag: '1.0', multiArch: false },
  { repository: 'team/denied-app', tag: '1.0', multiArch: false },
  { repository: 'library/busybox', tag: '1.36', multiArch: true },
] as const;

export function policyFor(repository: string): RepositoryPolicy {
  if (repository.includes('denied')) return 'denied';
  if (repository.includes('private')) return 'private';
  return 'public';
}

const binaryCandidates = ['/usr/bin/docker-registry', '/usr/local/bin/docker-registry'];

/** REGISTRY_BINARY, when set, is the only place looked at (also how to see the "missing" path work). */
export function findRegistryBinary(): string | undefined {
  const configured = process.env['REGISTRY_BINARY'];
  if (configured !== undefined && configured !== '') return existsSync(configured) ? configured : undefined;
  return binaryCandidates.find((candidate) => existsSync(candidate));
}

/**
 * Fails loudly when the registry is missing; skips (loudly) only with REGISTRY_PROXY_ALLOW_SKIP=1, so a CI
 * without the packages can never pass by accident.
 */
export function requireRegistryBinary(context: Mocha.Context): void {
  if (findRegistryBinary() !== undefined) return;
  const help = 'docker-registry not found: apt-get install -y docker-registry apache2-utils openssl';
  if (process.env['REGISTRY_PROXY_ALLOW_SKIP'] === '1') {
    process.stderr.write(`\n!!! SKIPPING real-registry probe tests: ${help} !!!\n\n`);
    context.skip();
  }
  throw new Error(`${help} (or set REGISTRY_PROXY_ALLOW_SKIP=1 to skip these tests)`);
}

export async function startRegistryFixture(): Promise<RegistryFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'probe-registry-'));
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((item) => item.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pki = createTestPki(dir);
    const storageDir = join(dir, 'storage');
    const user = { username: 'fixture-user', password: 'fixture-password-7d1f' };
    const htpasswdPath = join(dir, 'htpasswd');
    writeFileSync(htpasswdPath, execFileSync('htpasswd', ['-Bbn', user.username, user.password], { encoding: 'utf8' }));

    const service = 'probe-test-registry';
    const issuer = 'probe-test-issuer';
    const tokenServer = await startTokenServer({
      service,
      issuer,
      signingKeyPem: pki.tokenKeyPem,
      certificateDerBase64: pki.tokenCertDerBase64,
      policy: policyFor,
      users: { [user.username]: user.password },
    });
    started.push({ stop: () => tokenServer.close() });

    const [open, htpasswd, token, tls] = await Promise.all([
      startRegistry({ dir, name: 'open', storageDir }),
      startRegistry({ dir, name: 'htpasswd', storageDir, auth: { htpasswd: { realm: 'probe-test', path: htpasswdPath } } }),
      startRegistry({ dir, name: 'token', storageDir, auth: { token: { realm: tokenServer.realm, service, issuer, rootcertbundle: pki.tokenCertPath } } }),
      startRegistry({ dir, name: 'tls', storageDir, tls: { certificate: pki.serverCertPath, key: pki.serverKeyPath } }),
    ]);
    started.push(open, htpasswd, token, tls);

    const digests = new Map<string, string>();
    for (const image of fixtureImages) {
      const built = buildImage(`${image.repository}:${image.tag}`, { multiArch: image.multiArch });
      digests.set(`${image.repository}:${image.tag}`, await pushImage(`http://${open.host}`, image.repository, image.tag, built));
    }
    return { open, htpasswd, token, tls, tokenServer, pki, user, digests, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface RegistryOptions {
  dir: string;
  name: string;
  storageDir: string;
  auth?: Record<string, unknown>;
  tls?: { certificate: string; key: string };
}

/** Starts one `docker-registry serve`; retries on a port taken between choosing and binding it. */
export async function startRegistry(options: RegistryOptions): Promise<RegistryProcess> {
  const binary = findRegistryBinary();
  if (binary === undefined) throw new Error('docker-registry not found');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await findFreePort();
    const configPath = join(options.dir, `${options.name}.yml`);
    // JSON is YAML: no quoting rules to get wrong.
    const config = {
      version: '0.1',
      log: { level: 'error', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: options.storageDir }, maintenance: { uploadpurging: { enabled: false } } },
      http: { addr: `127.0.0.1:${port}`, secret: 'probe-test-secret', ...(options.tls === undefined ? {} : { tls: options.tls }) },
      ...(options.auth === undefined ? {} : { auth: options.auth }),
    };
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    try {
      await waitForPort(port, child, 10_000);
      return { host: `127.0.0.1:${port}`, stop: () => stopProcess(child) };
    } catch (error) {
      await stopProcess(child);
      lastError = new Error(`docker-registry (${options.name}) did not start: ${String(error)}\n${stderr}`);
    }
  }
  throw lastError;
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`port ${port} not open after ${timeoutMs} ms`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
