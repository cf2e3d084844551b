// A ResourceList for running the built function as a process: one Deployment with the given images and a
// RegistryProxy functionConfig whose spec is given in YAML flow style.

export function buildResourceList(spec: string, images: readonly string[]): string {
  return [
    'apiVersion: config.kubernetes.io/v1',
    'kind: ResourceList',
    'functionConfig:',
    '  apiVersion: fn.registry-proxy.dev/v1alpha1',
    '  kind: RegistryProxy',
    '  metadata: {name: registry-proxy}',
    `  spec: ${spec}`,
    'items:',
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata: {name: web, namespace: shop}',
    '  spec:',
    '    template:',
    '      spec:',
    '        containers:',
    ...images.map((image, index) => `        - {name: c${index}, image: ${JSON.stringify(image)}}`),
    '',
  ].join('\n');
}
