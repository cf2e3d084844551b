// Runs a command the way kpt and kustomize run the function's container, as far as this machine allows
// without a container engine: `--user nobody` (setpriv to uid/gid 65534, no supplementary groups),
// `--security-opt=no-new-privileges` (setpriv --no-new-privs) and `--network none` (a new, empty network
// namespace: unshare --net, root only). What cannot be had is reported in `notes`, not hidden.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `nobody` in the node:alpine, distroless and Debian images alike. */
export const NOBODY = 65534;

export interface SandboxResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export interface RunOptions {
  command: string;
  args: readonly string[];
  stdin: string;
  /** The whole environment: nothing is inherited, as in a container (no HOME unless given). */
  env: Readonly<Record<string, string>>;
  cwd: string;
  timeoutMs: number;
}

export interface Sandbox {
  /** Runs as uid/gid 65534 (false when this process is not root and cannot switch). */
  asNobody: boolean;
  /** Runs in a network namespace of its own, with only a loopback interface that is down. */
  withoutNetwork: boolean;
  /** What the sandbox could not do here, to be printed where a reader sees it. */
  notes: string[];
  run(options: RunOptions): Promise<SandboxResult>;
}

/** Probes once what this machine allows: user switching, and a network namespace. */
export function createSandbox(): Sandbox {
  const notes: string[] = [];
  const prefix: string[] = [];
  const unshare = findExecutable('unshare');
  const setpriv = findExecutable('setpriv');

  let withoutNetwork = false;
  if (unshare === undefined) {
    notes.push('unshare not found: the function runs WITH network (it must not need it)');
  } else {
    const probe = spawnSync(unshare, ['--net', 'true'], { encoding: 'utf8' });
    if (probe.status === 0) {
      prefix.push(unshare, '--net');
      withoutNetwork = true;
    } else {
      const reason = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim();
      notes.push(`unshare --net failed (${reason}): the function runs WITH network (it must not need it)`);
    }
  }

  const asNobody = process.getuid?.() === 0 && setpriv !== undefined;
  if (asNobody) {
    prefix.push(setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--no-new-privs');
  } else {
    notes.push(setpriv === undefined ? 'setpriv not found: the function runs as this user, not nobody' : 'not root: the function runs as this user, not nobody');
  }

  return {
    asNobody,
    withoutNetwork,
    notes,
    run: (options) => {
      const [command, ...args] = [...prefix, options.command, ...options.args];
      return runProcess(command ?? options.command, args, options);
    },
  };
}

function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<SandboxResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: { ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        elapsedMs: performance.now() - started,
      });
    });
    // The function may exit before reading everything (bad input): a closed pipe is not a test failure.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin);
  });
}

/** `name` on PATH, or in the sbin directories a non-login root shell may lack. */
function findExecutable(name: string): string | undefined {
  const directories = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const directory of directories) {
    if (directory === '') continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
