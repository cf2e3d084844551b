// A stand-in for the `docker` CLI, put first on PATH for `kubectl kustomize --enable-alpha-plugins`.
// kustomize runs a container function as `docker run --rm -i -a STDIN -a STDOUT -a STDERR --network
// <none|host> --user nobody --security-opt=no-new-privileges [--mount M]... [-e E]... IMAGE`
// (krm-contract.md). This program records that argv, refuses any other shape (exit 125, as docker does
// for its own errors), and runs the bundled function instead of the image: stdin, stdout and stderr
// passed through, and — like a container — an environment holding only what `-e` gave it.
//
// Environment (set by the test in kustomize's environment, which docker inherits):
//   E2E_DOCKER_LOG       file to append one JSON line per call: the argv
//   E2E_DOCKER_FUNCTION  absolute path of dist/registry-proxy.cjs
//   E2E_DOCKER_IMAGE     the only image this stand-in agrees to "run"
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const FIXED_PREFIX = ['run', '--rm', '-i', '-a', 'STDIN', '-a', 'STDOUT', '-a', 'STDERR'];
const AFTER_NETWORK = ['--user', 'nobody', '--security-opt=no-new-privileges'];
/** A container's PATH in the usual base images; nothing else of the caller's environment gets in. */
const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function refuse(reason: string): never {
  process.stderr.write(`docker stand-in: ${reason}\n`);
  process.exit(125);
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') refuse(`${name} is not set`);
  return value;
}

const argv = process.argv.slice(2);
appendFileSync(required('E2E_DOCKER_LOG'), `${JSON.stringify(argv)}\n`);

FIXED_PREFIX.forEach((word, index) => {
  if (argv[index] !== word) refuse(`expected ${JSON.stringify(FIXED_PREFIX.join(' '))} first, got ${JSON.stringify(argv.join(' '))}`);
});
let at = FIXED_PREFIX.length;
if (argv[at] !== '--network' || (argv[at + 1] !== 'none' && argv[at + 1] !== 'host')) {
  refuse(`expected --network none|host at argument ${at}, got ${JSON.stringify(argv.slice(at, at + 2))}`);
}
at += 2;
AFTER_NETWORK.forEach((word, index) => {
  if (argv[at + index] !== word) refuse(`expected ${JSON.stringify(AFTER_NETWORK.join(' '))} after --network, got ${JSON.stringify(argv.join(' '))}`);
});
at += AFTER_NETWORK.length;

const env: NodeJS.ProcessEnv = { PATH: CONTAINER_PATH };
while (at < argv.length - 1) {
  const flag = argv[at];
  const value = argv[at + 1];
  if (value === undefined || (flag !== '-e' && flag !== '--mount')) refuse(`unexpected argument ${JSON.stringify(flag)}`);
  if (flag === '-e') {
    const equals = value.indexOf('=');
    // `-e NAME` copies the caller's value, and sets nothing when the caller has none (as docker does).
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
