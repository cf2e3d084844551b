#!/bin/sh
# CI: render the chart through registry-proxy (Helm post-renderer), check the result, and push it to an
# OCI repository Flux pulls from. No license is needed here: the Secret carries ${REGISTRY_PROXY_LICENSE_ID}.
set -eu
mkdir -p rendered
helm template my-app oci://registry.example.com/charts/my-app --version 1.2.3 --namespace my-app \
  --post-renderer registry-proxy --post-renderer-args --config=ci/registry-proxy.yaml > rendered/my-app.yaml
# Fail the pipeline if anything still pulls from outside the proxy (check mode needs no license either).
kpt fn source rendered --fn-config ci/registry-proxy.yaml | registry-proxy check > /dev/null
flux push artifact oci://registry.example.com/rendered/my-app:"$(git rev-parse --short HEAD)" \
  --path=rendered --source="$(git config --get remote.origin.url)" --revision="$(git rev-parse HEAD)"
