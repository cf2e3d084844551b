// The image's filesystem, as far as the function can tell: the bundle alone in /app (root-owned, world-
// readable), node in /usr/local/bin, outside the work tree (no node_modules of the repo above the bundle),
// and writable directories to watch. Copies, not the repo's files: the run then needs nothing from the
// work tree (a `require` the bundle left unresolved fails here as it would in the image), and nobody can
// reach them wherever the repo lives.
import { chmodSync, chownSync, constants, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_NAME } from './image-rules.js';

export interface ImageStandIn {
  root: string;
  nodePath: string;
  bundlePath: string;
  /** A working directory the function may write to (owned by `owner`): it must stay empty. */
  workDir: string;
  /** TMPDIR for the function (owned by `owner`): the one place it may write; it writes nothing there either. */
  tmpDir: string;
  /** Files and directories found under workDir and tmpDir, as paths relative to root. */
  listWritten(): string[];
  remove(): void;
}

export function createImageStandIn(bundle: string, node: string, owner: number | undefined): ImageStandIn {
  const root = mkdtempSync(join(tmpdir(), 'registry-proxy-image-'));
  // mkdtemp makes 0700: the function's user must be able to walk in, as into the image's /.
  chmodSync(root, 0o755);
  const nodePath = join(root, 'usr', 'local', 'bin', 'node');
  const bundlePath = join(root, 'app', BUNDLE_NAME);
  for (const directory of ['usr', 'usr/local', 'usr/local/bin', 'app']) {
    mkdirSync(join(root, directory));
    chmodSync(join(root, directory), 0o755); // whatever the umask
  }
  copyFileSync(node, nodePath, constants.COPYFILE_FICLONE);
  chmodSync(nodePath, 0o755);
  copyFileSync(bundle, bundlePath);
  chmodSync(bundlePath, 0o644);

  const workDir = join(root, 'work');
  const tmpDir = join(root, 'tmp');
  for (const directory of [workDir, tmpDir]) {
    mkdirSync(directory);
    chmodSync(directory, 0o700);
    if (owner !== undefined) chownSync(directory, owner, owner);
  }

  return {
    root,
    nodePath,
    bundlePath,
    workDir,
    tmpDir,
    listWritten: () => [workDir, tmpDir].flatMap((directory) => readdirSync(directory, { recursive: true }).map((entry) => join(directory.slice(root.length + 1), String(entry)))),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
