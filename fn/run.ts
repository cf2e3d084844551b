// The pure core of the KRM function: ResourceList text in, ResourceList text, stderr lines and exit
// code out: read (resource-list/read-input.ts), transform, write (resource-list/write-output.ts). The
// process shell (main.ts) owns stdin, stdout and the environment; the registry probe comes in as a
// dependency.
import { loadConfig } from './config/load-config.js';
import { problemResults } from './config-results.js';
import { findApplication } from './find-application.js';
import { redactLines, redactResults } from './redact.js';
import { readResourceList, type Source } from './resource-list/read-input.js';
import { writeOutput, type OutputEdits } from './resource-list/write-output.js';
import { exitCodeFor, formatErrorLines, type Result } from './results.js';
import { failure, type RunOutput } from './run-output.js';
import { scanItems, transform, type TransformDependencies } from './transform.js';

export type RunDependencies = TransformDependencies;
export type { RunOutput };

export async function runResourceList(input: string, dependencies: RunDependencies, options: { check?: boolean } = {}): Promise<RunOutput> {
  let secret = '';
  try {
    const source = readResourceList(input);
    const loaded = loadConfig(source.functionConfig, dependencies.env, { application: findApplication(source), ...(options.check ? { mode: 'check' } : {}) });
    if (!loaded.ok) {
      // The items are written back: they must be readable first, or nothing is written.
      scanItems(source, { pullSecretName: '', imageFields: [] });
      return write(source, undefined, problemResults(loaded.problems), '');
    }
    // The local registry's password is as much a credential as the license ID (never both set).
    secret = loaded.loaded.config.licenseID || (loaded.loaded.config.localRegistry?.credentials?.password ?? '');
    const outcome = await transform(source, loaded.loaded, dependencies);
    return write(source, outcome.edits, outcome.results, secret);
  } catch (error) {
    return failure(error, secret);
  }
}

function write(source: Source, edits: OutputEdits | undefined, results: Result[], secret: string): RunOutput {
  const redacted = redactResults(results, secret);
  return { stdout: writeOutput(source, edits, redacted), stderr: redactLines(formatErrorLines(redacted), secret), exitCode: exitCodeFor(redacted) };
}
