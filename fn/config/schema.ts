// The JSON Schemas of the function's configuration: the one statement of its shape (the types in
// config.ts are derived from them, schema-type.ts) and of its defaults (each `default`, filled in by the
// validators). `npm run generate` writes them to schemas/*.json for editors (yaml-language-server) and
// compiles them to validators.generated.ts; a test keeps all three equal.

const dnsHost = '^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$';
const dnsLabel = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const dnsSubdomain = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const envName = '^[A-Za-z_][A-Za-z0-9_]*$';
/** A Vendor Portal registry name becomes one path component of the proxied name (distribution's grammar). */
const pathComponent = '^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$';
/** One or more path components joined by `/`: the repository prefix on the customer's registry. */
const repositoryPrefix = '^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$';

const licenseOneOf = [
  { required: ['licenseID'], not: { anyOf: [{ required: ['licenseIDFromEnv'] }, { required: ['license'] }] } },
  { required: ['licenseIDFromEnv'], not: { anyOf: [{ required: ['licenseID'] }, { required: ['license'] }] } },
  { required: ['license'], not: { anyOf: [{ required: ['licenseID'] }, { required: ['licenseIDFromEnv'] }] } },
  // A service-account token is the password: no license ID is needed then.
  { required: ['serviceAccountTokenFromEnv'], not: { anyOf: [{ required: ['licenseID'] }, { required: ['licenseIDFromEnv'] }, { required: ['license'] }] } },
] as const;

/** Pull Secret modes that write no credential: the license is not needed to render. */
export const SECRET_LESS_MODES = ['reference', 'externalSecret', 'substitution'] as const;

const stringMap = {
  type: 'object',
  additionalProperties: { type: 'string' },
} as const;

export const probeSchema = {
  type: 'object',
  default: {},
  description: 'Anonymous registry probe for images nothing else decides.',
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', default: true, description: 'Probe registries for images no rule or known image decides.' },
    timeoutSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 300, default: 10, description: 'Timeout of each phase of one request.' },
    deadlineSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 3600, default: 60, description: 'Limit for all probing of one run.' },
    concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 10, description: 'Requests in flight overall (KOTS checks 10 images at once).' },
    perRegistryConcurrency: { type: 'integer', minimum: 1, maximum: 64, default: 4, description: 'Requests in flight per registry host.' },
    insecureRegistries: {
      type: 'array',
      items: { type: 'string', pattern: dnsHost },
      default: [],
      description: 'Registry hosts (with port) that may be probed over plain http, also on loopback, private or link-local addresses.',
    },
    allowPrivateAddresses: {
      type: 'boolean',
      default: false,
      description: 'Probe registries on loopback, private-network and link-local addresses without listing them in insecureRegistries (never a cloud metadata service).',
    },
    credentials: {
      type: 'array',
      default: [],
      description: 'Credentials for a registry, read from environment variables (never from this file).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['registry', 'usernameFromEnv', 'passwordFromEnv'],
        properties: {
          registry: { type: 'string', pattern: dnsHost },
          usernameFromEnv: { type: 'string', pattern: envName },
          passwordFromEnv: { type: 'string', pattern: envName },
        },
      },
    },
  },
} as const;

