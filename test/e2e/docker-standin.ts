// A stand-in for the `docker` CLI, put first on PATH for `kubectl kustomize --enable-alpha-plugins`.
// kustomize runs a container function as `docker run --rm -i -a STDIN -a STDOUT -a STDERR --network
// <none|host> --user nobody --security-opt=no-new-privileges [--mount M]... [-e E]... IMAGE`
// (krm-contract.md). This program records that argv, refuses any other shape (exit 125, as docker does
// for its own errors), and runs the bundled function instead of the image: stdin, stdout and stderr
// passed through, and — like a container — an environment holding only what `-e` gave it.
// Environment: see docker-standin-common.ts.
import { CONTAINER_PATH, recordArguments, refuse, runImageArguments } from './docker-standin-common.js';

const FIXED_PREFIX = ['run', '--rm', '-i', '-a', 'STDIN', '-a', 'STDOUT', '-a', 'STDERR'];
const AFTER_NETWORK = ['--user', 'nobody', '--security-opt=no-new-privileges'];

const argv = recordArguments();
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

// A container's environment: its PATH, and only what `-e` gives it.
runImageArguments(argv, at, { PATH: CONTAINER_PATH }, ['--mount']);
