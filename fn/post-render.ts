// Helm post-renderer mode: a plain multi-document YAML stream in, the same stream out, the
// configuration from a file (`--config`, or the file named by REGISTRY_PROXY_CONFIG). Helm has no
// results channel: errors and warnings go to stderr, one line each; errors exit 1 with no output.
import { parseDocument } from 'yaml';
import { loadConfig } from './config/load-config.js';
import { InputError } from './errors.js';
import { findApplication } from './find-application.js';
import { toPlainData } from './resource-list/header.js';
import type { Skeleton } from './resource-list/skeleton.js';
import { splitStream } from './resource-list/stream.js';
import { formatErrorLines, hasErrors, type Result } from './results.js';
import { checkOutputFrame, checkText, failure, itemSplices, matchLineEnds, problemResults, redactLines, redactResults, transformInput, type RunDependencies, type RunOutput } from './run.js';
import { transform } from './transform.js';
import { applySplices } from './yaml/splice.js';

export const CONFIG_ENV = 'REGISTRY_PROXY_CONFIG';

export async function runPostRenderer(input: string, configText: string, configName: string, dependencies: RunDependencies): Promise<RunOutput> {
  let secret = '';
  try {
    const functionConfig = readConfigFile(configText, configName);
    // The stream is read first for the vendor's Application; a problem with it still comes after the config's.
    const stream = readStream(input);
    const loaded = loadConfig(functionConfig, dependencies.env, { application: stream.skeleton && findApplication(transformInput(stream.skeleton)) });
    if (!loaded.ok) return { stdout: '', stderr: formatErrorLines(problemResults(loaded.problems)).map((line) => `${line} (in ${configName})`), exitCode: 1 };
    secret = loaded.loaded.config.licenseID;
    if (input.trim() === '') return { stdout: input, stderr: [], exitCode: 0 };
    if (stream.skeleton === undefined) throw stream.error;
    const { skeleton } = stream;
    const outcome = await transform(transformInput(skeleton), loaded.loaded, dependencies);
    const results = redactResults(outcome.results, secret);
    const stderr = redactLines(formatProblems(results), secret);
    if (hasErrors(results)) return { stdout: '', stderr, exitCode: 1 };
    checkOutputFrame(skeleton, outcome.appended, outcome.itemTexts);
    return { stdout: matchLineEnds(input, applySplices(input, itemSplices(skeleton, outcome.appended, outcome.itemTexts))), stderr, exitCode: 0 };
  } catch (error) {
    return failure(error, secret);
  }
}

/** The stream split into documents; an empty one, or the error that reading it gave, without a skeleton. */
function readStream(input: string): { skeleton: Skeleton | undefined; error?: unknown } {
  if (input.trim() === '') return { skeleton: undefined };
  try {
    checkText(input);
    return { skeleton: splitStream(input) };
  } catch (error) {
    return { skeleton: undefined, error };
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
