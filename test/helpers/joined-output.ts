// A run's output with its stdout as one string, for assertions: a render hands its stdout over as
// pieces (fn/lazy-text.ts).
import { piecesOf, type PiecedText } from '../../fn/lazy-text.js';
import type { RunOutput } from '../../fn/run-output.js';

export type JoinedOutput = Omit<RunOutput, 'stdout'> & { stdout: string };

export function joined(output: RunOutput): JoinedOutput {
  return { ...output, stdout: joinPieces(output.stdout) };
}

/** Text handed over as pieces, as one string. */
export function joinPieces(text: PiecedText): string {
  return [...piecesOf(text)].join('');
}