export const registryProxySpecSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://registry-proxy.dev/schemas/registry-proxy-spec.schema.json',
  title: 'RegistryProxy spec (fn.registry-proxy.dev/v1alpha1)',
  type: 'object',
  additionalProperties: false,
  required: ['appSlug'],
  properties: {
    appSlug: { type: 'string', pattern: dnsLabel, maxLength: 63, description: "The application's slug: the proxy path segment and the Secret name prefix." },
    licenseID: { type: 'string', minLength: 1, description: "The customer's license ID. Prefer licenseIDFromEnv: this one ends up in git." },
    licenseIDFromEnv: { type: 'string', pattern: envName, description: 'Name of the environment variable that holds the license ID.' },
    license: {
      type: 'object',
      description: 'The kots.io License object, embedded.',
      required: ['spec'],
      properties: {
        apiVersion: { type: 'string', enum: ['kots.io/v1beta1', 'kots.io/v1beta2'] },
        kind: { const: 'License' },
        spec: {
          type: 'object',
          required: ['licenseID'],
          properties: {
            licenseID: { type: 'string', minLength: 1 },
            appSlug: { type: 'string' },
            endpoint: { type: 'string' },
            channelID: { type: 'string' },
            replicatedProxyDomain: { type: 'string' },
            channels: {
              type: 'array',
              items: { type: 'object', properties: { channelID: { type: 'string' }, replicatedProxyDomain: { type: 'string' } } },
            },
          },
        },
      },
    },
    proxyDomain: { type: 'string', pattern: dnsHost, default: 'proxy.replicated.com', description: 'Host of the proxy registry.' },
    registryDomain: { type: 'string', pattern: dnsHost, default: 'registry.replicated.com', description: "Host of the vendor's Replicated registry." },
    proxyPublicImages: { type: 'boolean', default: false, description: 'Treat every image as private.' },
    additionalNamespaces: {
      type: 'array',
      items: { type: 'string', anyOf: [{ pattern: dnsLabel, maxLength: 63 }, { const: '*' }] },
      default: [],
      description: 'More namespaces that get the pull Secret; "*" means every namespace named in the items.',
    },
    knownImages: {
      type: 'array',
      default: [],
      description: 'Verdicts already known (the KOTS Installation cache shape).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['image'],
        properties: { image: { type: 'string', minLength: 1 }, isPrivate: { type: 'boolean', default: false } },
      },
    },
    rules: {
      type: 'array',
      default: [],
      description: 'Globs over the normalized repository name; the first match decides.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['match', 'private'],
        properties: { match: { type: 'string', minLength: 1 }, private: { type: 'boolean' } },
      },
    },
    unknownImages: { enum: ['private', 'public', 'error'], default: 'private', description: 'Verdict when nothing else decides.' },
    pullSecretName: { type: 'string', pattern: dnsSubdomain, maxLength: 253, description: 'Name of the generated Secret; default <appSlug>-registry.' },
    secretAnnotations: { ...stringMap, default: { 'kots.io/creation-phase': '-9999' }, description: 'Annotations of the generated Secrets.' },
    secretLabels: { ...stringMap, default: {}, description: 'Labels of the generated Secrets.' },
    patchWorkloads: { enum: ['all', 'proxied', 'none'], default: 'all', description: 'Which pod specs get imagePullSecrets.' },
    imageFields: {
      type: 'array',
      default: [],
      description: 'More fields that hold an image, in kustomize fieldSpec shape.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path'],
        properties: {
          group: { type: 'string' },
          version: { type: 'string' },
          kind: { type: 'string' },
          path: { type: 'string', pattern: '^[^/\\s]+(/[^/\\s]+)*$' },
        },
      },
    },
    invalidImages: { enum: ['error', 'warn'], default: 'error', description: 'What an image value that does not parse gives.' },
    probe: probeSchema,
    patchServiceAccounts: {
      enum: ['none', 'items', 'itemsAndDefault'],
      default: 'none',
      description: 'Also add the pull Secret to the ServiceAccounts in the items, and (itemsAndDefault) generate the default ServiceAccount of each namespace that gets a Secret, for pods that operators create at run time.',
    },
    pullSecretMode: {
      enum: ['inline', 'reference', 'externalSecret', 'substitution'],
      default: 'inline',
      description:
        'inline: the Secret with the license ID in the output; reference: none generated, the cluster must hold it; externalSecret: an External Secrets Operator ExternalSecret that templates it from a store; substitution: a Secret whose password is ${VARIABLE}, for Flux postBuild.substituteFrom. Every mode but inline needs no license ID and writes none.',
    },
    externalSecret: {
      type: 'object',
      additionalProperties: false,
      required: ['secretStoreRef', 'remoteRef'],
      description: 'The store value that holds the license ID (pullSecretMode: externalSecret).',
      properties: {
        secretStoreRef: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', pattern: dnsSubdomain, maxLength: 253 },
            kind: { enum: ['SecretStore', 'ClusterSecretStore'], default: 'SecretStore' },
          },
        },
        remoteRef: {
          type: 'object',
          additionalProperties: false,
          required: ['key'],
          properties: { key: { type: 'string', minLength: 1 }, property: { type: 'string', minLength: 1 } },
        },
        refreshInterval: { type: 'string', pattern: '^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$', description: 'A Go duration, e.g. 1h; ESO defaults to 1h.' },
      },
    },
    substitution: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'pullSecretMode: substitution.',
      properties: { variable: { type: 'string', pattern: envName, default: 'REGISTRY_PROXY_LICENSE_ID', description: 'The variable written as ${VARIABLE} for the password.' } },
    },
    mode: {
      enum: ['transform', 'check'],
      default: 'transform',
      description: 'check: change nothing; report each image that should go through the proxy and does not, each pod spec that pulls from it without the pull Secret, and each image outside allowedRegistries.',
    },
    allowedRegistries: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: [],
      description: 'Check mode: globs over the normalized repository (as rules); an image matching none is an error.',
    },
    kyvernoClonePolicy: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Emit a Kyverno ClusterPolicy that clones the pull Secret into every namespace, existing and future, and keeps it in sync.',
      properties: {
        enabled: { type: 'boolean', default: false },
        sourceNamespace: { type: 'string', pattern: dnsLabel, maxLength: 63, description: 'Namespace of the Secret to clone; default: the first namespace that gets one.' },
      },
    },
    linkedRegistries: {
      type: 'array',
      default: [],
      description: 'The external registries the vendor linked in the Vendor Portal; when non-empty, private images on any other registry cannot be pulled through the proxy.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['registry'],
        properties: {
          registry: { type: 'string', pattern: dnsHost, description: 'Registry host as normalized: docker.io for Docker Hub, quay.io, 123456789012.dkr.ecr.us-east-1.amazonaws.com.' },
          name: { type: 'string', pattern: pathComponent, maxLength: 128, description: 'The Registry Name given in the Vendor Portal: the proxied name uses it instead of the registry host.' },
        },
      },
    },
    unlinkedRegistries: { enum: ['error', 'warn'], default: 'error', description: 'What a private image on a registry missing from linkedRegistries gives (it is left unchanged).' },
    pullSecretUsername: { type: 'string', pattern: '^[^:\\s]+$', maxLength: 256, default: 'LICENSE_ID', description: "Username in the pull Secret, e.g. the customer's email; default the literal LICENSE_ID (KOTS)." },
    serviceAccountTokenFromEnv: {
      type: 'string',
      pattern: envName,
      description: 'Name of the environment variable holding an Enterprise Portal service-account token: the pull Secret password instead of the license ID.',
    },
    expiredLicense: { enum: ['error', 'warn'], default: 'error', description: 'What an expired License (spec.entitlements.expires_at) gives.' },
    expiryWarningDays: { type: 'integer', minimum: 0, maximum: 3650, default: 30, description: 'Warn when the License expires within this many days.' },
    localRegistry: {
      type: 'object',
      additionalProperties: false,
      required: ['host'],
      description:
        "Air gap / bring-your-own registry: every image is rewritten to the customer's registry (no verdicts, no probe); the pull Secret holds that registry's credentials. No license is needed.",
      properties: {
        host: { type: 'string', pattern: dnsHost, description: 'Registry host, optionally with :port; no path (that is namespace).' },
        namespace: { type: 'string', pattern: repositoryPrefix, maxLength: 200, description: 'Repository prefix on the registry, e.g. acme or team/acme.' },
        layout: {
          enum: ['path', 'kots'],
          default: 'path',
          description: "path (Embedded Cluster v3): <host>[/<namespace>]/<path without its registry host>; kots (KOTS's DestImage): <host>[/<namespace>]/<last path segment>.",
        },
        usernameFromEnv: { type: 'string', pattern: envName, description: 'Name of the environment variable holding the registry username.' },
        passwordFromEnv: { type: 'string', pattern: envName, description: 'Name of the environment variable holding the registry password.' },
        insecure: { type: 'boolean', default: false, description: 'The registry is served over plain http or with an untrusted certificate: the skopeo-sync command line says so (--dest-tls-verify=false).' },
      },
      dependencies: { usernameFromEnv: ['passwordFromEnv'], passwordFromEnv: ['usernameFromEnv'] },
    },
  },
  // A secret-less pull Secret mode and check mode need no license; a license given anyway is ignored.
  if: {
    anyOf: [
      { required: ['pullSecretMode'], properties: { pullSecretMode: { enum: SECRET_LESS_MODES } } },
      { required: ['mode'], properties: { mode: { const: 'check' } } },
      { required: ['localRegistry'] },
    ],
  },
  then: { not: { anyOf: [{ required: ['licenseID', 'licenseIDFromEnv'] }, { required: ['licenseID', 'license'] }, { required: ['licenseIDFromEnv', 'license'] }] } },
  else: { oneOf: licenseOneOf },
} as const;

