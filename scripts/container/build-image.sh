#!/usr/bin/env bash
# Builds the function's image from the unchanged Dockerfile with podman, from local base images only
# (--pull=never: scripts/container/stand-in-bases.sh makes them where Docker Hub is out of reach).
#   REGISTRY_PROXY_IMAGE  the tag (default localhost/registry-proxy:dev)
#   REGISTRY_PROXY_NPMRC  an npmrc for the build's npm ci (registry, token), passed as the npmrc secret
# npm's CA bundle, when this machine's npm trusts one of its own (`npm config get cafile`, or
# NODE_EXTRA_CA_CERTS: a TLS-inspecting proxy, a private CA), is passed as the npm-ca secret, so the build's
# npm trusts what this machine's npm trusts. Secrets are mounted for npm ci only and reach no layer.
set -euo pipefail
cd "$(dirname "$0")/../.."

image=${REGISTRY_PROXY_IMAGE:-localhost/registry-proxy:dev}
version=$(node -p 'require("./package.json").version')
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)

args=(--pull=never --network host --build-arg "VERSION=$version" --build-arg "REVISION=$revision" -t "$image")
# podman 4.3 (buildah) keys its layer cache on the instruction text, not on build-argument values, so a
# cached LABEL step would keep an old revision; --label sets the two labels on the final image itself.
args+=(--label "org.opencontainers.image.version=$version" --label "org.opencontainers.image.revision=$revision")
ca=$(npm config get cafile 2>/dev/null || true)
case "$ca" in null | undefined | "") ca=${NODE_EXTRA_CA_CERTS:-} ;; esac
if [ -n "$ca" ] && [ -s "$ca" ]; then
  echo "build-image: npm trusts $ca here: passing it as the npm-ca secret" >&2
  args+=(--secret "id=npm-ca,src=$ca")
fi
if [ -n "${REGISTRY_PROXY_NPMRC:-}" ]; then
  args+=(--secret "id=npmrc,src=$REGISTRY_PROXY_NPMRC")
fi

for base in $(sed -nE 's/^FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?(node:[^[:space:]]+).*/\2/p' Dockerfile); do
  differs=$(podman image inspect --format '{{ index .Labels "dev.registry-proxy.stand-in.differs" }}' "docker.io/library/$base" 2>/dev/null || true)
  if [ -n "$differs" ] && [ "$differs" != "<no value>" ]; then
    echo "build-image: !!! docker.io/library/$base is a local STAND-IN, not the real base: $differs" >&2
  fi
done
podman build "${args[@]}" . >&2
echo "$image"
