// The subcommands that describe the function's edits instead of applying them (images, kustomize) read
// the ResourceList and the configuration like the function does, but never need the license ID.
import type { LoadedConfig } from './config/config.js';
import { loadConfig } from './config/load-config.js';
import { problemResults } from './config-results.js';
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
  // Describing edits writes no Secret: reference mode needs no license, whatever mode the config names.
  const functionConfig = input.functionConfig;
  // A local registry's mode decides whether pod specs get imagePullSecrets (none for an anonymous one), so
  // it stays; its credentials are not needed to describe the edits.
  const loaded = hasLocalRegistry(functionConfig)
    ? loadConfig(functionConfig, new Proxy(dependencies.env, { get: (target, name) => (typeof name === 'string' ? (target[name] ?? 'unused') : undefined) }))
    : loadConfig(withReferenceMode(functionConfig), dependencies.env);
  if (!loaded.ok) return { ok: false, output: { stdout: '', stderr: formatErrorLines(problemResults(loaded.problems)), exitCode: 1 } };
  const planned = await planEdits(input, loaded.loaded, dependencies);
  return { ok: true, planned: { ...planned, loaded: loaded.loaded, input } };
}

function hasLocalRegistry(functionConfig: unknown): boolean {
  if (typeof functionConfig !== 'object' || functionConfig === null) return false;
  const config = functionConfig as Record<string, unknown>;
  const spec = config['kind'] === 'ConfigMap' ? config['data'] : config['spec'];
  if (typeof spec !== 'object' || spec === null) return false;
  return Object.keys(spec).some((key) => key === 'localRegistry' || key.startsWith('localRegistry.'));
}

function withReferenceMode(functionConfig: unknown): unknown {
  if (typeof functionConfig !== 'object' || functionConfig === null || Array.isArray(functionConfig)) return functionConfig;
  const config = functionConfig as Record<string, unknown>;
  const spec = config['spec'];
  if (config['kind'] === 'RegistryProxy' && typeof spec === 'object' && spec !== null) return { ...config, spec: { ...spec, pullSecretMode: 'reference' } };
  if (config['kind'] === 'ConfigMap') return { ...config, data: { ...((config['data'] as object | undefined) ?? {}), pullSecretMode: 'reference' } };
  return functionConfig;
}
