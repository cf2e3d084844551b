// A stand-in for the `docker` CLI, put first on PATH for kpt's container functions (`kpt fn render` of a
// Kptfile `image:` entry, `kpt fn eval --image`). kpt 1.0.0-beta.56 calls docker twice per function:
//   docker version --format {{.Client.Version}}      (is docker there? anything else fails the run)
//   docker run --rm -i --network none --user nobody --security-opt=no-new-privileges --pull missing
//     [-e NAME | -e NAME=VALUE]... IMAGE
// (krm-contract.md; `-e` only from `kpt fn eval --env`, which `kpt fn render` does not have). This program
// records every argv, refuses any other shape (exit 125, as docker does for its own errors), and runs the
// bundled function instead of the image: stdin, stdout and stderr passed through, and, like the container,
// an environment holding only the image's own variables and what `-e` gave it.
//
// Environment (set by the test in kpt's environment, which docker inherits):
//   E2E_DOCKER_LOG       file to append one JSON line per call: the argv
//   E2E_DOCKER_FUNCTION  absolute path of dist/registry-proxy.cjs
//   E2E_DOCKER_IMAGE     the only image this stand-in agrees to "run"
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const VERSION = ['version', '--format', '{{.Client.Version}}'];
/** Answered to `docker version`: kpt only checks that the command succeeds. */
const CLIENT_VERSION = '27.3.1';
const RUN_PREFIX = ['run', '--rm', '-i', '--network', 'none', '--user', 'nobody', '--security-opt=no-new-privileges', '--pull', 'missing'];
/** The image's environment (Dockerfile: `ENV HOME=/tmp`, the base image's PATH); nothing of the caller's gets in. */
const IMAGE_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/tmp' };

function refuse(reason: string): never {
  process.stderr.write(`docker stand-in: ${reason}\n`);
  process.exit(125);
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') refuse(`${name} is not set`);
  return value;
}

function sameWords(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && actual.every((word, index) => word === expected[index]);
}

const argv = process.argv.slice(2);
appendFileSync(required('E2E_DOCKER_LOG'), `${JSON.stringify(argv)}\n`);

if (sameWords(argv, VERSION)) {
  process.stdout.write(`${CLIENT_VERSION}\n`);
  process.exit(0);
}
if (!sameWords(argv.slice(0, RUN_PREFIX.length), RUN_PREFIX)) {
  refuse(`expected ${JSON.stringify(VERSION.join(' '))} or ${JSON.stringify(RUN_PREFIX.join(' '))} first, got ${JSON.stringify(argv.join(' '))}`);
}

const env: NodeJS.ProcessEnv = { ...IMAGE_ENV };
let at = RUN_PREFIX.length;
while (at < argv.length - 1) {
  const flag = argv[at];
  const value = argv[at + 1];
  if (flag !== '-e' || value === undefined) refuse(`unexpected argument ${JSON.stringify(flag)} in ${JSON.stringify(argv.join(' '))}`);
  const equals = value.indexOf('=');
  // `-e NAME` copies the caller's value, and sets nothing when the caller has none (as docker does).
  if (equals === -1) {
    const inherited = process.env[value];
    if (inherited !== undefined) env[value] = inherited;
  } else {
    env[value.slice(0, equals)] = value.slice(equals + 1);
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
