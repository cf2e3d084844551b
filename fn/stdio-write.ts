// Output straight to the file descriptors: process.stdout and process.stderr are stream objects whose
// first use loads some twenty internal modules, a few milliseconds of a run that takes tens. A pipe to
// stdout still goes through the stream (fn/main.ts): a blocking write to a pipe nobody reads would hold
// off SIGTERM, which a stream's asynchronous write does not.
import { fstatSync, writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to `fd`, throwing the write's error (EPIPE, ENOSPC). A descriptor left
 * non-blocking by whoever shares it answers EAGAIN when full: wait a moment and go on.
 */
export function writeAllSync(fd: number, text: string): void {
  // In slices: the whole output as one more buffer would sit on top of the peak of a large render.
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + WRITE_SLICE, text.length);
    // Never between the two halves of a surrogate pair: each slice must encode on its own.
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    writeBufferSync(fd, Buffer.from(text.slice(start, end), 'utf8'));
    start = end;
  }
}

const WRITE_SLICE = 1 << 20;

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
