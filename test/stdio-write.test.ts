import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeChunks, isWriteSyncSafe, writeAllSync } from '../fn/stdio-write.js';

describe('stdio-write', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'registry-proxy-stdio-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes all of a text to a file, multi-byte characters whole', () => {
    const text = `${'ü€𝄞'.repeat(50_000)}\n`;
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      assert.equal(isWriteSyncSafe(fd), true);
      writeAllSync(fd, text);
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(join(dir, 'out'), 'utf8'), text);
  });

  it('writes a text of several slices whole, a surrogate pair across a slice boundary included', () => {
    // 1 MiB of UTF-16 code units per slice: the pair starts at the last unit of the first slice.
    const text = `${'a'.repeat((1 << 20) - 1)}𝄞${'b€'.repeat(600_000)}𝄞\n`;
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      writeAllSync(fd, text);
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(join(dir, 'out'), 'utf8'), text);
  });

  it('writes text made of pieces whole: a surrogate pair split between two pieces, pieces across the 1 MiB chunks', () => {
    const pieces = ['a'.repeat((1 << 20) - 2), '€', '\ud834', '\udd1e', '', 'b€'.repeat(400_000), '\ud834', 'x\ud834', '\udd1e'];
    const fd = openSync(join(dir, 'out'), 'w');
    try {
      writeAllSync(fd, { pieces: () => pieces });
    } finally {
      closeSync(fd);
    }
    assert.deepEqual(readFileSync(join(dir, 'out')), Buffer.from(pieces.join(''), 'utf8'));
  });

  it('encodes into chunks of at most 1 MiB, one buffer reused, a short text into a buffer its size', () => {
    const text = { pieces: () => ['ü'.repeat(700_000), '\n'] };
    const chunks = [...encodeChunks(text)].map((chunk) => ({ length: chunk.length, buffer: chunk.buffer }));
    assert.deepEqual(chunks.map((chunk) => chunk.length), [1 << 20, 2 * 700_000 + 1 - (1 << 20)]);
    assert.equal(chunks[0]!.buffer, chunks[1]!.buffer);
    const [line] = [...encodeChunks('registry-proxy: error: x\n')];
    assert.ok(line!.buffer.byteLength < 1024, `a ${line!.buffer.byteLength}-byte buffer for one line`);
  });

  it('a full disk is the write error (ENOSPC), thrown', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      assert.equal(isWriteSyncSafe(fd), true);
      assert.throws(() => writeAllSync(fd, 'x'), { code: 'ENOSPC' });
    } finally {
      closeSync(fd);
    }
  });

  it('a pipe is not written synchronously (a reader that never reads would hold off SIGTERM)', () => {
    const fifo = join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      assert.equal(isWriteSyncSafe(reader), false);
    } finally {
      closeSync(reader);
    }
  });

  it('a non-blocking pipe that fills up (EAGAIN) is waited on until its reader takes it all', async () => {
    const fifo = join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    // Our own read end first, so that the non-blocking write end opens; cat reads everything.
    const ownReader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const out = openSync(join(dir, 'out'), 'w');
    const cat = spawn('cat', [fifo], { stdio: ['ignore', out, 'inherit'] });
    const exited = new Promise((resolve) => cat.on('exit', resolve));
    const text = 'x'.repeat(1024 * 1024);
    try {
      writeAllSync(writer, text);
    } catch (error) {
      cat.kill(); // it may still be opening the FIFO, which would wait for a writer forever
      throw error;
    } finally {
      closeSync(writer);
      closeSync(ownReader);
      closeSync(out);
    }
    assert.equal(await exited, 0);
    assert.equal(readFileSync(join(dir, 'out'), 'utf8').length, text.length);
  });
});
