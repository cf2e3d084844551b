// The subcommands that describe the function's edits instead of applying them (images, kustomize) read
// the ResourceList and the configuration like the function does, but never need the license ID.
import type { LoadedConfig } from './config/config.js';
import { loadConfig } from './config/load-config.js';
import { findApplication } from './find-application.js';
import { splitResourceList } from './resource-list/skeleton.js';
import { formatErrorLines } from './results.js';
import { checkText, problemResults, readSkeletonHeader, transformInput, type RunDependencies, type RunOutput } from './run.js';
import { planEdits, type PlannedEdits, type TransformInput } from './transform.js';

export interface PlannedResourceList extends PlannedEdits {
  loaded: LoadedConfig;
  input: TransformInput;
}

export type PlanOutcome = { ok: true; planned: PlannedResourceList } | { ok: false; output: RunOutput };

export async function planResourceList(text: string, dependencies: RunDependencies): Promise<PlanOutcome> {
  checkText(text);
  const skeleton = splitResourceList(text);
  const input = transformInput(skeleton);
  // Describing edits writes no Secret: no license or registry credentials needed.
  const loaded = loadConfig(readSkeletonHeader(skeleton).functionConfig, dependencies.env, { application: findApplication(input), needsCredentials: false });
  if (!loaded.ok) return { ok: false, output: { stdout: '', stderr: formatErrorLines(problemResults(loaded.problems)), exitCode: 1 } };
  const planned = await planEdits(input, loaded.loaded, dependencies);
  return { ok: true, planned: { ...planned, loaded: loaded.loaded, input } };
}

