// The subcommands that describe the function's edits for a pipeline that cannot run it: `images` (the
// image list) and `kustomize` (a kustomization fragment). Pure cores, like run.ts: text in, output out.
import { buildKustomizeFragment, formatKustomizeFragment } from './kustomize-fragment.js';
import { formatImageListJson, formatImageListText, listImages } from './image-list.js';
import { planResourceList } from './plan-resource-list.js';
import { failure, type RunDependencies, type RunOutput } from './run.js';

export type ImageListFormat = 'text' | 'json';

export async function runImages(input: string, dependencies: RunDependencies, format: ImageListFormat): Promise<RunOutput> {
  try {
    const outcome = await planResourceList(input, dependencies);
    if (!outcome.ok) return outcome.output;
    const list = listImages(outcome.planned);
    return { stdout: format === 'json' ? formatImageListJson(list) : formatImageListText(list), stderr: [], exitCode: 0 };
  } catch (error) {
    return failure(error, '');
  }
}

/** The fragment is always printed; what it cannot express is an error line each, and exit 1. */
export async function runKustomize(input: string, dependencies: RunDependencies): Promise<RunOutput> {
  try {
    const outcome = await planResourceList(input, dependencies);
    if (!outcome.ok) return outcome.output;
    const fragment = buildKustomizeFragment(outcome.planned);
    const stderr = [
      ...fragment.problems.map((problem) => `registry-proxy: error: not expressed by the fragment: ${problem}`),
      ...fragment.warnings.map((warning) => `registry-proxy: warning: ${warning}`),
    ].map((line) => line.replace(/[\r\n]+/g, ' '));
    return { stdout: formatKustomizeFragment(fragment, outcome.planned.loaded.config.pullSecretName), stderr, exitCode: fragment.problems.length > 0 ? 1 : 0 };
  } catch (error) {
    return failure(error, '');
  }
}
