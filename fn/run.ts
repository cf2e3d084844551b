// The pure core: ResourceList text in, ResourceList text, stderr lines and exit code out. The process
// shell (main.ts) owns stdin, stdout and the environment; the registry probe comes in as a dependency.
import type { Config, ProbeSettings } from './config/config.js';
import { applyApplicationDefaults, APPLICATION_API_VERSION } from './config/application-defaults.js';
import { loadConfig } from './config/load-config.js';
import { InputError } from './errors.js';
import { planItemEdits, type ItemEdits } from './plan-item-edits.js';
import { planSecrets } from './plan-secrets.js';
import { decideImages } from './policy/decide-images.js';
import type { ImageProbe } from './probe/types.js';
import { readHeader, readItemValue } from './resource-list/header.js';
import { scanItem, type ScannedItem } from './resource-list/item-scan.js';
import { splitResourceList, type Skeleton, type Span } from './resource-list/skeleton.js';
import { exitCodeFor, formatErrorLines, formatResults, formatResultsJson, type Result } from './results.js';
import { applySplices, type Splice } from './yaml/splice.js';

export interface RunDependencies {
  env: Readonly<Record<string, string | undefined>>;
  /** Builds the registry probe; absent, nothing is probed (unit tests, `probe.enabled: false`). */
  createProbe?: (settings: ProbeSettings, env: Readonly<Record<string, string | undefined>>) => ImageProbe;
}

export interface RunOutput {
  /** The whole ResourceList, or '' when the input could not be read at all. */
  stdout: string;
  stderr: string[];
  exitCode: number;
}

