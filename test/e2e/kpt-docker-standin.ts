// A stand-in for the `docker` CLI, put first on PATH for kpt's container functions (`kpt fn render` of a
// Kptfile `image:` entry, `kpt fn eval --image`). kpt 1.0.0-beta.56 calls docker twice per function:
//   docker version --format {{.Client.Version}}      (is docker there? anything else fails the run)
//   docker run --rm -i --network none --user nobody --security-opt=no-new-privileges --pull missing
//     [-e NAME | -e NAME=VALUE]... IMAGE
// (krm-contract.md; `-e` only from `kpt fn eval --env`, which `kpt fn render` does not have). This program
// records every argv, refuses any other shape (exit 125, as docker does for its own errors), and runs the
// bundled function instead of the image: stdin, stdout and stderr passed through, and, like the container,
// an environment holding only the image's own variables and what `-e` gave it.
// Environment: see docker-standin-common.ts.
import { CONTAINER_PATH, recordArguments, refuse, runImageArguments, sameWords } from './docker-standin-common.js';

const VERSION = ['version', '--format', '{{.Client.Version}}'];
/** Answered to `docker version`: kpt only checks that the command succeeds. */
const CLIENT_VERSION = '27.3.1';
const RUN_PREFIX = ['run', '--rm', '-i', '--network', 'none', '--user', 'nobody', '--security-opt=no-new-privileges', '--pull', 'missing'];
/** The image's environment (Dockerfile: `ENV HOME=/tmp`, the base image's PATH); nothing of the caller's gets in. */
const IMAGE_ENV = { PATH: CONTAINER_PATH, HOME: '/tmp' };

const argv = recordArguments();
if (sameWords(argv, VERSION)) {
  process.stdout.write(`${CLIENT_VERSION}\n`);
  process.exit(0);
}
if (!sameWords(argv.slice(0, RUN_PREFIX.length), RUN_PREFIX)) {
  refuse(`expected ${JSON.stringify(VERSION.join(' '))} or ${JSON.stringify(RUN_PREFIX.join(' '))} first, got ${JSON.stringify(argv.join(' '))}`);
}
runImageArguments(argv, RUN_PREFIX.length, { ...IMAGE_ENV });
