// What the `docker` stand-ins for kustomize and kpt share: refusing an unexpected call the way docker
// refuses its own errors (exit 125), the `-e` flags, the image check, and running the bundled function in
// place of the image with the environment a container would have.
//
// Environment (set by the tests in the orchestrator's environment, which docker inherits):
//   E2E_DOCKER_LOG       file to append one JSON line per call: the argv
//   E2E_DOCKER_FUNCTION  absolute path of dist/registry-proxy.cjs
//   E2E_DOCKER_IMAGE     the only image a stand-in agrees to "run"
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

/** A container's PATH in the usual base images. */
export const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function refuse(reason: string): never {
  process.stderr.write(`docker stand-in: ${reason}\n`);
  process.exit(125);
}

export function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') refuse(`${name} is not set`);
  return value;
}

/** This call's arguments, after recording them for the test. */
export function recordArguments(): string[] {
  const argv = process.argv.slice(2);
  appendFileSync(required('E2E_DOCKER_LOG'), `${JSON.stringify(argv)}\n`);
  return argv;
}

export function sameWords(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && actual.every((word, index) => word === expected[index]);
}

/**
 * Reads `FLAG VALUE` pairs from `at` up to the image, the last argument: `-e` sets the container's
 * environment (`-e NAME` copies the caller's value and sets nothing when the caller has none, as docker
 * does); other flags must be in `alsoAllowed` and are ignored. Then checks the image and runs the function.
 */
export function runImageArguments(argv: readonly string[], at: number, env: NodeJS.ProcessEnv, alsoAllowed: readonly string[] = []): void {
  while (at < argv.length - 1) {
    const flag = argv[at];
    const value = argv[at + 1];
    if (value === undefined || flag === undefined || (flag !== '-e' && !alsoAllowed.includes(flag))) {
      refuse(`unexpected argument ${JSON.stringify(flag)} in ${JSON.stringify(argv.join(' '))}`);
    }
    if (flag === '-e') {
      const equals = value.indexOf('=');
      if (equals === -1) {
        const inherited = process.env[value];
        if (inherited !== undefined) env[value] = inherited;
      } else {
        env[value.slice(0, equals)] = value.slice(equals + 1);
      }
    }
    at += 2;
  }
  const image = argv[at];
  if (image !== required('E2E_DOCKER_IMAGE')) refuse(`unexpected image ${JSON.stringify(image)}`);
  const child = spawn(process.execPath, [required('E2E_DOCKER_FUNCTION')], { stdio: 'inherit', env });
  child.on('error', (error) => refuse(`cannot start the function: ${error.message}`));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 128 : 1);
  });
}
