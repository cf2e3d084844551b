// Where images live in Kubernetes objects (images.md, "Where images live"): a table, not a kind switch.
// Paths use kustomize's fieldSpec notation: `/` between keys, `[]` for every element of a list, and
// `*` for every value of a map (Kubeflow's replica specs are keyed by role).
import type { FieldSpec } from '../config/config.js';

export interface PodSpecLocation {
  kind: string;
  /** API group; undefined matches any group (the kind names are unambiguous in practice). */
  group?: string;
  paths: string[];
}

export const POD_SPEC_LOCATIONS: readonly PodSpecLocation[] = [
  { kind: 'Pod', group: '', paths: ['spec'] },
  { kind: 'PodTemplate', group: '', paths: ['template/spec'] },
  { kind: 'CronJob', group: 'batch', paths: ['spec/jobTemplate/spec/template/spec'] },
  { kind: 'ScaledJob', group: 'keda.sh', paths: ['spec/jobTargetRef/template/spec'] },
  { kind: 'JobSet', group: 'jobset.x-k8s.io', paths: ['spec/replicatedJobs[]/template/spec/template/spec'] },
  { kind: 'PyTorchJob', group: 'kubeflow.org', paths: ['spec/pytorchReplicaSpecs/*/template/spec'] },
  { kind: 'TFJob', group: 'kubeflow.org', paths: ['spec/tfReplicaSpecs/*/template/spec'] },
  { kind: 'MPIJob', group: 'kubeflow.org', paths: ['spec/mpiReplicaSpecs/*/template/spec'] },
  { kind: 'XGBoostJob', group: 'kubeflow.org', paths: ['spec/xgbReplicaSpecs/*/template/spec'] },
  { kind: 'PaddleJob', group: 'kubeflow.org', paths: ['spec/paddleReplicaSpecs/*/template/spec'] },
  { kind: 'RayCluster', group: 'ray.io', paths: ['spec/headGroupSpec/template/spec', 'spec/workerGroupSpecs[]/template/spec'] },
  {
    kind: 'RayJob',
    group: 'ray.io',
    paths: ['spec/rayClusterSpec/headGroupSpec/template/spec', 'spec/rayClusterSpec/workerGroupSpecs[]/template/spec'],
  },
  { kind: 'DeploymentRuntimeConfig', group: 'pkg.crossplane.io', paths: ['spec/deploymentTemplate/spec/template/spec'] },
];

/**
 * Every other kind: the built-in workloads and any custom resource shaped like them (Argo Rollouts,
 * Knative, OpenKruise), when a `containers` list is really there.
 */
export const DEFAULT_POD_SPEC_PATH = 'spec/template/spec';

/** Image fields of a pod spec, relative to it. */
export const POD_SPEC_IMAGE_PATHS: readonly string[] = [
  'containers[]/image',
  'initContainers[]/image',
  'ephemeralContainers[]/image',
  'volumes[]/image/reference',
];

/**
 * Kinds whose content describes other objects (schemas, policy patterns): a value that looks like an
 * image there is a pattern or a schema default, never something a node pulls.
 */
const NEVER_TOUCH_KINDS = new Set([
  'CustomResourceDefinition',
  'ValidatingAdmissionPolicy',
  'MutatingAdmissionPolicy',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);
const NEVER_TOUCH_GROUPS = new Set([
  'kyverno.io',
  'templates.gatekeeper.sh',
  'constraints.gatekeeper.sh',
  'mutations.gatekeeper.sh',
  'kpt.dev',
  'config.kubernetes.io',
  'fn.registry-proxy.dev',
]);

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
}

export function isNeverTouched(apiVersion: string, kind: string): boolean {
  return NEVER_TOUCH_KINDS.has(kind) || NEVER_TOUCH_GROUPS.has(groupOf(apiVersion));
}

/** Pod spec paths for an object, and whether they are a guess that needs a `containers` list to count. */
export function podSpecPathsFor(apiVersion: string, kind: string): { paths: readonly string[]; requireContainers: boolean } {
  if (isNeverTouched(apiVersion, kind)) return { paths: [], requireContainers: false };
  const group = groupOf(apiVersion);
  const known = POD_SPEC_LOCATIONS.find((location) => location.kind === kind && (location.group === undefined || location.group === group));
  if (known) return { paths: known.paths, requireContainers: false };
  return { paths: [DEFAULT_POD_SPEC_PATH], requireContainers: true };
}

/** The configured extra image fields that apply to an object. */
export function imageFieldPathsFor(apiVersion: string, kind: string, fieldSpecs: readonly FieldSpec[]): string[] {
  if (isNeverTouched(apiVersion, kind)) return [];
  const group = groupOf(apiVersion);
  const version = versionOf(apiVersion);
  return fieldSpecs
    .filter(
      (spec) =>
        (spec.kind === undefined || spec.kind === kind) &&
        (spec.group === undefined || spec.group === group) &&
        (spec.version === undefined || spec.version === version),
    )
    .map((spec) => spec.path);
}
