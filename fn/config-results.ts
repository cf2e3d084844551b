// Configuration problems as results: what every mode reports when loadConfig refuses the config.
import type { ConfigProblem } from './config/load-config.js';
import type { Result } from './results.js';

/** kpt prints field.path before the message: the message must not repeat it. */
export function problemResults(problems: readonly ConfigProblem[]): Result[] {
  return problems.map((problem) => ({
    severity: 'error',
    message: problem.message.startsWith(`${problem.field}: `) ? problem.message.slice(problem.field.length + 2) : problem.message,
    field: { path: problem.field },
  }));
}
