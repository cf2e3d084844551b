// The subcommands that describe the function's edits for a pipeline that cannot run it: `images` (the
// image list) and `kustomize` (a kustomization fragment). Pure cores, like run.ts: text in, output out.
import type { ImageListFormat } from './cli-args.js';
import { buildKustomizeFragment, formatKustomizeFragment } from './kustomize-fragment.js';
import { formatImageListJson, formatImageListText, listImages, withLocalNames } from './image-list.js';
import { buildMirrorList, formatMirrorLines, formatSkopeoSync } from './mirror-list.js';
import { planResourceList } from './plan-resource-list.js';
import { failure, type RunOutput } from './run-output.js';
import { planEdits, type TransformDependencies } from './transform.js';

export type { ImageListFormat };

export async function runImages(input: string, dependencies: TransformDependencies, format: ImageListFormat): Promise<RunOutput> {
  try {
    const outcome = await planResourceList(input, dependencies);
    if (!outcome.ok) return outcome.output;
    const { planned } = outcome;
    const local = planned.loaded.config.localRegistry;
    if (local === undefined) {
      if (format === 'mirror' || format === 'skopeo-sync') return { stdout: '', stderr: [`registry-proxy: error: images --format ${format} needs localRegistry in the functionConfig: it lists what to copy there`], exitCode: 1 };
      const list = listImages(planned);
      return { stdout: format === 'json' ? formatImageListJson(list) : formatImageListText(list), stderr: [], exitCode: 0 };
    }
    // The source of each image is decided as in proxy mode: the same items, the same config without localRegistry.
    const proxyLoaded = { ...planned.loaded, config: { ...planned.loaded.config, localRegistry: undefined, pullSecretMode: 'reference' as const } };
    const proxyPlanned = { ...(await planEdits(planned.input, proxyLoaded, dependencies)), loaded: proxyLoaded, input: planned.input };
    const proxyList = listImages(proxyPlanned);
    const mirror = buildMirrorList(proxyList, planned.decisions.byValue);
    const stderr = mirror.problems.map((problem) => `registry-proxy: error: not mirrored: ${problem}`.replace(/[\r\n]+/g, ' '));
    const exitCode = mirror.problems.length > 0 ? 1 : 0;
    if (format === 'mirror') return { stdout: formatMirrorLines(mirror), stderr, exitCode };
    if (format === 'skopeo-sync') {
      const yaml = formatSkopeoSync(mirror, planned.loaded.config, local);
      if (yaml === undefined) {
        return { stdout: '', stderr: ['registry-proxy: error: images --format skopeo-sync: skopeo sync puts each image at <destination>/<last path segment> (layout kots); layout path keeps the whole path: use --format mirror with skopeo copy'], exitCode: 1 };
      }
      return { stdout: yaml, stderr, exitCode };
    }
    const list = withLocalNames(proxyList, planned.decisions.byValue, mirror, local);
    return { stdout: format === 'json' ? formatImageListJson(list) : formatImageListText(list), stderr: [], exitCode: 0 };
  } catch (error) {
    return failure(error, '');
  }
}

/** The fragment is always printed; what it cannot express is an error line each, and exit 1. */
export async function runKustomize(input: string, dependencies: TransformDependencies): Promise<RunOutput> {
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
