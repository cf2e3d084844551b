// The bundle as a process, stopped by SIGTERM and SIGINT wherever it is: waiting for stdin, in a probe of
// a registry that never answers, and writing a large output nobody reads. (The image, as PID 1: the
// signal tests in test/e2e/container-image.test.ts.)
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { buildFunctionOnce, FUNCTION_PATH, startSilentServer, type SilentServer } from './e2e/support.js';
import { formatInterrupted, INTERRUPT_EXIT_CODES, type InterruptSignal } from '../fn/signals.js';

const LICENSE_ENV = 'REGISTRY_PROXY_LICENSE_ID';
/** The goal is a second; the bound leaves room for a loaded machine and still fails a function that hangs. */
const LIMIT_MS = 2_000;

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: Buffer[];
  stderr: Buffer[];
  /** The exit code, or a string when it did not end in time (then killed). */
  exited: Promise<number | string | null>;
}

function start(extraEnv: Record<string, string> = {}): Running {
  const env = { PATH: process.env['PATH'] ?? '', [LICENSE_ENV]: 'signals-test-license', ...extraEnv };
  const child = spawn(process.execPath, [FUNCTION_PATH], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const running: Running = { child, stdout: [], stderr: [], exited: Promise.resolve(null) };
  child.stdout.on('data', (chunk: Buffer) => running.stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => running.stderr.push(chunk));
  child.stdin.on('error', () => {});
  return running;
}

/** Sends `signal` and waits at most LIMIT_MS for the exit. */
function interrupt(running: Running, signal: InterruptSignal): Promise<number | string | null> {
  const closed = new Promise<number | null>((resolve) => running.child.on('close', (code) => resolve(code)));
  running.child.kill(signal);
  return Promise.race([
    closed,
    new Promise<string>((resolve) =>
      setTimeout(() => {
        running.child.kill('SIGKILL');
        resolve(`still running ${LIMIT_MS} ms after ${signal}`);
      }, LIMIT_MS),
    ),
  ]);
}

function text(chunks: readonly Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8');
}

function deployments(count: number, image: string): string {
  const items = Array.from(
    { length: count },
    (_, index) => `- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: d${index}
    namespace: ns
  spec:
    template:
      spec:
        containers:
        - name: c
          image: ${image}
`,
  ).join('');
  return `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
${items}functionConfig:
  apiVersion: fn.registry-proxy.dev/v1alpha1
  kind: RegistryProxy
  metadata:
    name: registry-proxy
  spec:
    appSlug: my-app
    licenseIDFromEnv: ${LICENSE_ENV}
    probe: {timeoutSeconds: 60, deadlineSeconds: 120}
`;
}

describe('signals: the function as a process', function () {
  let silent: SilentServer;

  before(async function () {
    await buildFunctionOnce();
    // An HTTPS proxy that accepts and never answers: the probe of any registry waits on it. (A registry on
    // loopback itself would need a port, and an image whose registry has a port is never probed.)
    silent = await startSilentServer();
  });
  after(function () {
    silent?.close();
  });

  for (const signal of Object.keys(INTERRUPT_EXIT_CODES) as InterruptSignal[]) {
    const code = INTERRUPT_EXIT_CODES[signal];

    it(`${signal} while it waits for stdin (a pipe left open): exit ${code}, one line, not "cannot read stdin (EINTR)"`, async function () {
      const running = start();
      await new Promise((resolve) => setTimeout(resolve, 500)); // node is up and in the read
      const exitCode = await interrupt(running, signal);
      running.child.stdin.destroy();
      assert.equal(exitCode, code, text(running.stderr));
      assert.equal(text(running.stderr), formatInterrupted(signal));
      assert.equal(text(running.stdout), '');
    });

    it(`${signal} mid-probe (a proxy that never answers): exit ${code}, one line, nothing on stdout`, async function () {
      const probed = silent.nextConnection();
      const running = start({ HTTPS_PROXY: `http://127.0.0.1:${silent.port}` });
      running.child.stdin.end(deployments(1, 'quay.io/o/x:1'));
      await probed;
      const exitCode = await interrupt(running, signal);
      assert.equal(exitCode, code, text(running.stderr));
      assert.equal(text(running.stderr), formatInterrupted(signal));
      assert.equal(text(running.stdout), '');
    });

    it(`${signal} while it writes an output nobody reads: exit ${code}, one line (what reached stdout is not a result)`, async function () {
      const running = start();
      // Decided by a rule: no probe; a few MiB of output, far more than a pipe holds.
      const input = deployments(1500, 'quay.io/o/x:1').replace('    probe:', '    rules: [{match: "quay.io/**", private: true}]\n    probe:');
      const writing = new Promise<void>((resolve) => running.child.stdout.once('data', () => resolve()));
      running.child.stdin.end(input);
      await writing;
      running.child.stdout.pause(); // nobody reads on: the function's write stays pending
      const exitCode = await interrupt(running, signal);
      assert.equal(exitCode, code, text(running.stderr));
      assert.equal(text(running.stderr), formatInterrupted(signal));
    });
  }
});