/** Inputs larger than this are refused before parsing: a render this size is a mistake. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

export async function runResourceList(input: string, dependencies: RunDependencies): Promise<RunOutput> {
  let secret = '';
  try {
    checkText(input);
    const skeleton = splitResourceList(input);
    const header = readHeader(skeleton.headerText);
    const loaded = loadConfig(header.functionConfig, dependencies.env);
    if (!loaded.ok) {
      // kpt prints field.path before the message: the message must not repeat it.
      const results = loaded.problems.map((problem): Result => ({
        severity: 'error',
        message: problem.message.startsWith(`${problem.field}: `) ? problem.message.slice(problem.field.length + 2) : problem.message,
        field: { path: problem.field },
      }));
      return finish(skeleton, [], results, '');
    }
    secret = loaded.loaded.config.licenseID;
    const { config } = loaded.loaded;
    const results: Result[] = [];
    const items = skeleton.items.map((span) => {
      try {
        return scanItem(input.slice(span.start, span.end), config);
      } catch (error) {
        if (error instanceof InputError && error.offset !== undefined) throw atLine(error, input, span.start + error.offset);
        throw error;
      }
    });
    applyApplication(items, skeleton, loaded.loaded, results);
    const probe = dependencies.createProbe && config.probe.enabled ? dependencies.createProbe(config.probe, dependencies.env) : undefined;
    const values = new Set<string>();
    for (const item of items) for (const site of item.images) if (site.value !== undefined && item.problems.length === 0) values.add(site.value);
    const decisions = await decideImages(values, config, probe);
    const edits: ItemEdits[] = items.map((item) => planItemEdits({ item, file: fileOf(item) }, config, decisions));
    const needed = new Set<string | undefined>();
    edits.forEach((edit, index) => {
      if (edit.needsSecret) needed.add(items[index]!.namespace);
    });
    for (const namespace of expandNamespaces(config.additionalNamespaces, items)) needed.add(namespace);
    const style = skeleton.itemsStyle.type === 'block' ? { type: 'block' as const, indent: skeleton.itemsStyle.indent } : { type: 'flow' as const, indent: 0 };
    const secrets = planSecrets(items, needed, config, style);
    for (const edit of edits) results.push(...edit.results);
    results.push(...secrets.results);
    if (decisions.offline) {
      results.push({
        severity: 'warning',
        message: `no network: ${decisions.offline.images} image(s) decided without a probe (unknownImages: ${config.unknownImages}); run with network (kpt --network, kustomize network: true) or pin them in knownImages (registry-proxy known-images)`,
      });
    }
    results.push(summarize(config, edits, secrets.namespaces, decisions.plans.size, decisions.probedRepositories));
    const itemTexts = new Map<number, string>();
    edits.forEach((edit, index) => {
      if (edit.splices.length === 0) return;
      const span = skeleton.items[index]!;
      itemTexts.set(index, applySplices(input.slice(span.start, span.end), edit.splices));
    });
    for (const [index, text] of secrets.replacements) {
      const span = skeleton.items[index]!;
      itemTexts.set(index, text === '' ? '' : leadingComments(input.slice(span.start, span.end)) + text);
    }
    return finish(skeleton, secrets.appended, results, secret, itemTexts);
  } catch (error) {
    if (error instanceof InputError) return failed(error.message, secret);
    if (error instanceof RangeError && /call stack/i.test(error.message)) return failed('input nests too deeply to be a Kubernetes object', secret);
    throw error;
  }
}

function atLine(error: InputError, input: string, offset: number): InputError {
  let line = 1;
  for (let index = input.indexOf('\n'); index !== -1 && index < offset; index = input.indexOf('\n', index + 1)) line++;
  return new InputError(error.code, `${error.message} (line ${line})`, error.field);
}

/** Comment lines above an item travel with it when the item is regenerated. */
function leadingComments(chunk: string): string {
  const match = /^(?:[ \t]*(?:#[^\n]*)?\n)*/.exec(chunk);
  return match ? match[0] : '';
}

/**
 * `registry-proxy known-images`: the verdicts of a package's images as a `knownImages` block, sorted,
 * ready to commit so later renders decide offline. Only definitive verdicts are listed; the others are
 * named in comments with the reason.
 */
export async function listKnownImages(input: string, dependencies: RunDependencies): Promise<RunOutput> {
  let secret = '';
  try {
    checkText(input);
    const skeleton = splitResourceList(input);
    // Listing verdicts needs no license: a variable named by licenseIDFromEnv may be unset here.
    const env = new Proxy(dependencies.env, { get: (target, name) => (typeof name === 'string' ? (target[name] ?? 'unused') : undefined) });
    const loaded = loadConfig(readHeader(skeleton.headerText).functionConfig, env);
    if (!loaded.ok) return { stdout: '', stderr: loaded.problems.map((problem) => `registry-proxy: error: ${problem.message}`), exitCode: 1 };
    const { config } = loaded.loaded;
    secret = config.licenseID;
    const items = skeleton.items.map((span) => scanItem(input.slice(span.start, span.end), config));
    applyApplication(items, skeleton, loaded.loaded, []);
    const probe = dependencies.createProbe && config.probe.enabled ? dependencies.createProbe(config.probe, dependencies.env) : undefined;
    const values = new Set<string>();
    for (const item of items) for (const site of item.images) if (site.value !== undefined && site.value.trim() !== '') values.add(site.value);
    const decisions = await decideImages(values, config, probe);
    const known: string[] = [];
    const undecided: string[] = [];
    for (const value of [...values].sort()) {
      const verdict = decisions.verdicts.get(value);
      if (!verdict) continue;
      const definitive = verdict.source === 'rules' || verdict.source === 'knownImages' || (verdict.source === 'probe' && verdict.cacheable === true);
      if (definitive) known.push(`- image: ${JSON.stringify(value)}\n  isPrivate: ${verdict.isPrivate}\n`);
      else undecided.push(`# undecided: ${value} (${verdict.detail})\n`);
    }
    return { stdout: `knownImages:\n${known.join('')}${undecided.join('')}`, stderr: [], exitCode: 0 };
  } catch (error) {
    if (error instanceof InputError) return failed(error.message, secret);
    throw error;
  }
}

function checkText(input: string): void {
  if (input.length > MAX_INPUT_BYTES) throw new InputError('limits', `input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
  if (input.trim() === '') throw new InputError('input', 'input is empty: expected a ResourceList on stdin');
  if (input.includes('\u0000') || input.includes('\uFFFD')) throw new InputError('input', 'input is not text: expected a ResourceList in YAML or JSON');
}

function fileOf(item: ScannedItem): { path: string; index?: number } | undefined {
  const path = item.annotations.path ?? item.annotations.legacyPath;
  if (path === undefined) return undefined;
  const index = Number(item.annotations.index ?? item.annotations.legacyIndex);
  return Number.isInteger(index) ? { path, index } : { path };
}

function applyApplication(items: readonly ScannedItem[], skeleton: Skeleton, loaded: Parameters<typeof applyApplicationDefaults>[0], results: Result[]): void {
  const index = items.findIndex((item) => item.kind === 'Application' && item.apiVersion === APPLICATION_API_VERSION);
  if (index === -1) return;
  const span = skeleton.items[index]!;
  const { problems } = applyApplicationDefaults(loaded, readItemValue(skeleton.text.slice(span.start, span.end)));
  const item = items[index]!;
  for (const problem of problems) {
    results.push({ severity: 'warning', message: `${problem}: ignored`, resourceRef: { apiVersion: item.apiVersion, kind: item.kind, name: item.name } });
  }
}

/** `"*"` means every namespace the items name: their own and the Namespace objects among them. */
function expandNamespaces(additional: readonly string[], items: readonly ScannedItem[]): string[] {
  const namespaces = additional.filter((namespace) => namespace !== '*');
  if (additional.includes('*')) {
    for (const item of items) {
      if (item.namespace !== undefined) namespaces.push(item.namespace);
      if (item.kind === 'Namespace' && item.apiVersion === 'v1' && item.name !== '') namespaces.push(item.name);
    }
  }
  return namespaces;
}

function summarize(config: Config, edits: readonly ItemEdits[], namespaces: ReadonlyArray<string | undefined>, distinctImages: number, probed: number): Result {
  const rewritten = edits.reduce((sum, edit) => sum + edit.rewrittenImages, 0);
  const objects = edits.filter((edit) => edit.rewrittenImages > 0).length;
  const patched = edits.reduce((sum, edit) => sum + edit.patchedPodSpecs, 0);
  const where = namespaces.map((namespace) => namespace ?? '(no namespace)').join(', ');
  const probeText = probed > 0 ? `; probed ${probed} repositories` : '';
  return {
    severity: 'info',
    message: `rewrote ${rewritten} image(s) in ${objects} object(s) to ${config.proxyDomain}/proxy/${config.appSlug} (${distinctImages} distinct); added imagePullSecrets to ${patched} pod spec(s); ${namespaces.length} pull Secret(s) ${config.pullSecretName}${where ? ` in ${where}` : ''}${probeText}`,
  };
}

function finish(skeleton: Skeleton, appended: readonly string[], results: Result[], secret: string, itemTexts = new Map<number, string>()): RunOutput {
  const redacted = redactResults(results, secret);
  const splices: Splice[] = [];
  for (const [index, text] of itemTexts) {
    const span = skeleton.items[index]!;
    splices.push(text === '' && skeleton.itemsStyle.type === 'flow' ? { ...flowRemovalSpan(skeleton, index), text } : { ...span, text });
  }
  if (appended.length > 0) splices.push(insertItems(skeleton, appended, itemTexts));
  if (skeleton.results) splices.push({ ...skeleton.results, text: '' });
  splices.push(appendResults(skeleton, redacted));
  return {
    stdout: applySplices(skeleton.text, splices),
    stderr: redactLines(formatErrorLines(redacted), secret),
    exitCode: exitCodeFor(redacted),
  };
}

function insertItems(skeleton: Skeleton, appended: readonly string[], itemTexts: ReadonlyMap<number, string>): Splice {
  const at = skeleton.insertItemsAt;
  if (skeleton.itemsStyle.type === 'flow') {
    const remaining = skeleton.items.filter((_, index) => itemTexts.get(index) !== '').length;
    return { start: at, end: at, text: `${remaining > 0 ? ', ' : ''}${appended.join(', ')}` };
  }
  const newline = at > 0 && skeleton.text.charCodeAt(at - 1) !== 0x0a ? '\n' : '';
  return { start: at, end: at, text: newline + appended.join('') };
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
function redactResults(results: Result[], secret: string): Result[] {
  if (secret.length < 4) return results;
  const text = JSON.stringify(results);
  return text.includes(secret) ? (JSON.parse(text.split(secret).join('<redacted>')) as Result[]) : results;
}

function redactLines(lines: string[], secret: string): string[] {
  if (secret.length < 4) return lines;
  return lines.map((line) => line.split(secret).join('<redacted>'));
}
