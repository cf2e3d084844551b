// The subcommands that describe the function's edits instead of applying them (images, kustomize) read
// the ResourceList and the configuration like the function does, but never need the license ID.
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

export async function planResourceList(text: string, dependencies: TransformDependencies): Promise<PlanOutcome> {
  const input = readResourceList(text);
  // Describing edits writes no Secret: no license or registry credentials needed.
  const loaded = loadConfig(input.functionConfig, dependencies.env, { application: findApplication(input), needsCredentials: false });
  if (!loaded.ok) return { ok: false, output: { stdout: '', stderr: formatErrorLines(problemResults(loaded.problems)), exitCode: 1 } };
  const planned = await planEdits(input, loaded.loaded, dependencies);
  return { ok: true, planned: { ...planned, loaded: loaded.loaded, input } };
}

