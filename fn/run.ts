// The pure core of the KRM function: ResourceList text in, ResourceList text, stderr lines and exit
// code out. The process shell (main.ts) owns stdin, stdout and the environment; the registry probe
// comes in as a dependency.
import { withCheckMode } from './check-mode.js';
import { loadConfig, type ConfigProblem } from './config/load-config.js';
import { InputError } from './errors.js';
import { readHeader } from './resource-list/header.js';
import { splitResourceList, type Skeleton, type Span } from './resource-list/skeleton.js';
import { exitCodeFor, formatErrorLines, formatResults, formatResultsJson, type Result } from './results.js';
import { applyApplication, decideItemImages, scanItems, transform, type TransformDependencies, type TransformInput } from './transform.js';
import type { GeneratedStyle } from './yaml/render-object.js';
import { applySplices, type Splice } from './yaml/splice.js';

export type RunDependencies = TransformDependencies;

export interface RunOutput {
  /** The whole output, or '' when the input could not be read at all. */
  stdout: string;
  stderr: string[];
  exitCode: number;
}

/** Inputs larger than this are refused before parsing: a render this size is a mistake. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export async function runResourceList(input: string, dependencies: RunDependencies, options: { check?: boolean } = {}): Promise<RunOutput> {
  let secret = '';
  try {
    checkText(input);
    const skeleton = splitResourceList(input);
    const functionConfig = readHeader(skeleton.headerText).functionConfig;
    const loaded = loadConfig(options.check ? withCheckMode(functionConfig) : functionConfig, dependencies.env);
    if (!loaded.ok) return finish(skeleton, [], problemResults(loaded.problems), '');
    secret = loaded.loaded.config.licenseID;
    const outcome = await transform(transformInput(skeleton), loaded.loaded, dependencies);
    return finish(skeleton, outcome.appended, outcome.results, secret, outcome.itemTexts);
  } catch (error) {
    return failure(error, secret);
  }
}

export function transformInput(skeleton: Skeleton): TransformInput {
  const style: GeneratedStyle =
    skeleton.itemsStyle.type === 'block'
      ? { type: 'block', indent: skeleton.itemsStyle.indent }
      : skeleton.itemsStyle.type === 'documents'
        ? { type: 'document' }
        : { type: 'flow' };
  return { text: skeleton.text, items: skeleton.items, chunkKind: skeleton.itemsStyle.type === 'documents' ? 'document' : 'item', style };
}

/** kpt prints field.path before the message: the message must not repeat it. */
export function problemResults(problems: readonly ConfigProblem[]): Result[] {
  return problems.map((problem) => ({
    severity: 'error',
    message: problem.message.startsWith(`${problem.field}: `) ? problem.message.slice(problem.field.length + 2) : problem.message,
    field: { path: problem.field },
  }));
}

/**
 * `registry-proxy known-images`: the verdicts of a package's images as a `knownImages` block, sorted,
 * ready to commit so later renders decide offline. Only definitive verdicts are listed; the others are
 * named in comments with the reason.
 */
export async function listKnownImages(input: string, dependencies: RunDependencies): Promise<RunOutput> {
  try {
    checkText(input);
    const skeleton = splitResourceList(input);
    // Listing verdicts needs no license: a variable named by licenseIDFromEnv may be unset here.
    const env = new Proxy(dependencies.env, { get: (target, name) => (typeof name === 'string' ? (target[name] ?? 'unused') : undefined) });
    const loaded = loadConfig(readHeader(skeleton.headerText).functionConfig, env);
    if (!loaded.ok) return { stdout: '', stderr: formatErrorLines(problemResults(loaded.problems)), exitCode: 1 };
    const { config } = loaded.loaded;
    const source = transformInput(skeleton);
    const items = scanItems(source, config);
    applyApplication(items, source, loaded.loaded, []);
    const decisions = await decideItemImages(items, config, dependencies);
    const known: string[] = [];
    const undecided: string[] = [];
    for (const value of [...decisions.verdicts.keys()].sort()) {
      const verdict = decisions.verdicts.get(value);
      if (!verdict) continue;
      const definitive = verdict.source === 'rules' || verdict.source === 'knownImages' || (verdict.source === 'probe' && verdict.cacheable === true);
      if (definitive) known.push(`- image: ${JSON.stringify(value)}\n  isPrivate: ${verdict.isPrivate}\n`);
      else undecided.push(`# undecided: ${value} (${verdict.detail})\n`);
    }
    return { stdout: `knownImages:\n${known.join('')}${undecided.join('')}`, stderr: [], exitCode: 0 };
  } catch (error) {
    return failure(error, '');
  }
}

