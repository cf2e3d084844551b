// What a run of the function hands its process shell (main.ts): the whole stdout, the stderr lines and
// the exit code; and how an expected failure becomes that (one line, no output).
import { InputError } from './errors.js';
import type { PiecedText } from './lazy-text.js';
import { redactLines } from './redact.js';

export interface RunOutput {
  /** The whole output (a render's as pieces: lazy-text.ts), or '' when the input could not be read at all. */
  stdout: PiecedText;
  stderr: string[];
  exitCode: number;
}

/** Expected failures become one stderr line; anything else is a bug and propagates. */
export function failure(error: unknown, secret: string): RunOutput {
  if (error instanceof InputError) return failed(error.message, secret);
  if (error instanceof RangeError && /call stack/i.test(error.message)) return failed('input nests too deeply to be a Kubernetes object', secret);
  throw error;
}

function failed(message: string, secret: string): RunOutput {
  return { stdout: '', stderr: redactLines([`registry-proxy: error: ${message}`], secret), exitCode: 1 };
}
