// Output straight to the file descriptors: process.stdout and process.stderr are stream objects whose
// first use loads some twenty internal modules, a few milliseconds of a run that takes tens. A pipe to
// stdout still goes through the stream (fn/main.ts): a blocking write to a pipe nobody reads would hold
// off SIGTERM, which a stream's asynchronous write does not.
import { fstatSync, writeSync } from 'node:fs';
import { piecesOf, type PiecedText } from './lazy-text.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to `fd`, throwing the write's error (EPIPE, ENOSPC). A descriptor left
 * non-blocking by whoever shares it answers EAGAIN when full: wait a moment and go on.
 */
export function writeAllSync(fd: number, text: PiecedText): void {
  for (const chunk of encodeChunks(text)) writeBufferSync(fd, chunk);
}

/**
 * The UTF-8 bytes of `text`, in chunks of up to 1 MiB encoded into one buffer: the whole output as one
 * more buffer (or one per slice, kept until a GC) would sit on top of the peak of a large render. Each
 * chunk is only valid until the next is asked for: write it first.
 */
export function* encodeChunks(text: PiecedText): Generator<Buffer, void, undefined> {
  // One piece is all there is of a stderr line: a buffer its size, not a megabyte for each.
  const size = typeof text === 'string' ? Math.min(WRITE_CHUNK, 3 * text.length + 4) : WRITE_CHUNK;
  const buffer = Buffer.allocUnsafeSlow(size);
  let used = 0;
  for (const piece of withPairsWhole(piecesOf(text))) {
    let rest = piece;
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, buffer.subarray(used));
      used += written;
      if (read === rest.length) break;
      rest = rest.slice(read);
      yield buffer.subarray(0, used);
      used = 0;
    }
  }
  if (used > 0) yield buffer.subarray(0, used);
}

/** The pieces, a high surrogate that ends one moved to the next: a pair is one character, encoded whole. */
function* withPairsWhole(pieces: Iterable<string>): Generator<string, void, undefined> {
  let held = '';
  for (const piece of pieces) {
    const text = held + piece;
    const cut = text !== '' && isHighSurrogate(text.charCodeAt(text.length - 1)) ? text.length - 1 : text.length;
    held = text.slice(cut);
    if (cut > 0) yield text.slice(0, cut);
  }
  if (held !== '') yield held;
}

const WRITE_CHUNK = 1 << 20;
const encoder = new TextEncoder();

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function writeBufferSync(fd: number, buffer: Buffer): void {
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** One line (or more) on stderr; stderr is where every error goes: if it is closed too, nobody is left to tell. */
export function writeStderr(text: string): void {
  try {
    writeAllSync(2, text);
  } catch {
    // nothing left to tell it to
  }
}

/** Whether `fd` is a file or a device (`> out.yaml`, `> /dev/null`), where a write never waits for a reader. */
export function isWriteSyncSafe(fd: number): boolean {
  try {
    const stats = fstatSync(fd);
    return stats.isFile() || stats.isCharacterDevice();
  } catch {
    return false;
  }
}
