// `registry-proxy --help`: the same usage as the README's Usage section.
export const USAGE = `registry-proxy: a KRM function that pulls a licensed application's private images through the
Replicated proxy registry and generates the license-derived pull Secrets.

Usage:
  registry-proxy < resource-list.yaml > out.yaml      KRM function (kpt fn eval/render, kustomize, Argo CD)
  registry-proxy known-images < resource-list.yaml      print the knownImages block (verdicts of rules,
                                                        knownImages and the probe), sorted, to pin in git
  registry-proxy --config config.yaml < manifests.yaml  Helm post-renderer: a YAML stream in and out, the
                                                        configuration (any functionConfig form) from a file
  registry-proxy post-render < manifests.yaml           the same, with the file named by REGISTRY_PROXY_CONFIG
  registry-proxy check < resource-list.yaml             check mode: items unchanged, an error for each image
                                                        not on the proxy, each pod spec pulling from it without
                                                        the pull Secret, each image outside allowedRegistries
  registry-proxy images [--format text|json|mirror|skopeo-sync] < resource-list.yaml
                                                        every image: where, verdict, reason, rewritten name;
                                                        mirror / skopeo-sync (localRegistry): what to copy
                                                        where, as SOURCE DESTINATION lines or skopeo sync YAML
  registry-proxy kustomize < resource-list.yaml         a kustomization fragment (images:, patches:) doing the
                                                        same rewrite, for Flux postRenderers and plain kustomize;
                                                        what it cannot express is an error on stderr (exit 1)
  registry-proxy import-kots DIR                        print a RegistryProxy functionConfig from what kots pull /
                                                        kots download wrote (the license ID stays in a variable)
  registry-proxy --help                                 this text

functionConfig (one of):
  apiVersion: fn.registry-proxy.dev/v1alpha1
  kind: RegistryProxy
  spec:
    appSlug: my-app                   # required
    licenseIDFromEnv: LICENSE_ID      # or licenseID: ..., or license: <kots.io License>
    proxyDomain: proxy.replicated.com
    registryDomain: registry.replicated.com
    proxyPublicImages: false
    additionalNamespaces: [monitoring]          # "*": every namespace named in the items
    knownImages: [{image: nginx:1.25, isPrivate: false}]
    rules: [{match: "quay.io/my-org/**", private: true}]
    unknownImages: private            # private | public | error
    pullSecretName: my-app-registry
    patchWorkloads: all               # all | proxied | none
    imageFields: [{kind: Task, path: spec/steps[]/image}]
    invalidImages: error              # error | warn
    probe: {enabled: true, timeoutSeconds: 10, concurrency: 10, perRegistryConcurrency: 4}
    patchServiceAccounts: none        # none | items | itemsAndDefault
    kyvernoClonePolicy: {enabled: false, sourceNamespace: my-app}
    linkedRegistries: [{registry: quay.io, name: quay}]   # as linked in the Vendor Portal
    unlinkedRegistries: error         # error | warn
    pullSecretUsername: LICENSE_ID    # e.g. the customer's email
    serviceAccountTokenFromEnv: SA_TOKEN   # a service-account token as the password
    expiredLicense: error             # error | warn
    expiryWarningDays: 30
    pullSecretMode: inline            # inline | reference | externalSecret | substitution (no license needed)
    externalSecret: {secretStoreRef: {name: vault, kind: SecretStore}, remoteRef: {key: acme, property: id}}
    substitution: {variable: REGISTRY_PROXY_LICENSE_ID}   # the password is written as \${VARIABLE}
    mode: transform                   # transform | check
    allowedRegistries: ["proxy.replicated.com/**"]      # check mode: globs, as rules
    localRegistry: {host: registry.example.com, namespace: acme, layout: path,   # path | kots
                    usernameFromEnv: REG_USER, passwordFromEnv: REG_PASSWORD}    # air gap: every image moved
  or the customer's kots.io License itself, or a ConfigMap with the same keys as data
  (lists comma-separated: knownImages: "nginx:1.25=public,quay.io/org/api=private").

Exit codes: 0 success; 1 an error result or unreadable input; 2 a wrong argument or a bug.
Documentation: README.md (https://github.com/registry-proxy/registry-proxy)
`;
