// The pure core of the KRM function: ResourceList text in, ResourceList text, stderr lines and exit
// code out. The process shell (main.ts) owns stdin, stdout and the environment; the registry probe
// comes in as a dependency.
import { withCheckMode } from './check-mode.js';
import { loadConfig, type ConfigProblem } from './config/load-config.js';
import { InputError } from './errors.js';
import { findApplication } from './find-application.js';
import { footCommentEnd, footCommentGap } from './resource-list/foot-comment.js';
import { readHeader } from './resource-list/header.js';
import { findFrameProblem } from './resource-list/output-frame.js';
import { splitResourceList, type Skeleton } from './resource-list/skeleton.js';
import { exitCodeFor, formatErrorLines, formatResults, formatResultsJson, type Result } from './results.js';
import { decideItemImages, scanItems, transform, type TransformDependencies, type TransformInput } from './transform.js';
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
    const functionConfig = readSkeletonHeader(skeleton).functionConfig;
    const loaded = loadConfig(options.check ? withCheckMode(functionConfig) : functionConfig, dependencies.env, { application: findApplication(transformInput(skeleton)) });
    if (!loaded.ok) {
      // The items are written back: they must be readable first, or nothing is written.
      scanItems(transformInput(skeleton), { pullSecretName: '', imageFields: [] });
      return finish(skeleton, [], problemResults(loaded.problems), '');
    }
    // The local registry's password is as much a credential as the license ID (never both set).
    secret = loaded.loaded.config.licenseID || (loaded.loaded.config.localRegistry?.credentials?.password ?? '');
    const outcome = await transform(transformInput(skeleton), loaded.loaded, dependencies);
    return finish(skeleton, outcome.appended, outcome.results, secret, outcome.itemTexts);
  } catch (error) {
    return failure(error, secret);
  }
}

/** A flow list keeps a `{}` in the header for each item; a block list is cut out whole. */
export function readSkeletonHeader(skeleton: Skeleton): ReturnType<typeof readHeader> {
  return readHeader(skeleton.headerText, skeleton.itemsStyle.type === 'flow' ? skeleton.items.length : 0);
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
 * named in comments with the reason, and on stderr: a user who commits stdout must learn that something
 * was left out (a proxy down makes every image undecided, and an empty block looks like success).
 */
export async function listKnownImages(input: string, dependencies: RunDependencies): Promise<RunOutput> {
  try {
    checkText(input);
    const skeleton = splitResourceList(input);
    const source = transformInput(skeleton);
    // Listing verdicts writes no pull Secret: no license needed.
    const loaded = loadConfig(readSkeletonHeader(skeleton).functionConfig, dependencies.env, { application: findApplication(source), needsCredentials: false });
    if (!loaded.ok) return { stdout: '', stderr: formatErrorLines(problemResults(loaded.problems)), exitCode: 1 };
    const { config } = loaded.loaded;
    const items = scanItems(source, config);
    const decisions = await decideItemImages(items, config, dependencies);
    const known: string[] = [];
    const undecided: string[] = [];
    const leftOut: string[] = [];
    for (const [value, { verdict }] of [...decisions.byValue].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!verdict) continue;
      const definitive = verdict.source === 'rules' || verdict.source === 'knownImages' || (verdict.source === 'probe' && verdict.cacheable === true);
      if (definitive) known.push(`- image: ${JSON.stringify(value)}\n  isPrivate: ${verdict.isPrivate}\n`);
      else {
        undecided.push(`# undecided: ${value} (${verdict.detail})\n`);
        const why = verdict.source === 'unknownImages' ? (verdict.warning ?? verdict.detail) : `${verdict.detail}: not pinnable`;
        leftOut.push(`registry-proxy: warning: known-images: left out ${value}: ${why}`.replace(/[\r\n]+/g, ' '));
      }
    }
    if (leftOut.length > 0) leftOut.push(`registry-proxy: warning: known-images: ${leftOut.length} image(s) left out: no definitive verdict to pin`);
    return { stdout: `knownImages:\n${known.join('')}${undecided.join('')}`, stderr: leftOut, exitCode: 0 };
  } catch (error) {
    return failure(error, '');
  }
}

