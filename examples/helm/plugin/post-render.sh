#!/bin/sh
# Helm 4 post-renderer plugin: the rendered manifests on stdin, the rewritten ones on stdout.
# The configuration comes from `--post-renderer-args --config=<file>` or REGISTRY_PROXY_CONFIG.
# REGISTRY_PROXY_BIN overrides where registry-proxy is found (default: on PATH).
set -eu
if [ "$#" -eq 0 ]; then
  exec "${REGISTRY_PROXY_BIN:-registry-proxy}" post-render
fi
exec "${REGISTRY_PROXY_BIN:-registry-proxy}" "$@"
