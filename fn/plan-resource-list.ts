// The subcommands that describe the function's edits instead of applying them (images, kustomize,
// known-images) read the ResourceList and the configuration like the function does, but never need the
// license ID.
import type { LoadedConfig } from './config/config.js';
import { loadConfig } from './config/load-config.js';
import { problemResults } from './config-results.js';
import { findApplication } from './find-application.js';
import { readResourceList, type Source } from './resource-list/read-input.js';
import { formatErrorLines } from './results.js';
import type { RunOutput } from './run-output.js';
import { planEdits, type PlannedEdits, type TransformDependencies } from './transform.js';

export interface PlannedResourceList extends PlannedEdits {
  loaded: LoadedConfig;
  input: Source;
}

export type PlanOutcome = { ok: true; planned: PlannedResourceList } | { ok: false; output: RunOutput };

export type DescribeInput = { ok: true; source: Source; loaded: LoadedConfig } | { ok: false; output: RunOutput };

/** The ResourceList and its configuration, loaded for a command that writes no pull Secret. */
export function readForDescribing(text: string, dependencies: TransformDependencies): DescribeInput {
  const source = readResourceList(text);
  const loaded = loadConfig(source.functionConfig, dependencies.env, { application: findApplication(source), needsCredentials: false });
  if (!loaded.ok) return { ok: false, output: { stdout: '', stderr: formatErrorLines(problemResults(loaded.problems)), exitCode: 1 } };
  return { ok: true, source, loaded: loaded.loaded };
}

export async function planResourceList(text: string, dependencies: TransformDependencies): Promise<PlanOutcome> {
  const read = readForDescribing(text, dependencies);
  if (!read.ok) return read;
  const planned = await planEdits(read.source, read.loaded, dependencies);
  return { ok: true, planned: { ...planned, loaded: read.loaded, input: read.source } };
}