export function checkText(input: string): void {
  if (input.length > MAX_INPUT_BYTES) throw new InputError('limits', `input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
  if (input.trim() === '') throw new InputError('input', 'input is empty: expected a ResourceList on stdin');
  // U+FFFD is a valid character (main.ts refuses bytes that are not UTF-8); NUL is never text.
  if (input.includes('\u0000')) throw new InputError('input', 'input is not text: expected a ResourceList in YAML or JSON');
}

/** Expected failures become one stderr line; anything else is a bug and propagates. */
export function failure(error: unknown, secret: string): RunOutput {
  if (error instanceof InputError) return failed(error.message, secret);
  if (error instanceof RangeError && /call stack/i.test(error.message)) return failed('input nests too deeply to be a Kubernetes object', secret);
  throw error;
}

function finish(skeleton: Skeleton, appended: readonly string[], results: Result[], secret: string, itemTexts = new Map<number, string>()): RunOutput {
  const redacted = redactResults(results, secret);
  // The comment and blank lines above `results:` are not the old results' (an item's trailing comment, say).
  const resultsSplices = (written: readonly Result[]): Splice[] => [
    ...(skeleton.results ? [{ start: keyLineStart(skeleton.text, skeleton.results.start), end: skeleton.results.end, text: '' }] : []),
    appendResults(skeleton, written),
  ];
  checkOutputFrame(skeleton, appended, itemTexts, resultsSplices([]));
  return {
    stdout: matchLineEnds(skeleton.text, applySplices(skeleton.text, [...itemSplices(skeleton, appended, itemTexts), ...resultsSplices(redacted)])),
    stderr: redactLines(formatErrorLines(redacted), secret),
    exitCode: exitCodeFor(redacted),
  };
}

/** The first line at or after `offset` that is neither blank nor a comment. */
function keyLineStart(text: string, offset: number): number {
  let position = offset;
  while (position < text.length) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const trimmed = text.slice(position, lineEnd).trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) break;
    position = lineEnd;
  }
  return position;
}

/**
 * The safety net: what would be written must parse (output-frame.ts), with the input items in it and the
 * new ones; `results` are checked as `[]` (their lines are written by formatResults, one quoted string each).
 */
export function checkOutputFrame(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>, tail: readonly Splice[] = []): void {
  const placeholder = skeleton.itemsStyle.type === 'flow' ? '{}' : '';
  const cut = new Map(skeleton.items.map((_, index) => [index, itemTexts.get(index) === '' ? '' : placeholder]));
  const frame = applySplices(skeleton.text, [...itemSplices(skeleton, appended, cut), ...tail]);
  const kept = skeleton.items.filter((_, index) => itemTexts.get(index) !== '').length;
  const kind = skeleton.itemsStyle.type === 'documents' ? 'stream' : 'resource-list';
  const problem = findFrameProblem(frame, kind, appended.length + (skeleton.itemsStyle.type === 'flow' ? kept : 0));
  if (problem !== undefined) {
    throw new InputError('input', `nothing written: the output would not be valid YAML (${problem}); please report this input as a bug`);
  }
}

/** Text with CRLF line ends only gets CRLF in what this function writes too; any other text is left as is. */
export function matchLineEnds(input: string, output: string): string {
  if (!input.includes('\r\n') || /(?<!\r)\n/.test(input)) return output;
  return output.replace(/(?<!\r)\n/g, '\r\n');
}

/** Replaced and removed items, and the new ones at the end of the items. */
export function itemSplices(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice[] {
  if (skeleton.itemsStyle.type === 'flow') return flowItemSplices(skeleton, appended, itemTexts);
  const splices: Splice[] = [];
  for (const [index, text] of itemTexts) splices.push({ ...skeleton.items[index]!, text });
  if (appended.length > 0) splices.push(insertItems(skeleton, appended, itemTexts));
  else if (skeleton.itemsStyle.type === 'block' && skeleton.items.length > 0) {
    const gap = footCommentGap(skeleton.text, skeleton.insertItemsAt, skeleton.itemsStyle.indent);
    if (gap !== undefined) splices.push({ start: gap, end: gap, text: '\n', ownLine: true });
  }
  return splices;
}

/** New items in a block list or a stream (flow lists: flowItemSplices); each starts a line of its own. */
function insertItems(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice {
  const at = skeleton.insertItemsAt;
  const style = skeleton.itemsStyle;
  if (style.type === 'block') {
    // After the last item's own trailing comment, one blank line down (foot-comment.ts).
    const end = footCommentEnd(skeleton.text, at, style.indent);
    return { start: end, end, text: (end > at ? '\n' : '') + appended.join(''), ownLine: true };
  }
  const remaining = skeleton.items.filter((_, index) => itemTexts.get(index) !== '').length;
  return { start: at, end: at, text: appended.map((text, index) => (remaining > 0 || index > 0 ? `---\n${text}` : text)).join(''), ownLine: true };
}

/**
 * A flow `items` list: removed items take one separator with them (the one before, or for removed items
 * ahead of the first kept one, the one after), so no `,,` or leading comma is left; new items go right
 * after the last item on its line, before a trailing comma if there is one.
 */
function flowItemSplices(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice[] {
  const { items, text } = skeleton;
  const kept = items.map((_, index) => itemTexts.get(index) !== '');
  const firstKept = kept.indexOf(true);
  const splices: Splice[] = [];
  let at = skeleton.insertItemsAt;
  if (firstKept === -1 && items.length > 0) {
    // Every item goes: the whole run, with a trailing comma, so `[A, B,]` does not become `[,]`.
    const last = items.at(-1)!;
    const comma = /^(?:\s|#[^\n]*)*,/.exec(text.slice(last.end));
    at = comma ? last.end + comma[0].length : last.end;
    splices.push({ start: items[0]!.start, end: at, text: '' });
  } else {
    items.forEach((span, index) => {
      const replacement = itemTexts.get(index);
      if (replacement === undefined) return;
      if (replacement !== '') splices.push({ ...span, text: replacement });
      else if (index < firstKept) splices.push({ start: span.start, end: items[index + 1]!.start, text: '' });
      else splices.push({ start: items[index - 1]!.end, end: span.end, text: '' });
    });
  }
  if (appended.length > 0) splices.push({ start: at, end: at, text: `${firstKept === -1 ? '' : ', '}${appended.join(', ')}` });
  return splices;
}

function appendResults(skeleton: Skeleton, results: readonly Result[]): Splice {
  const at = skeleton.appendAt;
  if (skeleton.topLevelStyle === 'flow') return { start: at, end: at, text: `, "results": ${formatResultsJson(results)}` };
  return { start: at, end: at, text: formatResults(results), ownLine: true };
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
