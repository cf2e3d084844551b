// Check mode (`mode: check`, `registry-proxy check`): the items stay byte for byte as they are, and
// what the transform would change becomes an error, so the function can guard any renderer's output
// (a kpt validator, a CI step after Helm or kustomize).
import type { Config } from './config/config.js';
import type { ItemEdits } from './plan-item-edits.js';
import type { ImageDecisions } from './policy/decide-images.js';
import { repositoryKey } from './policy/decide-visibility.js';
import { compileGlob } from './policy/glob.js';
import { objectsOf, type ScannedItem } from './resource-list/item-scan.js';
import type { ResourceRef, Result } from './results.js';

export function checkItems(items: readonly ScannedItem[], edits: readonly ItemEdits[], config: Config, decisions: ImageDecisions): Result[] {
  const allowed = config.allowedRegistries.map((glob) => ({ glob, pattern: compileGlob(glob) }));
  const results: Result[] = [];
  let problems = 0;
  items.forEach((item, index) => {
    const edit = edits[index]!;
    // Problems with the values themselves (invalid references, unknownImages: error) stay as they are;
    // the rewrites the transform would make become the check's errors below.
    for (const result of edit.results) if (result.severity !== 'info' && result.field?.proposedValue === undefined) results.push(result);
    // A List's objects are checked as objects in their own right, as the transform edits them.
    for (const object of objectsOf(item)) {
      const resourceRef: ResourceRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.name };
      if (object.namespace !== undefined) resourceRef.namespace = object.namespace;
      const error = (message: string, path: string, currentValue?: string, proposedValue?: string): void => {
        problems++;
        const field: NonNullable<Result['field']> = { path };
        if (currentValue !== undefined) field.currentValue = currentValue;
        if (proposedValue !== undefined) field.proposedValue = proposedValue;
        results.push({ severity: 'error', message, resourceRef, field, tags: { check: 'registry-proxy' } });
      };
      for (const { site, newValue } of edit.rewrites.filter((rewrite) => rewrite.object === object)) {
        error(`image ${site.value} should be pulled through the proxy as ${newValue}`, site.fieldPath, site.value, newValue);
      }
      const pullingPodSpecs = new Set<number>();
      for (const site of object.images) {
        if (site.value === undefined || site.podSpec === undefined) continue;
        const decision = decisions.byValue.get(site.value);
        if (decision?.kind === 'keep' && (decision.on === 'proxy' || decision.on === 'vendor')) pullingPodSpecs.add(site.podSpec);
      }
      for (const podSpecIndex of [...pullingPodSpecs].sort((a, b) => a - b)) {
        const podSpec = object.podSpecs[podSpecIndex]!;
        if (podSpec.addPullSecret === undefined) continue;
        const path = podSpec.fieldPath === '' ? 'imagePullSecrets' : `${podSpec.fieldPath}.imagePullSecrets`;
        error(`pod spec pulls from ${config.proxyDomain} or ${config.registryDomain} without the pull Secret ${config.pullSecretName} in imagePullSecrets`, path);
      }
      if (allowed.length === 0) continue;
      for (const site of object.images) {
        if (site.value === undefined) continue;
        const ref = decisions.byValue.get(site.value)?.ref;
        if (ref === undefined) continue;
        const repository = repositoryKey(ref);
        if (allowed.some(({ pattern }) => pattern.test(repository))) continue;
        error(`image ${site.value} (repository ${repository}) is outside allowedRegistries`, site.fieldPath, site.value);
      }
    }
  });
  results.push({
    severity: 'info',
    message: problems > 0 ? `check failed: ${problems} problem(s); items unchanged` : 'check passed: every image that should go through the proxy does, with the pull Secret; items unchanged',
  });
  return results;
}

