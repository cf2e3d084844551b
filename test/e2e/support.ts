// Helpers of the end-to-end suite: the real orchestrators (kpt, kubectl kustomize) run the bundled
// function (dist/registry-proxy.cjs), on copies of the smoke packages in test/smoke/<client>/.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { accessSync, constants, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled file lives in `<outDir>/e2e/`, and outDir is a direct child of the repo root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FUNCTION_PATH = join(REPO_ROOT, 'dist', 'registry-proxy.cjs');
/** The smoke packages, one per real client, each with its expected output (test/smoke/README.md). */
export const SMOKE = join(REPO_ROOT, 'test', 'smoke');
/** The stand-in `docker` CLI (docker-standin.ts), compiled beside this file. */
export const DOCKER_STANDIN_PATH = fileURLToPath(new URL('./docker-standin.js', import.meta.url));

/** Set to regenerate the expected files; the run then fails, so it can never pass CI by accident. */
export const UPDATE_ENV = 'REGISTRY_PROXY_E2E_UPDATE';

const COMMAND_TIMEOUT_MS = 30_000;

let built: Promise<void> | undefined;

/** Bundles the function once per test run (under a second): the suite always tests the current sources. */
export function buildFunctionOnce(): Promise<void> {
  built ??= run(process.execPath, ['scripts/bundle.mjs'], { cwd: REPO_ROOT }).then((result) => {
    if (result.exitCode !== 0) throw new Error(`node scripts/bundle.mjs failed (exit ${result.exitCode}):\n${result.stderr}`);
  });
  return built;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

const toolPaths = new Map<string, string>();

/**
 * `name` on PATH, else the one the google-cloud-cli Debian package installs (where kpt and kubectl come
 * from on the project's machines). Missing is a failure, not a skip: CI installs both (.ci/run).
 */
function findTool(name: string): string {
  const cached = toolPaths.get(name);
  if (cached !== undefined) return cached;
  let found = findOnPath(name);
  if (found === undefined) {
    try {
      const files = execFileSync('dpkg', ['-L', 'google-cloud-cli'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      found = files.split('\n').find((line) => line.endsWith(`/bin/${name}`) && isExecutable(line));
    } catch {
      // no dpkg, or the package is not installed
    }
  }
  if (found === undefined) throw new Error(`${name} not found: not on PATH and not in the google-cloud-cli package (dpkg -L google-cloud-cli)`);
  toolPaths.set(name, found);
  return found;
}

export function findKpt(): string {
  return findTool('kpt');
}

/** kubectl, for `kubectl kustomize` (kustomize v5.5 inside). */
export function findKubectl(): string {
  return findTool('kubectl');
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** null when the process was killed (timeout). */
  exitCode: number | null;
}

export interface RunOptions {
  cwd?: string;
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs a command without a shell, capturing stdout, stderr and the exit code; kills it after the timeout. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? COMMAND_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), exitCode: code });
    });
    child.stdin.on('error', () => {
      // the child may exit without reading its input; its exit code tells the story
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh directory under the system temp dir; `removeTempDirs` deletes every one made. */
const tempDirs: string[] = [];

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `registry-proxy-e2e-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Copies `test/smoke/<fixture>` to `dest` (created). */
export function copyFixture(fixture: string, dest: string): string {
  cpSync(join(SMOKE, fixture), dest, { recursive: true });
  return dest;
}

/** Every file under `dir`, by path relative to it (sorted), with its text. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/**
 * `diff -ruN <left> <right>` run from `parent` (both are its children), with the timestamps dropped
 * from the `---`/`+++` headers so the text is stable across runs and machines.
 */
export async function diffDirs(parent: string, left: string, right: string): Promise<string> {
  const result = await run('diff', ['-ruN', left, right], { cwd: parent });
  if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`diff failed (exit ${result.exitCode}): ${result.stderr}`);
  return result.stdout.replace(/^((?:---|\+\+\+) [^\t\n]+)\t[^\n]*$/gm, '$1');
}

/**
 * Asserts `actual` equals the committed file `test/smoke/<name>`. With REGISTRY_PROXY_E2E_UPDATE=1 it
 * writes the file instead and fails, so a regenerated expectation is always reviewed before it counts.
 */
export function assertMatchesExpected(actual: string, name: string): void {
  const path = join(SMOKE, name);
  if (process.env[UPDATE_ENV] === '1') {
    writeFileSync(path, actual);
    assert.fail(`wrote ${relative(REPO_ROOT, path)}: review it (git diff), then run again without ${UPDATE_ENV}`);
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `output differs from ${relative(REPO_ROOT, path)} (regenerate with ${UPDATE_ENV}=1, then review)`);
}

/** The `.dockerconfigjson` the function must generate: KOTS's format, compact JSON, hosts sorted. */
export function expectedDockerConfigJson(licenseID: string): string {
  const auth = Buffer.from(`LICENSE_ID:${licenseID}`, 'utf8').toString('base64');
  return JSON.stringify({ auths: { 'proxy.replicated.com': { auth }, 'registry.replicated.com': { auth } } });
}

/** Quotes a word for /bin/sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A TCP listener on loopback that accepts and never answers: an HTTPS proxy (or registry) that hangs, so a
 * probe through it stays busy until the process is stopped. `nextConnection()` resolves on the next accept.
 */
export interface SilentServer {
  port: number;
  nextConnection(): Promise<void>;
  close(): void;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets: Socket[] = [];
  let onConnection: (() => void) | undefined;
  const server = createServer((socket) => {
    sockets.push(socket);
    onConnection?.();
    onConnection = undefined;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    nextConnection: () => new Promise<void>((resolve) => (onConnection = resolve)),
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
