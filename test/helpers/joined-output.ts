// A run's output with its stdout as one string, for assertions: a render hands its stdout over as
// pieces (fn/lazy-text.ts).
import { joinPieces } from '../../fn/lazy-text.js';
import type { RunOutput } from '../../fn/run-output.js';

export type JoinedOutput = Omit<RunOutput, 'stdout'> & { stdout: string };

export function joined(output: RunOutput): JoinedOutput {
  return { ...output, stdout: joinPieces(output.stdout) };
}