/** `kpt fn eval -- key=value` sends a ConfigMap: every value a string, lists comma-separated. */
export const configMapDataSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://registry-proxy.dev/schemas/configmap-data.schema.json',
  title: 'registry-proxy ConfigMap data',
  type: 'object',
  additionalProperties: false,
  required: ['appSlug'],
  properties: {
    appSlug: { type: 'string' },
    licenseID: { type: 'string' },
    licenseIDFromEnv: { type: 'string' },
    proxyDomain: { type: 'string' },
    registryDomain: { type: 'string' },
    proxyPublicImages: { enum: ['true', 'false'] },
    additionalNamespaces: { type: 'string', description: 'Comma-separated.' },
    knownImages: { type: 'string', description: 'Comma-separated image=private|public.' },
    rules: { type: 'string', description: 'Comma-separated glob=private|public; the first match decides.' },
    unknownImages: { type: 'string' },
    pullSecretName: { type: 'string' },
    secretAnnotations: { type: 'string', description: 'Comma-separated key=value.' },
    secretLabels: { type: 'string', description: 'Comma-separated key=value.' },
    patchWorkloads: { type: 'string' },
    imageFields: { type: 'string', description: 'Comma-separated [group/version/]Kind:path or path.' },
    invalidImages: { type: 'string' },
    'probe.enabled': { enum: ['true', 'false'] },
    'probe.timeoutSeconds': { type: 'string' },
    'probe.deadlineSeconds': { type: 'string' },
    'probe.concurrency': { type: 'string' },
    'probe.perRegistryConcurrency': { type: 'string' },
    'probe.insecureRegistries': { type: 'string', description: 'Comma-separated.' },
    'probe.allowPrivateAddresses': { enum: ['true', 'false'] },
    patchServiceAccounts: { type: 'string' },
    pullSecretMode: { type: 'string' },
    'externalSecret.secretStoreRef.name': { type: 'string' },
    'externalSecret.secretStoreRef.kind': { type: 'string' },
    'externalSecret.remoteRef.key': { type: 'string' },
    'externalSecret.remoteRef.property': { type: 'string' },
    'externalSecret.refreshInterval': { type: 'string' },
    'substitution.variable': { type: 'string' },
    mode: { type: 'string' },
    allowedRegistries: { type: 'string', description: 'Comma-separated globs.' },
    'kyvernoClonePolicy.enabled': { enum: ['true', 'false'] },
    'kyvernoClonePolicy.sourceNamespace': { type: 'string' },
    linkedRegistries: { type: 'string', description: 'Comma-separated registry or registry=name.' },
    unlinkedRegistries: { type: 'string' },
    pullSecretUsername: { type: 'string' },
    serviceAccountTokenFromEnv: { type: 'string' },
    expiredLicense: { type: 'string' },
    expiryWarningDays: { type: 'string' },
    'localRegistry.host': { type: 'string' },
    'localRegistry.namespace': { type: 'string' },
    'localRegistry.layout': { type: 'string' },
    'localRegistry.usernameFromEnv': { type: 'string' },
    'localRegistry.passwordFromEnv': { type: 'string' },
    'localRegistry.insecure': { enum: ['true', 'false'] },
  },
} as const;

/** The whole RegistryProxy object, for editors: `# yaml-language-server: $schema=…/registry-proxy.schema.json`. */
export const registryProxySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://registry-proxy.dev/schemas/registry-proxy.schema.json',
  title: 'RegistryProxy (fn.registry-proxy.dev/v1alpha1)',
  type: 'object',
  required: ['apiVersion', 'kind', 'spec'],
  properties: {
    apiVersion: { const: 'fn.registry-proxy.dev/v1alpha1' },
    kind: { const: 'RegistryProxy' },
    metadata: { type: 'object' },
    spec: { $ref: 'registry-proxy-spec.schema.json' },
  },
} as const;
