// The baseline: `kubectl kustomize <dir>` doing the same image rewrite with an `images:` list (what KOTS
// does today). It rewrites images only: no imagePullSecrets, no pull Secrets.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { checkKustomizeOutput } from './check-output.mjs';
import { writeBenchInputs } from './generate-input.mjs';
import { measureOnce } from './measure.mjs';

/** Deployments in the directory whose output is checked (kustomize is too slow to check the big ones too). */
const CHECK_SIZE = 50;

/** "kubectl kustomize" version string, or undefined when kubectl is not installed. */
export function findKustomize() {
  const result = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return /Kustomize Version:\s*(\S+)/.exec(result.stdout)?.[1] ?? 'unknown version';
}

export function kustomizeCommand(kustomizeDir) {
  return { command: 'kubectl', args: ['kustomize', kustomizeDir] };
}

/**
 * Checks that the generated kustomization really does the rewrite, on a small directory built by the same
 * generator: a full-size check would cost one more kustomize run (about 20 s for 2,000 Deployments). The
 * measured runs themselves are checked for exit code 0.
 */
export async function checkKustomizeRewrite(scratchDir) {
  const inputs = writeBenchInputs(join(scratchDir, 'check'), CHECK_SIZE);
  const output = join(scratchDir, `kustomize-output-${CHECK_SIZE}.yaml`);
  const run = await measureOnce({ ...kustomizeCommand(inputs.kustomizeDir), stdout: output, rssMethod: 'none', scratchDir });
  if (run.exitCode !== 0) throw new Error(`kubectl kustomize (check run, ${CHECK_SIZE} Deployments): exit code ${run.exitCode}\n${run.stderr.trim()}`);
  return checkKustomizeOutput(output, CHECK_SIZE);
}