export function checkText(input: string): void {
  if (input.length > MAX_INPUT_BYTES) throw new InputError('limits', `input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
  if (input.trim() === '') throw new InputError('input', 'input is empty: expected a ResourceList on stdin');
  if (input.includes('\u0000') || input.includes('\uFFFD')) throw new InputError('input', 'input is not text: expected a ResourceList in YAML or JSON');
}

/** Expected failures become one stderr line; anything else is a bug and propagates. */
export function failure(error: unknown, secret: string): RunOutput {
  if (error instanceof InputError) return failed(error.message, secret);
  if (error instanceof RangeError && /call stack/i.test(error.message)) return failed('input nests too deeply to be a Kubernetes object', secret);
  throw error;
}

function finish(skeleton: Skeleton, appended: readonly string[], results: Result[], secret: string, itemTexts = new Map<number, string>()): RunOutput {
  const redacted = redactResults(results, secret);
  const splices = itemSplices(skeleton, appended, itemTexts);
  if (skeleton.results) splices.push({ ...skeleton.results, text: '' });
  splices.push(appendResults(skeleton, redacted));
  return {
    stdout: matchLineEnds(skeleton.text, applySplices(skeleton.text, splices)),
    stderr: redactLines(formatErrorLines(redacted), secret),
    exitCode: exitCodeFor(redacted),
  };
}

/** Text with CRLF line ends only gets CRLF in what this function writes too; any other text is left as is. */
export function matchLineEnds(input: string, output: string): string {
  if (!input.includes('\r\n') || /(?<!\r)\n/.test(input)) return output;
  return output.replace(/(?<!\r)\n/g, '\r\n');
}

/** Replaced and removed items, and the new ones at the end of the items. */
export function itemSplices(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice[] {
  const splices: Splice[] = [];
  for (const [index, text] of itemTexts) {
    const span = skeleton.items[index]!;
    splices.push(text === '' && skeleton.itemsStyle.type === 'flow' ? { ...flowRemovalSpan(skeleton, index), text } : { ...span, text });
  }
  if (appended.length > 0) splices.push(insertItems(skeleton, appended, itemTexts));
  return splices;
}

function insertItems(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice {
  const at = skeleton.insertItemsAt;
  const newline = at > 0 && skeleton.text.charCodeAt(at - 1) !== 0x0a ? '\n' : '';
  switch (skeleton.itemsStyle.type) {
    case 'flow': {
      const remaining = skeleton.items.filter((_, index) => itemTexts.get(index) !== '').length;
      return { start: at, end: at, text: `${remaining > 0 ? ', ' : ''}${appended.join(', ')}` };
    }
    case 'documents': {
      const remaining = skeleton.items.filter((_, index) => itemTexts.get(index) !== '').length;
      return { start: at, end: at, text: newline + appended.map((text, index) => (remaining > 0 || index > 0 ? `---\n${text}` : text)).join('') };
    }
    case 'block':
      return { start: at, end: at, text: newline + appended.join('') };
  }
}

/** A removed flow item takes one neighbouring comma with it. */
function flowRemovalSpan(skeleton: Skeleton, index: number): Span {
  const span = skeleton.items[index]!;
  const previous = skeleton.items[index - 1];
  if (previous) return { start: previous.end, end: span.end };
  const next = skeleton.items[index + 1];
  return next ? { start: span.start, end: next.start } : span;
}

function appendResults(skeleton: Skeleton, results: readonly Result[]): Splice {
  const at = skeleton.appendAt;
  if (skeleton.topLevelStyle === 'flow') return { start: at, end: at, text: `, "results": ${formatResultsJson(results)}` };
  const newline = at > 0 && skeleton.text.charCodeAt(at - 1) !== 0x0a ? '\n' : '';
  return { start: at, end: at, text: newline + formatResults(results) };
}

function failed(message: string, secret: string): RunOutput {
  return { stdout: '', stderr: redactLines([`registry-proxy: error: ${message}`], secret), exitCode: 1 };
}

/** Belt and braces: the license ID never leaves in a message, even if some text quoted it. */
export function redactResults(results: Result[], secret: string): Result[] {
  if (secret.length < 4) return results;
  const text = JSON.stringify(results);
  return text.includes(secret) ? (JSON.parse(text.split(secret).join('<redacted>')) as Result[]) : results;
}

export function redactLines(lines: string[], secret: string): string[] {
  if (secret.length < 4) return lines;
  return lines.map((line) => line.split(secret).join('<redacted>'));
}
