#!/bin/sh
# /usr/local/bin/registry-proxy in the plugin sidecar (Dockerfile.sidecar): the path the exec annotation
# of app/registry-proxy.yaml names. kustomize runs it with the ResourceList on stdin.
exec node /opt/registry-proxy/registry-proxy.cjs "$@"
