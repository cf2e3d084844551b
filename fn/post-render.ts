// Helm post-renderer mode: a plain multi-document YAML stream in, the same stream out, the
// configuration from a file (`--config`, or the file named by REGISTRY_PROXY_CONFIG): read
// (resource-list/read-input.ts), transform, write (resource-list/write-output.ts). Helm has no
// results channel: errors and warnings go to stderr, one line each; errors exit 1 with no output.
import { parseDocument } from 'yaml';
import { loadConfig } from './config/load-config.js';
import { problemResults } from './config-results.js';
import { InputError } from './errors.js';
import { findApplication } from './find-application.js';
import { redactLines, redactResults } from './redact.js';
import { toPlainData } from './resource-list/header.js';
import { readStream, type Source } from './resource-list/read-input.js';
import { writeOutput } from './resource-list/write-output.js';
import { formatErrorLines, hasErrors, type Result } from './results.js';
import { failure, type RunOutput } from './run-output.js';
import { transform, type TransformDependencies } from './transform.js';

export const CONFIG_ENV = 'REGISTRY_PROXY_CONFIG';

export async function runPostRenderer(input: string, configText: string, configName: string, dependencies: TransformDependencies): Promise<RunOutput> {
  let secret = '';
  try {
    const functionConfig = readConfigFile(configText, configName);
    // The stream is read first for the vendor's Application; a problem with it still comes after the config's.
    const stream = readStreamOrError(input);
    const loaded = loadConfig(functionConfig, dependencies.env, { application: stream.source && findApplication(stream.source) });
    if (!loaded.ok) return { stdout: '', stderr: formatErrorLines(problemResults(loaded.problems)).map((line) => `${line} (in ${configName})`), exitCode: 1 };
    secret = loaded.loaded.config.licenseID;
    if (input.trim() === '') return { stdout: input, stderr: [], exitCode: 0 };
    if (stream.source === undefined) throw stream.error;
    const { source } = stream;
    const outcome = await transform(source, loaded.loaded, dependencies);
    const results = redactResults(outcome.results, secret);
    const stderr = redactLines(formatProblems(results), secret);
    if (hasErrors(results)) return { stdout: '', stderr, exitCode: 1 };
    return { stdout: writeOutput(source, outcome.edits), stderr, exitCode: 0 };
  } catch (error) {
    return failure(error, secret);
  }
}

/** The stream as a Source; an empty one, or the error that reading it gave, without a source. */
function readStreamOrError(input: string): { source: Source | undefined; error?: unknown } {
  if (input.trim() === '') return { source: undefined };
  try {
    return { source: readStream(input) };
  } catch (error) {
    return { source: undefined, error };
  }
}

function readConfigFile(text: string, name: string): unknown {
  const document = parseDocument(text, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  const error = document.errors[0];
  if (error) throw new InputError('config', `${name} is not valid YAML: ${error.message.split('\n')[0] ?? ''}`);
  return toPlainData(document, name);
}

function formatProblems(results: readonly Result[]): string[] {
  const warnings = results
    .filter((result) => result.severity === 'warning')
    .map((result) => {
      const where = result.resourceRef ? `${result.resourceRef.kind}/${result.resourceRef.name}${result.field ? ` ${result.field.path}` : ''}: ` : '';
      return `registry-proxy: warning: ${where}${result.message}`.replace(/[\r\n]+/g, ' ');
    });
  return [...formatErrorLines(results), ...warnings];
}
